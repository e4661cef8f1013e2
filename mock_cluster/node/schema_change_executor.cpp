#include "mock_cluster/node/schema_change_executor.hpp"

#include <algorithm>

#include "mock_cluster/cluster.hpp"

namespace routelab::cluster {

namespace {

namespace wire = routelab::cql;
using wire::error_codes::already_exists;
using wire::error_codes::config_error;
using wire::error_codes::invalid;

wire::Response changed(const char* change, const char* target, const std::string& keyspace, const std::string& name = {}) {
    wire::SchemaChange c;
    c.change_type = change;
    c.target = target;
    c.keyspace = keyspace;
    c.name = name;
    return wire::Result{wire::SchemaChangeResult{std::move(c)}};
}

wire::Response error(std::int32_t code, std::string message) { return wire::Error{code, std::move(message), {}}; }

wire::Response create_keyspace(Cluster& cluster, const CreateKeyspacePlan& plan) {
    if (cluster.schema().keyspace(plan.name) != nullptr) {
        if (plan.if_not_exists) return wire::Result{wire::VoidResult{}};
        return wire::Error{already_exists, "Cannot add existing keyspace \"" + plan.name + "\"",
                           wire::error_detail::AlreadyExists{plan.name, ""}};
    }
    ReplicationStrategy strategy = plan.strategy;
    if (strategy.kind == ReplicationStrategy::Kind::network_topology) {
        const auto& dcs = cluster.topology().datacenters();
        auto every = strategy.factor_per_dc.find("replication_factor");
        if (every != strategy.factor_per_dc.end()) {
            const int rf = every->second;
            strategy.factor_per_dc.erase(every);
            for (const auto& dc : dcs) strategy.factor_per_dc.try_emplace(dc, rf);
        }
        for (const auto& [dc, rf] : strategy.factor_per_dc)
            if (std::find(dcs.begin(), dcs.end(), dc) == dcs.end())
                return error(config_error, "Unrecognized strategy option {" + dc +
                                               "} passed to NetworkTopologyStrategy for keyspace " + plan.name);
    }
    cluster.create_keyspace(plan.name, std::move(strategy), plan.durable_writes);
    return changed("CREATED", "KEYSPACE", plan.name);
}

wire::Response drop_keyspace(Cluster& cluster, const DropKeyspacePlan& plan) {
    if (!cluster.drop_keyspace(plan.name)) {
        if (plan.if_exists) return wire::Result{wire::VoidResult{}};
        return error(config_error, "Cannot drop non existing keyspace '" + plan.name + "'.");
    }
    return changed("DROPPED", "KEYSPACE", plan.name);
}

wire::Response create_table(Cluster& cluster, const CreateTablePlan& plan) {
    const TableDef& t = plan.table;
    if (cluster.schema().keyspace(t.keyspace) == nullptr) return error(invalid, "Keyspace " + t.keyspace + " doesn't exist");
    if (cluster.schema().table(t.keyspace, t.name) != nullptr) {
        if (plan.if_not_exists) return wire::Result{wire::VoidResult{}};
        return wire::Error{already_exists, "Cannot add already existing table \"" + t.name + "\" to keyspace \"" + t.keyspace + "\"",
                           wire::error_detail::AlreadyExists{t.keyspace, t.name}};
    }
    cluster.create_table(t);
    return changed("CREATED", "TABLE", t.keyspace, t.name);
}

wire::Response drop_table(Cluster& cluster, const DropTablePlan& plan) {
    if (cluster.schema().keyspace(plan.keyspace) == nullptr) {
        if (plan.if_exists) return wire::Result{wire::VoidResult{}};
        return error(invalid, "Keyspace " + plan.keyspace + " doesn't exist");
    }
    if (!cluster.drop_table(plan.keyspace, plan.name)) {
        if (plan.if_exists) return wire::Result{wire::VoidResult{}};
        return error(config_error, "Cannot drop non existing table '" + plan.name + "' in keyspace '" + plan.keyspace + "'.");
    }
    return changed("DROPPED", "TABLE", plan.keyspace, plan.name);
}

}  // namespace

wire::Response apply_schema_change(Cluster& cluster, const SchemaChangePlan& plan) {
    return std::visit(
        [&](const auto& p) -> wire::Response {
            using T = std::decay_t<decltype(p)>;
            if constexpr (std::is_same_v<T, CreateKeyspacePlan>) return create_keyspace(cluster, p);
            else if constexpr (std::is_same_v<T, DropKeyspacePlan>) return drop_keyspace(cluster, p);
            else if constexpr (std::is_same_v<T, CreateTablePlan>) return create_table(cluster, p);
            else return drop_table(cluster, p);
        },
        plan);
}

}  // namespace routelab::cluster
