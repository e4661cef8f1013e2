#pragma once
// Simulated time: integer nanoseconds in strong types, so a duration can never be
// passed where an instant is expected and no floating-point drift enters the run.
// Arithmetic saturates at the int64 range instead of overflowing: Duration::max() and
// Time::max() serve as "never", and `now + Duration::max()` (a clamped huge latency draw,
// an unbounded timeout) must stay "never" rather than wrap to a time in the past.
#include <compare>
#include <cstdint>
#include <limits>

namespace routelab::sim {

namespace time_detail {
constexpr std::int64_t saturate_add(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_add_overflow(a, b, &r)) return b > 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return r;
}
constexpr std::int64_t saturate_sub(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_sub_overflow(a, b, &r)) return b < 0 ? std::numeric_limits<std::int64_t>::max() : std::numeric_limits<std::int64_t>::min();
    return r;
}
constexpr std::int64_t saturate_mul(std::int64_t a, std::int64_t b) {
    std::int64_t r = 0;
    if (__builtin_mul_overflow(a, b, &r)) return (a < 0) != (b < 0) ? std::numeric_limits<std::int64_t>::min() : std::numeric_limits<std::int64_t>::max();
    return r;
}
}  // namespace time_detail

class Duration {
public:
    constexpr Duration() = default;
    static constexpr Duration from_ns(std::int64_t ns) { return Duration(ns); }
    static constexpr Duration from_us(std::int64_t us) { return Duration(time_detail::saturate_mul(us, 1'000)); }
    static constexpr Duration from_ms(std::int64_t ms) { return Duration(time_detail::saturate_mul(ms, 1'000'000)); }
    static constexpr Duration from_s(std::int64_t s) { return Duration(time_detail::saturate_mul(s, 1'000'000'000)); }
    static constexpr Duration max() { return Duration(std::numeric_limits<std::int64_t>::max()); }

    constexpr std::int64_t ns() const { return ns_; }
    constexpr double us() const { return static_cast<double>(ns_) / 1e3; }
    constexpr double ms() const { return static_cast<double>(ns_) / 1e6; }
    constexpr double seconds() const { return static_cast<double>(ns_) / 1e9; }

    constexpr auto operator<=>(const Duration&) const = default;
    constexpr Duration operator+(Duration other) const { return Duration(time_detail::saturate_add(ns_, other.ns_)); }
    constexpr Duration operator-(Duration other) const { return Duration(time_detail::saturate_sub(ns_, other.ns_)); }
    constexpr Duration operator*(std::int64_t k) const { return Duration(time_detail::saturate_mul(ns_, k)); }
    constexpr Duration operator/(std::int64_t k) const { return Duration(ns_ / k); }
    constexpr Duration& operator+=(Duration other) { ns_ = time_detail::saturate_add(ns_, other.ns_); return *this; }
    constexpr Duration& operator-=(Duration other) { ns_ = time_detail::saturate_sub(ns_, other.ns_); return *this; }

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
    constexpr Time operator+(Duration d) const { return Time(time_detail::saturate_add(ns_, d.ns())); }
    constexpr Time operator-(Duration d) const { return Time(time_detail::saturate_sub(ns_, d.ns())); }
    constexpr Duration operator-(Time other) const { return Duration::from_ns(time_detail::saturate_sub(ns_, other.ns_)); }
    constexpr Time& operator+=(Duration d) { ns_ = time_detail::saturate_add(ns_, d.ns()); return *this; }

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
