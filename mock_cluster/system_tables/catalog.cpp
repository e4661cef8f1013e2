#include "mock_cluster/system_tables/catalog.hpp"

#include <algorithm>
#include <cassert>
#include <initializer_list>
#include <utility>

#include "mock_cluster/system_tables/row_sources.hpp"

namespace routelab::cluster::system_tables {

namespace {

using Column = std::pair<const char*, const char*>;  // name, CQL type

// Regular columns are listed by name, as Cassandra orders them after the key columns.
SystemTable table(const char* keyspace, const char* name, std::initializer_list<Column> partition_key,
                  std::initializer_list<Column> clustering, std::initializer_list<Column> regular, RowSource rows) {
    SystemTable t;
    t.shape.keyspace = keyspace;
    t.shape.name = name;
    t.shape.partition_key_columns = partition_key.size();
    t.shape.clustering_key_columns = clustering.size();
    for (const auto& group : {partition_key, clustering, regular}) {
        for (const auto& [column, type] : group) {
            ColumnDef def;
            def.name = column;
            [[maybe_unused]] const bool ok = routelab::cql::parse_type_name(type, def.type);
            assert(ok);
            t.shape.columns.push_back(std::move(def));
        }
    }
    t.rows = rows;
    return t;
}

std::vector<SystemTable> build() {
    std::vector<SystemTable> t;
    // ---- system ----
    t.push_back(table("system", "client_routes", {{"connection_id", "text"}}, {{"host_id", "uuid"}},
                      {{"address", "text"}, {"alternator_https_port", "int"}, {"alternator_port", "int"},
                       {"port", "int"}, {"tls_port", "int"}},
                      client_routes_rows));
    t.push_back(table("system", "local", {{"key", "text"}}, {},
                      {{"bootstrapped", "text"}, {"broadcast_address", "inet"}, {"cluster_name", "text"},
                       {"cql_version", "text"}, {"data_center", "text"}, {"gossip_generation", "int"},
                       {"host_id", "uuid"}, {"listen_address", "inet"}, {"native_protocol_version", "text"},
                       {"partitioner", "text"}, {"rack", "text"}, {"release_version", "text"},
                       {"rpc_address", "inet"}, {"schema_version", "uuid"}, {"supported_features", "text"},
                       {"tokens", "set<text>"}, {"truncated_at", "map<uuid, blob>"}},
                      local_rows));
    t.push_back(table("system", "peers", {{"peer", "inet"}}, {},
                      {{"data_center", "text"}, {"host_id", "uuid"}, {"preferred_ip", "inet"}, {"rack", "text"},
                       {"release_version", "text"}, {"rpc_address", "inet"}, {"schema_version", "uuid"},
                       {"supported_features", "text"}, {"tokens", "set<text>"}},
                      peers_rows));
    // ---- system_schema ----
    t.push_back(table("system_schema", "aggregates", {{"keyspace_name", "text"}},
                      {{"aggregate_name", "text"}, {"argument_types", "frozen<list<text>>"}},
                      {{"final_func", "text"}, {"initcond", "text"}, {"return_type", "text"}, {"state_func", "text"},
                       {"state_type", "text"}},
                      no_rows));
    t.push_back(table("system_schema", "columns", {{"keyspace_name", "text"}},
                      {{"table_name", "text"}, {"column_name", "text"}},
                      {{"clustering_order", "text"}, {"column_name_bytes", "blob"}, {"kind", "text"},
                       {"position", "int"}, {"type", "text"}},
                      columns_rows));
    t.push_back(table("system_schema", "dropped_columns", {{"keyspace_name", "text"}},
                      {{"table_name", "text"}, {"column_name", "text"}},
                      {{"dropped_time", "timestamp"}, {"type", "text"}}, no_rows));
    t.push_back(table("system_schema", "functions", {{"keyspace_name", "text"}},
                      {{"function_name", "text"}, {"argument_types", "frozen<list<text>>"}},
                      {{"argument_names", "frozen<list<text>>"}, {"body", "text"}, {"called_on_null_input", "boolean"},
                       {"language", "text"}, {"return_type", "text"}},
                      no_rows));
    t.push_back(table("system_schema", "indexes", {{"keyspace_name", "text"}}, {{"table_name", "text"}, {"index_name", "text"}},
                      {{"kind", "text"}, {"options", "frozen<map<text, text>>"}}, no_rows));
    t.push_back(table("system_schema", "keyspaces", {{"keyspace_name", "text"}}, {},
                      {{"durable_writes", "boolean"}, {"replication", "frozen<map<text, text>>"}}, keyspaces_rows));
    t.push_back(table("system_schema", "scylla_keyspaces", {{"keyspace_name", "text"}}, {},
                      {{"initial_tablets", "int"}, {"storage_options", "frozen<map<text, text>>"}, {"storage_type", "text"}},
                      no_rows));
    t.push_back(table("system_schema", "scylla_tables", {{"keyspace_name", "text"}}, {{"table_name", "text"}},
                      {{"cdc", "frozen<map<text, text>>"}, {"partitioner", "text"}, {"version", "uuid"}}, no_rows));
    t.push_back(table("system_schema", "tables", {{"keyspace_name", "text"}}, {{"table_name", "text"}},
                      {{"bloom_filter_fp_chance", "double"}, {"caching", "frozen<map<text, text>>"}, {"comment", "text"},
                       {"compaction", "frozen<map<text, text>>"}, {"compression", "frozen<map<text, text>>"},
                       {"crc_check_chance", "double"}, {"dclocal_read_repair_chance", "double"},
                       {"default_time_to_live", "int"}, {"extensions", "frozen<map<text, blob>>"},
                       {"flags", "frozen<set<text>>"}, {"gc_grace_seconds", "int"}, {"id", "uuid"},
                       {"max_index_interval", "int"}, {"memtable_flush_period_in_ms", "int"},
                       {"min_index_interval", "int"}, {"read_repair_chance", "double"}, {"speculative_retry", "text"}},
                      tables_rows));
    t.push_back(table("system_schema", "triggers", {{"keyspace_name", "text"}}, {{"table_name", "text"}, {"trigger_name", "text"}},
                      {{"options", "frozen<map<text, text>>"}}, no_rows));
    t.push_back(table("system_schema", "types", {{"keyspace_name", "text"}}, {{"type_name", "text"}},
                      {{"field_names", "frozen<list<text>>"}, {"field_types", "frozen<list<text>>"}}, no_rows));
    t.push_back(table("system_schema", "views", {{"keyspace_name", "text"}}, {{"view_name", "text"}},
                      {{"base_table_id", "uuid"}, {"base_table_name", "text"}, {"bloom_filter_fp_chance", "double"},
                       {"caching", "frozen<map<text, text>>"}, {"comment", "text"}, {"compaction", "frozen<map<text, text>>"},
                       {"compression", "frozen<map<text, text>>"}, {"crc_check_chance", "double"},
                       {"dclocal_read_repair_chance", "double"}, {"default_time_to_live", "int"},
                       {"extensions", "frozen<map<text, blob>>"}, {"gc_grace_seconds", "int"}, {"id", "uuid"},
                       {"include_all_columns", "boolean"}, {"max_index_interval", "int"},
                       {"memtable_flush_period_in_ms", "int"}, {"min_index_interval", "int"},
                       {"read_repair_chance", "double"}, {"speculative_retry", "text"}, {"where_clause", "text"}},
                      no_rows));
    return t;
}

const std::vector<SystemTable>& tables() {
    static const std::vector<SystemTable> all_tables = build();
    return all_tables;
}

}  // namespace

bool is_served_system_keyspace(std::string_view keyspace) { return keyspace == "system" || keyspace == "system_schema"; }

bool is_system_keyspace(std::string_view keyspace) {
    for (std::string_view k : {"system", "system_schema", "system_auth", "system_distributed", "system_distributed_everywhere",
                               "system_traces", "system_virtual_schema", "system_views"})
        if (keyspace == k) return true;
    return false;
}

const SystemTable* find(std::string_view keyspace, std::string_view name) {
    for (const auto& t : tables())
        if (t.shape.keyspace == keyspace && t.shape.name == name) return &t;
    return nullptr;
}

std::span<const SystemTable> all() { return tables(); }

}  // namespace routelab::cluster::system_tables

namespace routelab::cluster::system_tables {

Cells row_of(const SystemTable& table, std::initializer_list<std::pair<std::string_view, std::optional<routelab::cql::Bytes>>> cells) {
    Cells row(table.shape.columns.size());
    for (const auto& [name, value] : cells) {
        const auto index = table.shape.column_index(std::string(name));
        assert(index && "row_of names a column the table does not have");
        row[*index] = value;
    }
    return row;
}

}  // namespace routelab::cluster::system_tables
