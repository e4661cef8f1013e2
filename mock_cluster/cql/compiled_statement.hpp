#pragma once
// A statement resolved against the schema: which table, where each value comes from
// (a bind marker or a literal), what the bind markers and result columns look like.
// Compiled once per PREPARE (or per QUERY) so executing is only binding and routing.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "mock_cluster/cql/statement.hpp"
#include "mock_cluster/schema/schema.hpp"

namespace routelab::cluster::cql {

struct ValueSource {
    enum class Kind : std::uint8_t { bind, constant, unset } kind = Kind::unset;
    std::size_t bind_index = 0;
    std::vector<std::uint8_t> constant;
};

struct CompiledStatement {
    enum class Kind : std::uint8_t { select, write, remove, use } kind = Kind::select;
    std::string use_keyspace;                      // for use
    const KeyspaceDef* keyspace = nullptr;
    const TableDef* table = nullptr;
    std::vector<ValueSource> partition_key;        // one per partition-key column
    std::vector<std::size_t> projection;           // select: table column indexes
    std::vector<ValueSource> row_values;           // write: one per non-key column
    std::optional<ValueSource> limit;
    std::vector<routelab::cql::ColumnSpec> bind_specs;
    std::vector<std::uint16_t> pk_indexes;         // bind marker of each pk column (all bound)
    routelab::cql::RowsMetadata result_metadata;
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
