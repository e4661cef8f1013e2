#pragma once
// Binds a request's values to a compiled statement (partition key and token, the
// clustering key, the mutation or slice the replicas get, paging) and turns what the
// coordinator read back into a Rows result.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "mock_cluster/cql/compiled_statement.hpp"
#include "mock_cluster/storage/row_set.hpp"

namespace routelab::cluster::cql {

using MaybeBytes = std::optional<std::vector<std::uint8_t>>;

struct BoundOperation {
    // The hashed bytes: the key column's value, or the composite of several columns'.
    std::vector<std::uint8_t> partition_key;
    std::size_t key_columns = 0;                             // how many columns it holds
    std::int64_t token = 0;
    std::size_t clustering_columns = 0;                      // the bound clustering prefix's length
    std::vector<std::uint8_t> clustering_raw;                // its values as consecutive [bytes]
    std::string clustering_key;                              // its comparable form
    std::vector<std::uint8_t> payload;   // writes: the mutation; selects: the slice (storage/mutation.hpp)
    std::int32_t limit = -1;             // selects: rows left under LIMIT; -1 = none
    bool limit_reached = false;          // selects: a paging state with no rows left under LIMIT
    std::int32_t page_size = -1;         // selects: rows per page; -1 = all at once
    std::vector<MaybeBytes> condition_values;   // lightweight transactions: one per condition

    // Partition-key column `i`'s value: a view of partition_key (no copy per column).
    std::span<const std::uint8_t> key_component(std::size_t i) const;
};

// Fills `out` (its buffers are reused); returns an error to send instead on failure.
std::optional<CompileError> bind(const CompiledStatement& statement, const routelab::cql::QueryParameters& parameters,
                                 BoundOperation& out);

// The Rows result of a select from the rows the coordinator gathered (null: none), one
// page of them with the paging state of the next when more remain.
routelab::cql::RowsResult rows_result(const CompiledStatement& statement, const BoundOperation& bound, const RowSet* rows,
                                      bool skip_metadata);

// Lightweight transactions: whether the condition holds on the current row, and the
// result to answer ([applied], then — when not applied — the values that decided it).
bool condition_holds(const CompiledStatement& statement, const BoundOperation& bound, const RowSet& current);
routelab::cql::RowsResult lwt_result(const CompiledStatement& statement, const BoundOperation& bound, bool applied,
                                     const RowSet& current);

}  // namespace routelab::cluster::cql
