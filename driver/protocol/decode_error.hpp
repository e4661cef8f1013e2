#pragma once
// What went wrong while decoding bytes from the wire, and where: the byte offset (from
// the start of the frame body, or of the stream for framing errors) and what was
// expected there. Malformed input is never an exception or a crash: it is this value.
#include <cstddef>
#include <string>
#include <utility>
#include <variant>

namespace routelab::cql {

struct DecodeError {
    std::size_t offset = 0;
    std::string expected;
    std::string to_string() const { return "at byte " + std::to_string(offset) + ": expected " + expected; }
};

// A decoded value or the DecodeError that prevented it.
template <typename T>
class Decoded {
public:
    Decoded(T value) : v_(std::move(value)) {}                 // NOLINT(google-explicit-constructor)
    Decoded(DecodeError error) : v_(std::move(error)) {}       // NOLINT(google-explicit-constructor)
    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const DecodeError& error() const { return std::get<1>(v_); }

private:
    std::variant<T, DecodeError> v_;
};

}  // namespace routelab::cql
