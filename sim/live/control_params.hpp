#pragma once
// The parameters of an HTTP control request, checked before anything is changed: a
// request is carried out with exactly the values it names, or refused (400) with the
// reason. Nothing is clamped, defaulted or silently dropped.
//
//  - the query is `key=value` pairs joined by `&`: every key known to the route and given
//    once; keys and values of [A-Za-z0-9._:-] only (no percent-escapes: values are names,
//    numbers and addresses), at most `max_query_bytes` in all;
//  - integers are decimal, without sign for unsigned ranges, within the route's range;
//  - route addresses are dotted IPv4, on loopback (127.0.0.0/8) unless allowed otherwise;
//  - connection ids are 1..`max_id_bytes` characters of [A-Za-z0-9._:-].
#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace routelab::live {

constexpr std::size_t max_query_bytes = 1024;
constexpr std::size_t max_id_bytes = 128;

// A checked value, or why it was refused.
template <class T>
struct Checked {
    std::optional<T> value;
    std::string error;
    explicit operator bool() const { return value.has_value(); }
    const T& operator*() const { return *value; }
    const T* operator->() const { return &*value; }
    static Checked fail(std::string why) { return Checked{std::nullopt, std::move(why)}; }
};

using QueryParams = std::map<std::string, std::string, std::less<>>;

// The query part of `target` (after '?'; empty if none), checked as described above.
// `allowed`: the keys this route takes.
Checked<QueryParams> parse_query(std::string_view target, std::initializer_list<std::string_view> allowed);

// The value of `key` as an integer in [min, max]; an error names the key and the range.
Checked<std::int64_t> integer_param(const QueryParams& query, std::string_view key, std::int64_t min, std::int64_t max);

// A name from a fixed list (`key=one|two|...`).
Checked<std::string> choice_param(const QueryParams& query, std::string_view key, std::initializer_list<std::string_view> choices);

// A route's address: dotted IPv4; outside 127.0.0.0/8 only with `allow_non_loopback`.
Checked<std::string> route_address_param(const QueryParams& query, std::string_view key, bool allow_non_loopback);

// A path segment naming a client connection (routes).
std::optional<std::string> check_connection_id(std::string_view id);

// The body a control request may carry: none (every route takes its values in the query).
std::optional<std::string> check_empty_body(std::string_view body);

}  // namespace routelab::live
