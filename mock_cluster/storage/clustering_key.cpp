#include "mock_cluster/storage/clustering_key.hpp"

namespace routelab::cluster {

namespace {

using routelab::cql::TypeId;

bool is_signed_integer(TypeId id) {
    return id == TypeId::int_ || id == TypeId::bigint || id == TypeId::smallint || id == TypeId::tinyint ||
           id == TypeId::timestamp || id == TypeId::time || id == TypeId::counter;
}

// The value's byte at `i` rewritten so that unsigned byte order is the type's order.
std::uint8_t order_preserving(TypeId id, std::span<const std::uint8_t> value, std::size_t i) {
    const std::uint8_t b = value[i];
    if (is_signed_integer(id)) return i == 0 ? static_cast<std::uint8_t>(b ^ 0x80) : b;
    if (id == TypeId::float_ || id == TypeId::double_) {
        // Negative numbers: invert every bit (a bigger magnitude sorts first); positive
        // ones: set the sign bit so they sort after every negative one.
        if (value[0] & 0x80) return static_cast<std::uint8_t>(~b);
        return i == 0 ? static_cast<std::uint8_t>(b | 0x80) : b;
    }
    // date is an unsigned day count centred on 2^31: already in order. boolean, text,
    // ascii, blob, uuid: their bytes.
    return b;
}

}  // namespace

void append_clustering_component(std::string& out, const routelab::cql::ColumnType& type,
                                 std::span<const std::uint8_t> value, ClusteringOrder order) {
    const std::size_t start = out.size();
    for (std::size_t i = 0; i < value.size(); ++i) {
        const auto b = order_preserving(type.id, value, i);
        out.push_back(static_cast<char>(b));
        if (b == 0) out.push_back('\xFF');
    }
    out.push_back('\0');
    out.push_back('\x01');
    if (order == ClusteringOrder::desc)
        for (std::size_t i = start; i < out.size(); ++i) out[i] = static_cast<char>(~static_cast<unsigned char>(out[i]));
}

}  // namespace routelab::cluster
