#include "mock_cluster/system_tables/cells.hpp"

#include <cstring>

#include "driver/protocol/byte_writer.hpp"

namespace routelab::cluster::system_tables::cell {

Bytes text(std::string_view s) { return Bytes(s.begin(), s.end()); }

Bytes uuid(const std::array<std::uint8_t, 16>& id) { return Bytes(id.begin(), id.end()); }

Bytes inet(std::uint32_t ipv4) {
    return Bytes{static_cast<std::uint8_t>(ipv4 >> 24), static_cast<std::uint8_t>(ipv4 >> 16),
                 static_cast<std::uint8_t>(ipv4 >> 8), static_cast<std::uint8_t>(ipv4)};
}

Bytes int32(std::int32_t v) {
    Bytes out;
    routelab::cql::ByteWriter(out).i32(v);
    return out;
}

Bytes boolean(bool v) { return Bytes{static_cast<std::uint8_t>(v ? 1 : 0)}; }

Bytes float64(double v) {
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof bits);
    Bytes out;
    routelab::cql::ByteWriter(out).i64(static_cast<std::int64_t>(bits));
    return out;
}

Bytes text_collection(const std::vector<std::string>& elements) {
    Bytes out;
    routelab::cql::ByteWriter w(out);
    w.i32(static_cast<std::int32_t>(elements.size()));
    for (const auto& e : elements) {
        w.i32(static_cast<std::int32_t>(e.size()));
        w.raw(e);
    }
    return out;
}

Bytes text_map(const std::vector<std::pair<std::string, std::string>>& entries) {
    Bytes out;
    routelab::cql::ByteWriter w(out);
    w.i32(static_cast<std::int32_t>(entries.size()));
    for (const auto& [k, v] : entries) {
        w.i32(static_cast<std::int32_t>(k.size()));
        w.raw(k);
        w.i32(static_cast<std::int32_t>(v.size()));
        w.raw(v);
    }
    return out;
}

}  // namespace routelab::cluster::system_tables::cell
