#include "mock_cluster/schema/schema.hpp"

#include <cassert>

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

KeyspaceDef& Schema::add_keyspace(const std::string& name, ReplicationStrategy strategy, const TokenRing& ring) {
    KeyspaceDef ks;
    ks.name = name;
    ks.strategy = std::move(strategy);
    ks.replicas = ReplicaMap(ring, ks.strategy);
    return keyspaces_.insert_or_assign(name, std::move(ks)).first->second;
}

const TableDef& Schema::add_table(TableDef table) {
    auto ks = keyspaces_.find(table.keyspace);
    assert(ks != keyspaces_.end());
    table.id = static_cast<std::uint32_t>(tables_.size());
    ks->second.tables[table.name] = table.id;
    tables_.push_back(std::move(table));
    return tables_.back();
}

const KeyspaceDef* Schema::keyspace(const std::string& name) const {
    auto it = keyspaces_.find(name);
    return it == keyspaces_.end() ? nullptr : &it->second;
}

const TableDef* Schema::table(const std::string& keyspace_name, const std::string& name) const {
    const KeyspaceDef* ks = keyspace(keyspace_name);
    if (ks == nullptr) return nullptr;
    auto it = ks->tables.find(name);
    return it == ks->tables.end() ? nullptr : &tables_[it->second];
}

}  // namespace routelab::cluster
