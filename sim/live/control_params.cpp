#include "sim/live/control_params.hpp"

#include <charconv>

#include "sim/net/endpoint.hpp"

namespace routelab::live {

namespace {

bool plain_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' ||
           c == ':';
}

bool plain(std::string_view text) {
    for (const char c : text)
        if (!plain_char(c)) return false;
    return true;
}

// Shown in an error: the offending text, cut short and with unprintable bytes escaped.
std::string shown(std::string_view text) {
    std::string out = "'";
    for (std::size_t i = 0; i < text.size() && i < 64; ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c < 0x7f && c != '\'') {
            out += static_cast<char>(c);
        } else {
            static const char hex[] = "0123456789abcdef";
            out += "\\x";
            out += hex[c >> 4];
            out += hex[c & 0xf];
        }
    }
    if (text.size() > 64) out += "...";
    return out + "'";
}

std::string joined(std::initializer_list<std::string_view> names, const char* separator) {
    std::string out;
    for (const auto name : names) {
        if (!out.empty()) out += separator;
        out += name;
    }
    return out;
}

}  // namespace

Checked<QueryParams> parse_query(std::string_view target, std::initializer_list<std::string_view> allowed) {
    using Result = Checked<QueryParams>;
    QueryParams out;
    const auto q = target.find('?');
    if (q == std::string_view::npos) return Result{std::move(out), {}};
    std::string_view rest = target.substr(q + 1);
    if (rest.size() > max_query_bytes)
        return Result::fail("the query has " + std::to_string(rest.size()) + " bytes; at most " + std::to_string(max_query_bytes));
    const std::string takes = allowed.size() == 0 ? std::string("no parameters") : "only " + joined(allowed, ", ");
    while (!rest.empty()) {
        const auto amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        const auto eq = pair.find('=');
        if (eq == std::string_view::npos || eq == 0)
            return Result::fail("malformed query parameter " + shown(pair) + ": expected key=value");
        const std::string_view key = pair.substr(0, eq);
        const std::string_view value = pair.substr(eq + 1);
        if (!plain(key)) return Result::fail("malformed query key " + shown(key) + ": use letters, digits and . _ - :");
        bool known = false;
        for (const auto a : allowed) known = known || a == key;
        if (!known) return Result::fail("unknown parameter " + shown(key) + ": this request takes " + takes);
        if (!plain(value))
            return Result::fail(std::string(key) + ": malformed value " + shown(value) + ": use letters, digits and . _ - : (no escapes)");
        if (!out.emplace(std::string(key), std::string(value)).second)
            return Result::fail(std::string(key) + " is given more than once");
        if (amp == std::string_view::npos) break;
        rest = rest.substr(amp + 1);
        if (rest.empty()) return Result::fail("the query ends with '&'");
    }
    return Result{std::move(out), {}};
}

Checked<std::int64_t> integer_param(const QueryParams& query, std::string_view key, std::int64_t min, std::int64_t max) {
    using Result = Checked<std::int64_t>;
    const std::string range = std::to_string(min) + ".." + std::to_string(max);
    const auto it = query.find(key);
    if (it == query.end()) return Result::fail(std::string(key) + " is required (an integer " + range + ")");
    const std::string& text = it->second;
    std::int64_t value = 0;
    const bool sign_ok = text.empty() || text[0] != '+';
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (!sign_ok || ec == std::errc::invalid_argument || end != text.data() + text.size() || text.empty())
        return Result::fail(std::string(key) + ": expected an integer " + range + ", got " + shown(text));
    if (ec == std::errc::result_out_of_range || value < min || value > max)
        return Result::fail(std::string(key) + ": " + text + " is out of range (" + range + ")");
    return Result{value, {}};
}

Checked<std::string> choice_param(const QueryParams& query, std::string_view key, std::initializer_list<std::string_view> choices) {
    using Result = Checked<std::string>;
    const auto it = query.find(key);
    if (it == query.end()) return Result::fail(std::string(key) + " is required (" + joined(choices, "|") + ")");
    for (const auto choice : choices)
        if (it->second == choice) return Result{it->second, {}};
    return Result::fail(std::string(key) + ": unknown value " + shown(it->second) + " (" + joined(choices, "|") + ")");
}

Checked<std::string> route_address_param(const QueryParams& query, std::string_view key, bool allow_non_loopback) {
    using Result = Checked<std::string>;
    const auto it = query.find(key);
    if (it == query.end()) return Result::fail(std::string(key) + " is required (a dotted IPv4 address)");
    const auto ip = net::parse_ipv4(it->second);
    if (!ip || net::format_ipv4(*ip) != it->second)
        return Result::fail(std::string(key) + ": expected a dotted IPv4 address such as 127.0.0.10, got " + shown(it->second));
    if (!allow_non_loopback && (*ip >> 24) != 127)
        return Result::fail(std::string(key) + ": " + it->second +
                            " is not on loopback (127.0.0.0/8); start serve with --allow-non-loopback-routes to allow it");
    if (*ip == 0) return Result::fail(std::string(key) + ": 0.0.0.0 is not an address a client can connect to");
    return Result{it->second, {}};
}

std::optional<std::string> check_connection_id(std::string_view id) {
    if (id.empty()) return "the connection id must not be empty";
    if (id.size() > max_id_bytes)
        return "the connection id has " + std::to_string(id.size()) + " characters; at most " + std::to_string(max_id_bytes);
    if (!plain(id)) return "malformed connection id " + shown(id) + ": use letters, digits and . _ - :";
    return std::nullopt;
}

std::optional<std::string> check_empty_body(std::string_view body) {
    if (body.empty()) return std::nullopt;
    return "this request takes no body (got " + std::to_string(body.size()) + " bytes); parameters go in the query";
}

}  // namespace routelab::live
