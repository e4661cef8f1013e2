#pragma once
// Typed access to one row of a Rows result by column name, for the metadata readers
// (system.local, system.peers, system_schema, system.client_routes). An absent column
// reads as nothing; a malformed cell sets `error` naming the column.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "driver/protocol/values.hpp"
#include "sim/net/endpoint.hpp"

namespace routelab::driver {

class RowReader {
public:
    RowReader(const cql::RowsResult& rows, std::size_t row) : rows_(rows), row_(row) {}

    std::optional<cql::CqlValue> get(const std::string& column, std::string& error) const {
        const auto& columns = rows_.metadata.columns;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            if (columns[i].name != column) continue;
            const auto& cell = rows_.rows[row_].at(i);
            std::optional<std::span<const std::uint8_t>> bytes;
            if (cell) bytes = std::span<const std::uint8_t>(*cell);
            auto value = cql::decode_cell(columns[i].type, bytes);
            if (!value) {
                error = "column " + column + ": " + value.error().to_string();
                return std::nullopt;
            }
            return *value;
        }
        return std::nullopt;  // absent column
    }
    std::string text(const std::string& column, std::string& error) const {
        auto v = get(column, error);
        if (!v) return {};
        if (const auto* s = std::get_if<std::string>(&v->data)) return *s;
        if (const auto* u = std::get_if<cql::Uuid>(&v->data)) return uuid_text(*u);
        return {};
    }
    // An int column; nullopt when absent or null.
    std::optional<std::int32_t> int32(const std::string& column, std::string& error) const {
        auto v = get(column, error);
        if (!v) return std::nullopt;
        if (const auto* i = std::get_if<std::int32_t>(&v->data)) return *i;
        return std::nullopt;
    }
    std::optional<std::uint32_t> ipv4(const std::string& column, std::string& error) const {
        auto v = get(column, error);
        if (!v) return std::nullopt;
        const auto* ip = std::get_if<cql::InetAddress>(&v->data);
        if (ip == nullptr || ip->size != 4) return std::nullopt;
        return net::ipv4(ip->bytes[0], ip->bytes[1], ip->bytes[2], ip->bytes[3]);
    }
    std::vector<std::string> text_set(const std::string& column, std::string& error) const {
        std::vector<std::string> out;
        auto v = get(column, error);
        if (!v) return out;
        if (const auto* c = std::get_if<cql::CqlCollection>(&v->data))
            for (const auto& e : c->elements)
                if (const auto* s = std::get_if<std::string>(&e.data)) out.push_back(*s);
        return out;
    }
    std::map<std::string, std::string> text_map(const std::string& column, std::string& error) const {
        std::map<std::string, std::string> out;
        auto v = get(column, error);
        if (!v) return out;
        if (const auto* m = std::get_if<cql::CqlMap>(&v->data))
            for (std::size_t i = 0; i < m->keys.size(); ++i) {
                const auto* k = std::get_if<std::string>(&m->keys[i].data);
                const auto* val = std::get_if<std::string>(&m->values[i].data);
                if (k && val) out[*k] = *val;
            }
        return out;
    }

    static std::string uuid_text(const cql::Uuid& u) {
        static constexpr char hex[] = "0123456789abcdef";
        std::string s;
        for (std::size_t i = 0; i < u.size(); ++i) {
            if (i == 4 || i == 6 || i == 8 || i == 10) s.push_back('-');
            s.push_back(hex[u[i] >> 4]);
            s.push_back(hex[u[i] & 0xf]);
        }
        return s;
    }

private:
    const cql::RowsResult& rows_;
    std::size_t row_;
};

}  // namespace routelab::driver
