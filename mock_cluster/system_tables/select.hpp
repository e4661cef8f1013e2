#pragma once
// Answers a compiled system-table read from the cluster model as one node sees it:
// generates the table's rows, keeps those matching every WHERE restriction (= and IN,
// by comparing serialized values), applies LIMIT and the projection.
#include <optional>

#include "driver/protocol/messages.hpp"
#include "mock_cluster/cql/compiled_statement.hpp"
#include "mock_cluster/system_tables/catalog.hpp"

namespace routelab::cluster::system_tables {

// Fills `out`, or returns the error to send instead (bad bound values).
std::optional<cql::CompileError> select(const cql::CompiledStatement& statement, const routelab::cql::QueryParameters& parameters,
                                        const SystemView& view, routelab::cql::RowsResult& out);

}  // namespace routelab::cluster::system_tables
