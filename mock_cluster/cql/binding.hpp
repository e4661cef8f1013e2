#pragma once
// Binds a request's values to a compiled statement (partition key, token, row image)
// and turns what the coordinator read back into a Rows result.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "mock_cluster/cql/compiled_statement.hpp"

namespace routelab::cluster::cql {

struct BoundOperation {
    std::vector<std::vector<std::uint8_t>> key_components;  // one per partition-key column
    std::vector<std::uint8_t> partition_key;                 // the hashed bytes
    std::int64_t token = 0;
    std::vector<std::uint8_t> row;    // writes: the non-key columns as consecutive [bytes]
    std::int32_t limit = -1;          // selects: -1 = none
    // selects: the values clustering filters require (nullopt: a null, which matches nothing)
    std::vector<std::optional<std::vector<std::uint8_t>>> clustering_values;
};

// Fills `out` (its buffers are reused); returns an error to send instead on failure.
std::optional<CompileError> bind(const CompiledStatement& statement, const routelab::cql::QueryParameters& parameters,
                                 BoundOperation& out);

// The Rows result of a select, given the row the coordinator found (if any).
routelab::cql::RowsResult rows_result(const CompiledStatement& statement, const BoundOperation& bound, bool found,
                                      std::string_view stored_row, bool skip_metadata);

}  // namespace routelab::cluster::cql
