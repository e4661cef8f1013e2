#pragma once
// Keyspaces and tables the cluster knows, with their placement, and the schema version
// every node reports.
//
// Definitions are shared: a compiled (prepared) statement keeps the definitions it was
// compiled against alive, so dropping a keyspace or table never leaves it dangling; the
// dropped definition is marked `dropped` and such statements are refused (EXECUTE answers
// Unprepared so drivers re-prepare against the current schema).
#include <array>
#include <cstdint>
#include <map>
#include <memory>
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

enum class ClusteringOrder : std::uint8_t { asc, desc };

struct TableDef {
    std::uint32_t id = 0;                    // index into every node's table stores; never reused
    std::string keyspace;
    std::string name;
    std::vector<ColumnDef> columns;          // partition key, then clustering, then regular columns
    std::size_t partition_key_columns = 1;
    std::size_t clustering_key_columns = 0;  // stored with the row: the store keeps one row per partition
    std::vector<ClusteringOrder> clustering_order;  // one per clustering column; empty = all ascending
    bool dropped = false;

    const ColumnDef* column(const std::string& column_name) const;
    std::optional<std::size_t> column_index(const std::string& column_name) const;
    ClusteringOrder order_of_clustering(std::size_t clustering_position) const {
        return clustering_position < clustering_order.size() ? clustering_order[clustering_position] : ClusteringOrder::asc;
    }
};

struct KeyspaceDef {
    std::string name;
    ReplicationStrategy strategy;
    bool durable_writes = true;
    ReplicaMap replicas;                     // placement on the current ring
    std::map<std::string, std::uint32_t> tables;  // name -> table id (live tables only)
    bool dropped = false;
};

using SchemaVersion = std::array<std::uint8_t, 16>;

class Schema {
public:
    Schema();

    // Replaces a keyspace of the same name (its tables are dropped).
    KeyspaceDef& add_keyspace(const std::string& name, ReplicationStrategy strategy, const TokenRing& ring,
                              bool durable_writes = true);
    const TableDef& add_table(TableDef table);  // assigns the id; keyspace must exist
    // Return false when there was nothing to drop.
    bool drop_keyspace(const std::string& name);
    bool drop_table(const std::string& keyspace, const std::string& name);
    // Recomputes every live keyspace's replica placement on `ring` (a node joined or left).
    // Not a schema change: the version stays. Statements compiled against a keyspace see
    // the new placement (they share its definition).
    void place_on(const TokenRing& ring);

    const KeyspaceDef* keyspace(const std::string& name) const;
    const TableDef* table(const std::string& keyspace, const std::string& name) const;
    std::shared_ptr<const KeyspaceDef> keyspace_ptr(const std::string& name) const;
    std::shared_ptr<const TableDef> table_ptr(const std::string& keyspace, const std::string& name) const;
    const TableDef& table(std::uint32_t id) const { return *tables_[id]; }
    std::size_t table_count() const { return tables_.size(); }
    // Live keyspaces by name.
    const std::map<std::string, std::shared_ptr<KeyspaceDef>>& keyspaces() const { return keyspaces_; }

    // A UUID that changes with every schema change and depends only on how many changes
    // there were, so every node reports the same one (schema agreement) in every run.
    const SchemaVersion& version() const { return version_; }
    std::uint64_t changes() const { return changes_; }

private:
    void changed();

    std::map<std::string, std::shared_ptr<KeyspaceDef>> keyspaces_;
    std::vector<std::shared_ptr<TableDef>> tables_;   // by id, dropped ones included
    std::uint64_t changes_ = 0;
    SchemaVersion version_{};
};

}  // namespace routelab::cluster
