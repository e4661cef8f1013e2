#pragma once
// Simulated time: integer nanoseconds in strong types, so a duration can never be
// passed where an instant is expected and no floating-point drift enters the run.
#include <compare>
#include <cstdint>
#include <limits>

namespace routelab::sim {

class Duration {
public:
    constexpr Duration() = default;
    static constexpr Duration from_ns(std::int64_t ns) { return Duration(ns); }
    static constexpr Duration from_us(std::int64_t us) { return Duration(us * 1'000); }
    static constexpr Duration from_ms(std::int64_t ms) { return Duration(ms * 1'000'000); }
    static constexpr Duration from_s(std::int64_t s) { return Duration(s * 1'000'000'000); }
    static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

    constexpr std::int64_t ns() const { return ns_; }
    constexpr double us() const { return static_cast<double>(ns_) / 1e3; }
    constexpr double ms() const { return static_cast<double>(ns_) / 1e6; }
    constexpr double seconds() const { return static_cast<double>(ns_) / 1e9; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration other) const { return Duration(ns_ + other.ns_); }
    constexpr Duration operator-(Duration other) const { return Duration(ns_ - other.ns_); }
    constexpr Duration operator*(std::int64_t k) const { return Duration(ns_ * k); }
    constexpr Duration operator/(std::int64_t k) const { return Duration(ns_ / k); }
    constexpr Duration& operator+=(Duration other) { ns_ += other.ns_; return *this; }
    constexpr Duration& operator-=(Duration other) { ns_ -= other.ns_; return *this; }

private:
    constexpr explicit Duration(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

class Time {
public:
    constexpr Time() = default;
    static constexpr Time from_ns(std::int64_t ns) { return Time(ns); }
    static constexpr Time zero() { return Time(0); }
    static constexpr Time max() { return Time(std::numeric_limits<std::int64_t>::max()); }

    constexpr std::int64_t ns() const { return ns_; }
    constexpr double seconds() const { return static_cast<double>(ns_) / 1e9; }

    constexpr auto operator<=>(const Time&) const = default;
    constexpr Time operator+(Duration d) const { return Time(ns_ + d.ns()); }
    constexpr Time operator-(Duration d) const { return Time(ns_ - d.ns()); }
    constexpr Duration operator-(Time other) const { return Duration::from_ns(ns_ - other.ns_); }
    constexpr Time& operator+=(Duration d) { ns_ += d.ns(); return *this; }

private:
    constexpr explicit Time(std::int64_t ns) : ns_(ns) {}
    std::int64_t ns_ = 0;
};

namespace literals {
constexpr Duration operator""_ns(unsigned long long v) { return Duration::from_ns(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_us(unsigned long long v) { return Duration::from_us(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_ms(unsigned long long v) { return Duration::from_ms(static_cast<std::int64_t>(v)); }
constexpr Duration operator""_s(unsigned long long v) { return Duration::from_s(static_cast<std::int64_t>(v)); }
}  // namespace literals

}  // namespace routelab::sim
