#include "mock_cluster/cql/literal.hpp"

#include <charconv>

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
        default:
            error = "literals of type " + routelab::cql::type_name(type) + " are not supported; bind a value instead";
            return std::nullopt;
    }
}

}  // namespace routelab::cluster::cql
