#pragma once
// RESULT bodies: Void, Rows, Set_keyspace, Prepared, Schema_change — and the metadata
// blocks they carry.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "driver/protocol/primitives.hpp"
#include "driver/protocol/types.hpp"

namespace routelab::cql {

namespace rows_flags {
constexpr std::int32_t global_tables_spec = 0x0001;
constexpr std::int32_t has_more_pages = 0x0002;
constexpr std::int32_t no_metadata = 0x0004;
}  // namespace rows_flags

// Bit 31 of the Prepared metadata flags: ScyllaDB's LWT mark (SCYLLA_LWT_ADD_METADATA_MARK).
constexpr std::uint32_t lwt_metadata_flag = 0x80000000u;

namespace result_kinds {
constexpr std::int32_t void_result = 0x0001;
constexpr std::int32_t rows = 0x0002;
constexpr std::int32_t set_keyspace = 0x0003;
constexpr std::int32_t prepared = 0x0004;
constexpr std::int32_t schema_change = 0x0005;
}  // namespace result_kinds

struct ColumnSpec {
    std::string keyspace;
    std::string table;
    std::string name;
    ColumnType type;
    bool operator==(const ColumnSpec&) const = default;
};

// Global_tables_spec is chosen by the encoder when every column names the same table.
struct RowsMetadata {
    bool no_metadata = false;            // columns omitted (the request had skip_metadata)
    std::int32_t column_count = 0;       // == columns.size() unless no_metadata
    std::optional<Bytes> paging_state;   // present: more pages
    std::vector<ColumnSpec> columns;     // empty when no_metadata
    bool operator==(const RowsMetadata&) const = default;
};

struct PreparedMetadata {
    std::vector<std::uint16_t> pk_indexes;  // v4+; bind marker index of each partition key column
    std::vector<ColumnSpec> columns;        // one per bind marker
    bool lwt = false;                       // ScyllaDB's LWT mark (bit 31 of the flags)
    bool operator==(const PreparedMetadata&) const = default;
};

using Row = std::vector<std::optional<Bytes>>;

struct VoidResult {
    bool operator==(const VoidResult&) const = default;
};
struct RowsResult {
    RowsMetadata metadata;
    std::vector<Row> rows;               // each row has metadata.column_count cells
    bool operator==(const RowsResult&) const = default;
};
struct SetKeyspaceResult {
    std::string keyspace;
    bool operator==(const SetKeyspaceResult&) const = default;
};
struct PreparedResult {
    Bytes id;
    PreparedMetadata metadata;
    RowsMetadata result_metadata;
    bool operator==(const PreparedResult&) const = default;
};

// The body shared by RESULT Schema_change and the SCHEMA_CHANGE event.
struct SchemaChange {
    std::string change_type;             // CREATED, UPDATED, DROPPED
    std::string target;                  // KEYSPACE, TABLE, TYPE, FUNCTION, AGGREGATE
    std::string keyspace;
    std::string name;                    // table/type/function name; empty for KEYSPACE
    std::vector<std::string> argument_types;  // FUNCTION/AGGREGATE
    bool operator==(const SchemaChange&) const = default;
};
struct SchemaChangeResult {
    SchemaChange change;
    bool operator==(const SchemaChangeResult&) const = default;
};

using Result = std::variant<VoidResult, RowsResult, SetKeyspaceResult, PreparedResult, SchemaChangeResult>;

}  // namespace routelab::cql
