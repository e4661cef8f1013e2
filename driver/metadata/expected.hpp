#pragma once
// A value or a typed error, for bad input (metadata rows, scenario options) that the
// caller must be able to report with its place. C++20 has no std::expected; this is the
// small subset the driver needs. Broken invariants assert instead.
#include <string>
#include <utility>
#include <variant>

#include "driver/metadata/check.hpp"

namespace routelab::driver {

// An input error: `where` names the place (keyspace, node, option key), `message` what
// was wrong with it.
struct InputError {
    std::string where;
    std::string message;
    std::string to_string() const { return where.empty() ? message : where + ": " + message; }
};

template <class T>
class Expected {
public:
    Expected(T value) : state_(std::in_place_index<0>, std::move(value)) {}            // NOLINT: implicit by design
    Expected(InputError error) : state_(std::in_place_index<1>, std::move(error)) {}   // NOLINT: implicit by design

    bool ok() const { return state_.index() == 0; }
    explicit operator bool() const { return ok(); }

    // Contract: only call value() when ok(), error() when !ok().
    T& value() & { check(ok(), "Expected::value() on an error"); return std::get<0>(state_); }
    const T& value() const& { check(ok(), "Expected::value() on an error"); return std::get<0>(state_); }
    T&& value() && { check(ok(), "Expected::value() on an error"); return std::get<0>(std::move(state_)); }
    const InputError& error() const { check(!ok(), "Expected::error() on a value"); return std::get<1>(state_); }

private:
    std::variant<T, InputError> state_;
};

}  // namespace routelab::driver
