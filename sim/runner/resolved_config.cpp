#include "sim/runner/resolved_config.hpp"

#include <cstdio>

#include "sim/runner/run.hpp"
#include "sim/scenario/clients.hpp"

namespace routelab::runner {
namespace {

// Shortest text that reads back as the same double ("%.17g" trimmed by trying shorter).
std::string number(double v) {
    char buf[40];
    for (int precision = 6; precision <= 17; ++precision) {
        std::snprintf(buf, sizeof buf, "%.*g", precision, v);
        double back = 0;
        if (std::sscanf(buf, "%lf", &back) == 1 && back == v) break;
    }
    return buf;
}

std::string flag(bool v) { return v ? "true" : "false"; }

std::string join(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

const char* scope_name(checks::ScopeSpec::Kind kind) {
    switch (kind) {
        case checks::ScopeSpec::Kind::whole_run: return "run";
        case checks::ScopeSpec::Kind::faults: return "faults";
        case checks::ScopeSpec::Kind::steady: return "steady";
        case checks::ScopeSpec::Kind::interval: return "interval";
    }
    return "?";
}

std::string param_text(const checks::ParamValue& v) {
    switch (v.type) {
        case checks::ParamValue::Type::number: return number(v.number);
        case checks::ParamValue::Type::boolean: return flag(v.flag);
        case checks::ParamValue::Type::text: return v.text;
        case checks::ParamValue::Type::list: return "[" + join(v.list) + "]";
    }
    return {};
}

const char* key_kind(scenario::KeyDistributionSpec::Kind kind) {
    using K = scenario::KeyDistributionSpec::Kind;
    switch (kind) {
        case K::uniform: return "uniform";
        case K::zipf: return "zipf";
        case K::hot_set: return "hot_set";
        case K::sequential: return "sequential";
        case K::list: return "list";
    }
    return "?";
}

class Writer {
public:
    void put(std::string key, std::string value) { out_.push_back({std::move(key), std::move(value)}); }
    void options(const std::string& prefix, const scenario::OptionMap& options) {
        for (const auto& [k, v] : options) put(prefix + "." + k, v);   // std::map: sorted
    }
    void driver(const std::string& p, const scenario::DriverSpec& d) {
        put(p + "policy", d.policy);
        options(p + "policy_options", d.policy_options);
        put(p + "retry", d.retry);
        options(p + "retry_options", d.retry_options);
        put(p + "speculative", d.speculative);
        options(p + "speculative_options", d.speculative_options);
        put(p + "local_datacenter", d.local_datacenter);
        put(p + "compression", d.compression);
        put(p + "request_timeout_ms", std::to_string(d.request_timeout_ms));
        put(p + "connections_per_node", std::to_string(d.connections_per_node));
        put(p + "connections_per_shard", std::to_string(d.connections_per_shard));
        put(p + "shard_aware_port", flag(d.shard_aware_port));
        put(p + "client_timestamps", flag(d.client_timestamps));
        if (d.client_routes) put(p + "client_routes.connection_ids", join(d.client_routes->connection_ids));
        for (const auto& profile : d.profiles)
            put(p + "profiles." + profile.name,
                profile.prefer_dc.empty() ? std::string("defined")
                                          : "defined, prefers " + profile.prefer_dc + (profile.prefer_rack.empty() ? "" : "/" + profile.prefer_rack));
    }
    void workload(const std::string& p, const scenario::WorkloadSpec& w) {
        put(p + "kind", w.kind == scenario::WorkloadKind::open_loop ? "open_loop" : "closed_loop");
        if (w.kind == scenario::WorkloadKind::open_loop) {
            put(p + "rate_per_s", number(w.rate_per_s));
            put(p + "arrivals", w.arrivals == scenario::ArrivalKind::poisson ? "poisson" : "constant");
            for (std::size_t i = 0; i < w.schedule.size(); ++i)
                put(p + "schedule." + std::to_string(i), "at " + number(w.schedule[i].at_s) + " s: " + number(w.schedule[i].rate) +
                                                             "/s (ramp " + number(w.schedule[i].ramp_s) + " s)");
        } else {
            put(p + "users", std::to_string(w.users));
            put(p + "think_time_us", w.think_time_us.describe());
        }
        put(p + "duration_s", number(w.duration_s));
        put(p + "keys", std::to_string(w.keys));
        put(p + "key_distribution", key_kind(w.key_distribution.kind));
        put(p + "consistency", w.consistency);
        if (w.operations.empty()) {
            put(p + "read_fraction", number(w.read_fraction));
        } else {
            for (std::size_t i = 0; i < w.operations.size(); ++i)
            {
                const auto& op = w.operations[i];
                std::string text = std::string(scenario::to_string(op.kind)) + " weight " + number(op.weight);
                if (!op.keyspace.empty()) text += " keyspace " + op.keyspace;
                if (!op.prefer_dc.empty()) text += " prefer " + op.prefer_dc + (op.prefer_rack.empty() ? "" : "/" + op.prefer_rack);
                put(p + "operations." + std::to_string(i), text);
            }
        }
        put(p + "value_bytes", w.value_size ? w.value_size->describe() : std::to_string(w.value_bytes));
        if (!w.profile.empty()) put(p + "profile", w.profile);
        if (!w.keyspace.empty()) put(p + "keyspace", w.keyspace);
        if (w.sessions != 0) put(p + "sessions", std::to_string(w.sessions));
    }
    std::vector<results::ConfigEntry> take() { return std::move(out_); }

private:
    std::vector<results::ConfigEntry> out_;
};

}  // namespace

std::vector<results::ConfigEntry> resolved_configuration(const scenario::Scenario& s) {
    Writer w;
    w.put("scenario.name", s.name);
    w.put("scenario.seed", std::to_string(s.seed));
    int nodes = 0;
    for (const auto& dc : s.topology.datacenters) {
        std::vector<std::string> racks;
        for (const auto& rack : dc.racks) {
            racks.push_back(rack.name + " × " + std::to_string(rack.nodes));
            nodes += rack.nodes;
        }
        w.put("topology.datacenters." + dc.name, join(racks));
    }
    for (const auto& n : s.topology.nodes) w.put("topology.nodes." + n.name, n.datacenter + "/" + n.rack + (n.joined ? "" : " (not joined)"));
    w.put("topology.node_count", std::to_string(nodes + static_cast<int>(s.topology.nodes.size())));
    w.put("topology.vnodes", std::to_string(s.topology.vnodes));
    w.put("topology.shards", std::to_string(s.topology.shards));
    w.put("network.same_rack_us", s.network.same_rack_us.describe());
    w.put("network.same_dc_us", s.network.same_dc_us.describe());
    w.put("network.cross_dc_us", s.network.cross_dc_us.describe());
    w.put("cluster.keyspace", s.cluster.keyspace);
    w.put("cluster.table", s.cluster.table);
    w.put("cluster.replication_factor", std::to_string(s.cluster.replication_factor));
    for (const auto& ks : s.cluster.keyspaces) {
        std::string replication;
        if (ks.strategy == scenario::KeyspaceSpec::Strategy::simple) replication = "SimpleStrategy " + std::to_string(ks.replication_factor);
        else if (ks.per_dc.empty()) replication = "NetworkTopologyStrategy " + std::to_string(ks.replication_factor) + " per DC";
        else {
            replication = "NetworkTopologyStrategy";
            for (const auto& [dc, factor] : ks.per_dc) replication += " " + dc + "=" + std::to_string(factor);
        }
        w.put("cluster.keyspaces." + ks.name, replication + "; tables " + ks.table + ", " + ks.clustered_table);
    }
    w.put("cluster.service_time_us", s.cluster.service_time_us.describe());
    w.put("cluster.coordinator_time_us", s.cluster.coordinator_time_us.describe());
    w.put("cluster.slots_per_shard", std::to_string(s.cluster.slots_per_shard));
    w.put("cluster.private_link", flag(s.cluster.private_link));
    w.put("cluster.proxies", std::to_string(s.cluster.proxies.size()));
    w.put("cluster.sticky_proxies", std::to_string(s.cluster.sticky_proxies.size()));
    w.put("cluster.status_delay_ms", std::to_string(s.cluster.status_delay_ms));
    for (const auto& c : scenario::scenario_clients(s)) {
        const std::string p = "clients." + c.name + ".";
        w.put(p + "datacenter", c.datacenter);
        w.put(p + "rack", c.rack);
        w.put(p + "start_s", number(c.start_s));
        if (c.stop_s) w.put(p + "stop_s", number(*c.stop_s));
        w.put(p + "restarts", std::to_string(c.restarts.size()));
        w.driver(p + "driver.", c.driver);
        w.workload(p + "workload.", c.workload);
    }
    w.put("faults", std::to_string(s.faults.size()));
    w.put("output.window_s", number(s.output.window_s));
    const auto checks = check_definitions(s);
    for (std::size_t i = 0; i < checks.size(); ++i) {
        const auto& c = checks[i];
        std::string text = c.name;
        if (!c.label.empty()) text += " id=" + c.label;
        text += std::string(" during=") + scope_name(c.during.kind);
        if (c.during.kind == checks::ScopeSpec::Kind::interval) text += " [" + number(c.during.from_s) + ", " + number(c.during.to_s) + ")";
        if (!c.client.empty()) text += " client=" + c.client;
        for (const auto& [k, v] : c.params.values()) text += " " + k + "=" + param_text(v);
        char key[32];
        std::snprintf(key, sizeof key, "checks.%02zu", i);
        w.put(key, text);
    }
    return w.take();
}

}  // namespace routelab::runner
