#include "mock_cluster/cql/literal.hpp"

#include <charconv>
#include <cstring>

#include "sim/net/endpoint.hpp"

namespace routelab::cluster::cql {

namespace {

using routelab::cql::TypeId;

template <typename Int>
std::optional<std::vector<std::uint8_t>> integer(const Literal& l, std::string& error) {
    Int v{};
    auto [end, ec] = std::from_chars(l.text.data(), l.text.data() + l.text.size(), v);
    if (l.quoted || ec != std::errc{} || end != l.text.data() + l.text.size()) {
        error = "expected an integer literal, got '" + l.text + "'";
        return std::nullopt;
    }
    std::vector<std::uint8_t> out(sizeof(Int));
    auto u = static_cast<std::make_unsigned_t<Int>>(v);
    for (std::size_t i = sizeof(Int); i-- > 0;) {
        out[i] = static_cast<std::uint8_t>(u & 0xFF);
        u = static_cast<decltype(u)>(u >> 8);
    }
    return out;
}

template <typename Float, typename Bits>
std::optional<std::vector<std::uint8_t>> floating(const Literal& l, std::string& error) {
    Float v{};
    auto [end, ec] = std::from_chars(l.text.data(), l.text.data() + l.text.size(), v);
    if (l.quoted || ec != std::errc{} || end != l.text.data() + l.text.size()) {
        error = "expected a number, got '" + l.text + "'";
        return std::nullopt;
    }
    Bits u{};
    std::memcpy(&u, &v, sizeof u);
    std::vector<std::uint8_t> out(sizeof u);
    for (std::size_t i = sizeof u; i-- > 0;) {
        out[i] = static_cast<std::uint8_t>(u & 0xFF);
        u = static_cast<Bits>(u >> 8);
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> uuid(const Literal& l, std::string& error) {
    std::vector<std::uint8_t> out;
    int nibble = -1;
    for (char c : l.text) {
        if (c == '-') continue;
        int v = -1;
        if (c >= '0' && c <= '9') v = c - '0';
        else if (c >= 'a' && c <= 'f') v = c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v = c - 'A' + 10;
        if (v < 0) break;
        if (nibble < 0) {
            nibble = v;
        } else {
            out.push_back(static_cast<std::uint8_t>(nibble << 4 | v));
            nibble = -1;
        }
    }
    if (l.quoted || out.size() != 16 || l.text.size() != 36) {
        error = "expected a UUID literal like 123e4567-e89b-12d3-a456-426614174000, got '" + l.text + "'";
        return std::nullopt;
    }
    return out;
}

std::optional<std::vector<std::uint8_t>> inet(const Literal& l, std::string& error) {
    const auto ip = net::parse_ipv4(l.text);
    if (!l.quoted || !ip) {
        error = "expected a quoted IPv4 address like '127.0.0.1', got '" + l.text + "'";
        return std::nullopt;
    }
    return std::vector<std::uint8_t>{static_cast<std::uint8_t>(*ip >> 24), static_cast<std::uint8_t>(*ip >> 16),
                                     static_cast<std::uint8_t>(*ip >> 8), static_cast<std::uint8_t>(*ip)};
}

}  // namespace

std::optional<std::vector<std::uint8_t>> literal_bytes(const Literal& l, const routelab::cql::ColumnType& type, std::string& error) {
    switch (type.id) {
        case TypeId::bigint:
        case TypeId::counter:
        case TypeId::timestamp: return integer<std::int64_t>(l, error);
        case TypeId::int_: return integer<std::int32_t>(l, error);
        case TypeId::smallint: return integer<std::int16_t>(l, error);
        case TypeId::tinyint: return integer<std::int8_t>(l, error);
        case TypeId::boolean:
            if (!l.quoted && (l.text == "true" || l.text == "false")) return std::vector<std::uint8_t>{l.text == "true" ? std::uint8_t{1} : std::uint8_t{0}};
            error = "expected true or false, got '" + l.text + "'";
            return std::nullopt;
        case TypeId::varchar:
        case TypeId::ascii:
            if (!l.quoted) {
                error = "expected a string literal, got '" + l.text + "'";
                return std::nullopt;
            }
            return std::vector<std::uint8_t>(l.text.begin(), l.text.end());
        case TypeId::blob: {
            if (l.quoted || l.text.size() < 2 || l.text[0] != '0' || (l.text[1] != 'x' && l.text[1] != 'X') || l.text.size() % 2 != 0) {
                error = "expected a blob literal like 0xcafe, got '" + l.text + "'";
                return std::nullopt;
            }
            std::vector<std::uint8_t> out;
            for (std::size_t i = 2; i < l.text.size(); i += 2) {
                unsigned byte = 0;
                auto [end, ec] = std::from_chars(l.text.data() + i, l.text.data() + i + 2, byte, 16);
                if (ec != std::errc{} || end != l.text.data() + i + 2) {
                    error = "expected hex digits in '" + l.text + "'";
                    return std::nullopt;
                }
                out.push_back(static_cast<std::uint8_t>(byte));
            }
            return out;
        }
        case TypeId::double_: return floating<double, std::uint64_t>(l, error);
        case TypeId::float_: return floating<float, std::uint32_t>(l, error);
        case TypeId::uuid:
        case TypeId::timeuuid: return uuid(l, error);
        case TypeId::inet: return inet(l, error);
        default:
            error = "literals of type " + routelab::cql::type_name(type) + " are not supported; bind a value instead";
            return std::nullopt;
    }
}

}  // namespace routelab::cluster::cql
