#pragma once
// Clustering keys as byte strings that sort the way CQL sorts the rows.
//
// Each component is transformed so that comparing bytes compares values of its type
// (signed integers get their sign bit flipped, floating point numbers their IEEE order
// fixed, text and blobs compare as bytes), then made self-delimiting (0x00 becomes
// 0x00 0xFF, and 0x00 0x01 ends the component), then inverted for a DESC column. A key
// made of the first k components is therefore a byte prefix of every key that starts
// with those values, which is what slices and range deletions need.
//
// Types whose CQL order is not their byte order (varint, decimal, timeuuid, inet,
// collections) sort by their bytes here: documented in mock_cluster/README.md.
#include <cstdint>
#include <span>
#include <string>

#include "driver/protocol/types.hpp"
#include "mock_cluster/schema/schema.hpp"

namespace routelab::cluster {

// Appends one component's comparable form to `out`.
void append_clustering_component(std::string& out, const routelab::cql::ColumnType& type,
                                 std::span<const std::uint8_t> value, ClusteringOrder order);

}  // namespace routelab::cluster
