#pragma once
// A statement resolved against the schema: which table, where each value comes from
// (a bind marker or a literal), what the bind markers and result columns look like.
// Compiled once per PREPARE (or per QUERY) so executing is only binding and routing.
//
// Four families: reads and writes of user tables (through the coordinator), reads of
// system tables (answered by the node from the cluster model), schema changes, and USE.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "mock_cluster/cql/statement.hpp"
#include "mock_cluster/schema/schema.hpp"
#include "mock_cluster/schema/schema_change.hpp"
#include "mock_cluster/system_tables/catalog.hpp"

namespace routelab::cluster::cql {

struct ValueSource {
    enum class Kind : std::uint8_t { bind, constant, unset } kind = Kind::unset;
    std::size_t bind_index = 0;
    std::vector<std::uint8_t> constant;
};

// A restriction of a system-table read: the column's value must equal one of the values.
struct RowFilter {
    std::size_t column = 0;              // index in the table's columns
    Relation::Op op = Relation::Op::eq;
    std::vector<ValueSource> values;     // eq: 1; in_list: n; in_marker: 1 bound to a list
};

// A projection entry that is not a table column: the partition key's token, as
// `SELECT token(pk) ...` asks (a bigint named "system.token(pk)", as Cassandra names it).
inline constexpr std::size_t token_selector = static_cast<std::size_t>(-1);

// A bound on the clustering column after the = prefix, in the column's value order.
struct ClusteringBound {
    ValueSource value;
    bool inclusive = true;
};

// A lightweight transaction's condition.
enum class LwtKind : std::uint8_t { none, if_not_exists, if_exists, if_conditions };
struct LwtCondition {
    std::size_t column = 0;   // a regular column's index in the table's columns
    ValueSource value;
};

struct CompiledStatement {
    enum class Kind : std::uint8_t { select, write, remove, use, system_select, schema_change } kind = Kind::select;
    std::string use_keyspace;                      // for use
    std::shared_ptr<const KeyspaceDef> keyspace;   // user-table statements
    std::shared_ptr<const TableDef> table;
    std::vector<ValueSource> partition_key;        // one per partition-key column
    // The first clustering columns restricted with = (writes: all of them; deletes: a
    // prefix, none = the partition).
    std::vector<ValueSource> clustering_prefix;
    std::optional<ClusteringBound> lower, upper;   // select: a slice on the next clustering column
    bool reversed = false;                         // select: ORDER BY against the table's order
    std::vector<std::size_t> projection;           // select, system_select: table column indexes
    // write: one per regular column; nullopt = the statement does not write it.
    std::vector<std::optional<ValueSource>> regular_values;
    bool row_marker = false;                       // INSERT: the row exists even if every cell is null
    LwtKind lwt = LwtKind::none;
    std::vector<LwtCondition> conditions;          // if_conditions
    std::optional<ValueSource> limit;
    std::vector<routelab::cql::ColumnSpec> bind_specs;
    std::vector<std::uint16_t> pk_indexes;         // bind marker of each pk column (all bound)
    routelab::cql::RowsMetadata result_metadata;

    const system_tables::SystemTable* system_table = nullptr;  // system_select
    std::vector<RowFilter> filters;                            // system_select
    std::optional<SchemaChangePlan> schema_change;             // schema_change

    // A user-table statement whose table was dropped since it was compiled.
    bool stale() const { return table != nullptr && table->dropped; }
    bool conditional() const { return lwt != LwtKind::none; }
};

struct CompileError {
    std::int32_t code = routelab::cql::error_codes::invalid;
    std::string message;
};

struct CompileResult {
    std::optional<CompiledStatement> statement;
    CompileError error;
};

CompileResult compile(const Statement& statement, const Schema& schema, const std::string& current_keyspace);

}  // namespace routelab::cluster::cql
