#pragma once
// Turns a CQL literal (as written in a statement) into the serialized bytes of a column
// type, for the native types statements in workloads use.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/types.hpp"
#include "mock_cluster/cql/statement.hpp"

namespace routelab::cluster::cql {

// Returns the bytes, or nullopt and an explanation in `error`.
std::optional<std::vector<std::uint8_t>> literal_bytes(const Literal& literal, const routelab::cql::ColumnType& type,
                                                       std::string& error);

}  // namespace routelab::cluster::cql
