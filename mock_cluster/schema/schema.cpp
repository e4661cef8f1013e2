#include "mock_cluster/schema/schema.hpp"

#include <cassert>

#include "sim/core/rng.hpp"

namespace routelab::cluster {

const ColumnDef* TableDef::column(const std::string& column_name) const {
    for (const auto& c : columns)
        if (c.name == column_name) return &c;
    return nullptr;
}

std::optional<std::size_t> TableDef::column_index(const std::string& column_name) const {
    for (std::size_t i = 0; i < columns.size(); ++i)
        if (columns[i].name == column_name) return i;
    return std::nullopt;
}

Schema::Schema() { changed(); }

void Schema::changed() {
    ++changes_;
    // Version-4-shaped UUID from the change counter (never from a random source).
    std::uint64_t state = sim::fnv1a64("routelab/schema/" + std::to_string(changes_));
    for (int half = 0; half < 2; ++half) {
        const std::uint64_t word = sim::splitmix64_next(state);
        for (int i = 0; i < 8; ++i) version_[static_cast<std::size_t>(half * 8 + i)] = static_cast<std::uint8_t>(word >> (56 - 8 * i));
    }
    version_[6] = static_cast<std::uint8_t>((version_[6] & 0x0f) | 0x40);
    version_[8] = static_cast<std::uint8_t>((version_[8] & 0x3f) | 0x80);
}

KeyspaceDef& Schema::add_keyspace(const std::string& name, ReplicationStrategy strategy, const TokenRing& ring,
                                  bool durable_writes) {
    if (keyspaces_.count(name) != 0) drop_keyspace(name);
    auto ks = std::make_shared<KeyspaceDef>();
    ks->name = name;
    ks->strategy = std::move(strategy);
    ks->durable_writes = durable_writes;
    ks->replicas = ReplicaMap(ring, ks->strategy);
    auto& slot = keyspaces_[name];
    slot = std::move(ks);
    changed();
    return *slot;
}

const TableDef& Schema::add_table(TableDef table) {
    auto ks = keyspaces_.find(table.keyspace);
    assert(ks != keyspaces_.end());
    assert(ks->second->tables.count(table.name) == 0);
    assert(table.partition_key_columns + table.clustering_key_columns <= table.columns.size());
    table.id = static_cast<std::uint32_t>(tables_.size());
    table.dropped = false;
    ks->second->tables[table.name] = table.id;
    tables_.push_back(std::make_shared<TableDef>(std::move(table)));
    changed();
    return *tables_.back();
}

bool Schema::drop_table(const std::string& keyspace_name, const std::string& name) {
    auto ks = keyspaces_.find(keyspace_name);
    if (ks == keyspaces_.end()) return false;
    auto it = ks->second->tables.find(name);
    if (it == ks->second->tables.end()) return false;
    tables_[it->second]->dropped = true;
    ks->second->tables.erase(it);
    changed();
    return true;
}

bool Schema::drop_keyspace(const std::string& name) {
    auto ks = keyspaces_.find(name);
    if (ks == keyspaces_.end()) return false;
    for (const auto& [table_name, id] : ks->second->tables) tables_[id]->dropped = true;
    ks->second->tables.clear();
    ks->second->dropped = true;
    keyspaces_.erase(ks);
    changed();
    return true;
}

void Schema::place_on(const TokenRing& ring) {
    for (auto& [name, ks] : keyspaces_) ks->replicas = ReplicaMap(ring, ks->strategy);
}

const KeyspaceDef* Schema::keyspace(const std::string& name) const {
    auto it = keyspaces_.find(name);
    return it == keyspaces_.end() ? nullptr : it->second.get();
}

std::shared_ptr<const KeyspaceDef> Schema::keyspace_ptr(const std::string& name) const {
    auto it = keyspaces_.find(name);
    return it == keyspaces_.end() ? nullptr : it->second;
}

const TableDef* Schema::table(const std::string& keyspace_name, const std::string& name) const {
    return table_ptr(keyspace_name, name).get();
}

std::shared_ptr<const TableDef> Schema::table_ptr(const std::string& keyspace_name, const std::string& name) const {
    const KeyspaceDef* ks = keyspace(keyspace_name);
    if (ks == nullptr) return nullptr;
    auto it = ks->tables.find(name);
    return it == ks->tables.end() ? nullptr : tables_[it->second];
}

}  // namespace routelab::cluster
