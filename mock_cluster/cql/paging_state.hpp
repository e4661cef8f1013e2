#pragma once
// The paging state the mock hands out with a page: where the next page starts (the last
// row's comparable clustering key), how many rows LIMIT still allows, and which
// partition it belongs to. Drivers treat it as opaque bytes and send it back.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace routelab::cluster::cql {

struct PagingPosition {
    std::uint64_t partition_hash = 0;   // FNV-1a of the partition key
    std::int32_t remaining = -1;        // rows LIMIT still allows; -1 = no limit
    std::string last_key;               // continue strictly after this row
};

std::vector<std::uint8_t> encode_paging_state(const PagingPosition& position);
// nullopt when the bytes are not a paging state this cluster made.
std::optional<PagingPosition> decode_paging_state(std::span<const std::uint8_t> bytes);

}  // namespace routelab::cluster::cql
