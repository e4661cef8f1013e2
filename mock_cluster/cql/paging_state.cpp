#include "mock_cluster/cql/paging_state.hpp"

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/byte_writer.hpp"

namespace routelab::cluster::cql {

namespace {
constexpr std::string_view magic = "rlp1";
}

std::vector<std::uint8_t> encode_paging_state(const PagingPosition& position) {
    std::vector<std::uint8_t> out;
    routelab::cql::ByteWriter w(out);
    w.raw(magic);
    w.i64(static_cast<std::int64_t>(position.partition_hash));
    w.i32(position.remaining);
    w.i32(static_cast<std::int32_t>(position.last_key.size()));
    w.raw(position.last_key);
    return out;
}

std::optional<PagingPosition> decode_paging_state(std::span<const std::uint8_t> bytes) {
    routelab::cql::ByteReader r(bytes);
    const auto head = r.raw(magic.size());
    if (r.failed() || std::string_view(reinterpret_cast<const char*>(head.data()), head.size()) != magic) return std::nullopt;
    PagingPosition p;
    p.partition_hash = static_cast<std::uint64_t>(r.i64());
    p.remaining = r.i32();
    const std::int32_t length = r.i32();
    if (r.failed() || length < 0 || static_cast<std::size_t>(length) != r.remaining() || p.remaining < -1) return std::nullopt;
    const auto key = r.raw(static_cast<std::size_t>(length));
    p.last_key.assign(reinterpret_cast<const char*>(key.data()), key.size());
    return p;
}

}  // namespace routelab::cluster::cql
