#pragma once
// Keyspaces and tables the cluster knows, with their placement.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/types.hpp"
#include "mock_cluster/topology/token_ring.hpp"

namespace routelab::cluster {

struct ColumnDef {
    std::string name;
    routelab::cql::ColumnType type;
};

struct TableDef {
    std::uint32_t id = 0;                    // index into every node's table stores
    std::string keyspace;
    std::string name;
    std::vector<ColumnDef> columns;          // partition key columns first
    std::size_t partition_key_columns = 1;

    const ColumnDef* column(const std::string& column_name) const;
    std::optional<std::size_t> column_index(const std::string& column_name) const;
};

struct KeyspaceDef {
    std::string name;
    ReplicationStrategy strategy;
    ReplicaMap replicas;                     // placement on the current ring
    std::map<std::string, std::uint32_t> tables;  // name -> table id
};

class Schema {
public:
    KeyspaceDef& add_keyspace(const std::string& name, ReplicationStrategy strategy, const TokenRing& ring);
    const TableDef& add_table(TableDef table);  // assigns the id; keyspace must exist

    const KeyspaceDef* keyspace(const std::string& name) const;
    const TableDef* table(const std::string& keyspace, const std::string& name) const;
    const TableDef& table(std::uint32_t id) const { return tables_[id]; }
    std::size_t table_count() const { return tables_.size(); }

private:
    std::map<std::string, KeyspaceDef> keyspaces_;
    std::vector<TableDef> tables_;
};

}  // namespace routelab::cluster
