#include "sim/scenario/keyspaces_spec.hpp"

#include <algorithm>
#include <cctype>
#include <set>

#include "sim/scenario/nodes.hpp"

namespace routelab::scenario::detail {
namespace {

std::string indexed(const std::string& base, std::size_t i) { return base + "[" + std::to_string(i) + "]"; }
std::string in_quotes(const std::string& s) { return "\"" + s + "\""; }

bool is_identifier(const std::string& s) {
    return !s.empty() && s.size() <= 48 && std::isalpha(static_cast<unsigned char>(s.front())) != 0 &&
           std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; });
}

std::string identifier(const Context& ctx, const toml::value& v, const std::string& field) {
    std::string s = expect_string(ctx, v, field);
    if (!is_identifier(s))
        fail(ctx, line_of(v), field, "expected a CQL identifier (a letter, then letters, digits or '_', at most 48), got " + describe(v));
    return s;
}

std::set<std::string> datacenter_names(const TopologySpec& topology) {
    std::set<std::string> names;
    for (const auto& n : all_nodes(topology)) names.insert(n.datacenter);
    return names;
}

std::string list_of(const std::set<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

KeyspaceSpec read_one(const Context& ctx, const toml::value& v, const std::string& p, const TopologySpec& topology) {
    const auto& t = expect_table(ctx, v, p);
    check_keys(ctx, t, p, {"name", "strategy", "replication_factor", "replication", "table", "clustered_table"});
    KeyspaceSpec ks;
    ks.line = line_of(t);
    ks.name = identifier(ctx, require(ctx, t, p, "name"), p + ".name");
    if (const auto* x = find(ctx, t, p, "strategy")) {
        const std::string strategy = expect_string(ctx, *x, p + ".strategy");
        if (strategy == "NetworkTopologyStrategy") ks.strategy = KeyspaceSpec::Strategy::network_topology;
        else if (strategy == "SimpleStrategy") ks.strategy = KeyspaceSpec::Strategy::simple;
        else fail(ctx, line_of(*x), p + ".strategy", "expected \"NetworkTopologyStrategy\" or \"SimpleStrategy\", got " + describe(*x));
    }
    const auto* rf = find(ctx, t, p, "replication_factor");
    const auto* per_dc = find(ctx, t, p, "replication");
    if (rf != nullptr && per_dc != nullptr)
        fail(ctx, line_of(*per_dc), p + ".replication", "give replication_factor (every datacenter) or replication (per datacenter), not both");
    if (rf != nullptr) ks.replication_factor = static_cast<int>(expect_integer(ctx, *rf, p + ".replication_factor", 1, 100));
    if (per_dc != nullptr) {
        if (ks.strategy == KeyspaceSpec::Strategy::simple)
            fail(ctx, line_of(*per_dc), p + ".replication", "SimpleStrategy has one replication_factor, not one per datacenter");
        const auto known = datacenter_names(topology);
        const auto& table = expect_table(ctx, *per_dc, p + ".replication");
        if (table.as_table().empty()) fail(ctx, line_of(*per_dc), p + ".replication", "expected at least one datacenter");
        for (const auto& [dc, factor] : table.as_table()) {
            const std::string field = p + ".replication." + std::string(dc);
            if (known.count(std::string(dc)) == 0)
                fail(ctx, line_of(factor), field, "unknown datacenter " + in_quotes(std::string(dc)) + " (topology has: " + list_of(known) + ")");
            ks.per_dc[std::string(dc)] = static_cast<int>(expect_integer(ctx, factor, field, 0, 100));
        }
        if (std::all_of(ks.per_dc.begin(), ks.per_dc.end(), [](const auto& e) { return e.second == 0; }))
            fail(ctx, line_of(*per_dc), p + ".replication", "every factor is 0: the keyspace would have no replica");
    }
    if (const auto* x = find(ctx, t, p, "table")) ks.table = identifier(ctx, *x, p + ".table");
    if (const auto* x = find(ctx, t, p, "clustered_table")) ks.clustered_table = identifier(ctx, *x, p + ".clustered_table");
    if (ks.table == ks.clustered_table)
        fail(ctx, ks.line, p + ".clustered_table", "must differ from table (" + in_quotes(ks.table) + ")");
    return ks;
}

// The line a workload's field came from: its own table's, else [workload]'s, else 0.
std::uint32_t line_in(const Context& ctx, const std::string& own, const std::string& inherited) {
    const auto line = ctx.locations->line_of(own);
    return line != 0 ? line : ctx.locations->line_of(inherited);
}

void check_location(const Context& ctx, const Scenario& s, const std::string& dc, const std::string& rack, const std::string& path) {
    if (dc.empty() && rack.empty()) return;
    if (dc.empty())
        fail(ctx, ctx.locations->line_of(path + ".prefer_rack"), path + ".prefer_rack", "a preferred rack needs prefer_dc (racks are named within a datacenter)");
    const auto known = datacenter_names(s.topology);
    if (known.count(dc) == 0)
        fail(ctx, ctx.locations->line_of(path + ".prefer_dc"), path + ".prefer_dc",
             "unknown datacenter " + in_quotes(dc) + " (topology has: " + list_of(known) + ")");
    if (rack.empty()) return;
    std::set<std::string> racks;
    for (const auto& n : all_nodes(s.topology))
        if (n.datacenter == dc) racks.insert(n.rack);
    if (racks.count(rack) == 0)
        fail(ctx, ctx.locations->line_of(path + ".prefer_rack"), path + ".prefer_rack",
             "datacenter " + in_quotes(dc) + " has no rack " + in_quotes(rack) + " (it has: " + list_of(racks) + ")");
}

}  // namespace

void read_keyspaces(const Context& ctx, const toml::value* t, ClusterSpec& cluster, const TopologySpec& topology) {
    const std::string p = "cluster";
    const toml::value* list = t != nullptr ? find(ctx, *t, p, "keyspaces") : nullptr;
    if (list == nullptr) return;   // the one keyspace of the [cluster] fields
    for (const char* legacy : {"keyspace", "table", "clustered_table", "replication_factor"})
        if (const auto* x = find(ctx, *t, p, legacy))
            fail(ctx, line_of(*x), p + "." + legacy, "with [[cluster.keyspaces]], give it in the keyspace's entry instead");
    const auto& items = expect_array(ctx, *list, p + ".keyspaces");
    if (items.empty() || items.size() > 64)
        fail(ctx, line_of(*list), p + ".keyspaces", "expected 1 to 64 keyspaces, got " + std::to_string(items.size()));
    cluster.keyspaces.clear();
    for (std::size_t i = 0; i < items.size(); ++i) {
        const std::string path = indexed(p + ".keyspaces", i);
        KeyspaceSpec ks = read_one(ctx, items[i], path, topology);
        for (const auto& other : cluster.keyspaces)
            if (other.name == ks.name) fail(ctx, ks.line, path + ".name", "keyspace " + in_quotes(ks.name) + " is declared twice");
        if (ks.name.rfind("system", 0) == 0) fail(ctx, ks.line, path + ".name", "names starting with \"system\" are the server's own keyspaces");
        cluster.keyspaces.push_back(std::move(ks));
    }
    const KeyspaceSpec& first = cluster.keyspaces.front();
    cluster.keyspace = first.name;
    cluster.table = first.table;
    cluster.clustered_table = first.clustered_table;
    cluster.replication_factor = first.replication_factor;
}

void check_replication(const Context& ctx, const Scenario& s) {
    std::map<std::string, int> sizes;
    int total = 0;
    for (const auto& n : all_nodes(s.topology)) {
        ++sizes[n.datacenter];
        ++total;
    }
    const auto keyspaces = keyspaces_of(s.cluster);
    for (std::size_t i = 0; i < keyspaces.size(); ++i) {
        const auto& ks = keyspaces[i];
        // The keyspace of the [cluster] fields reports at its field there.
        const bool legacy = s.cluster.keyspaces.empty();
        const std::string path = legacy ? std::string("cluster") : indexed("cluster.keyspaces", i);
        const auto at = [&](const std::string& field) {
            const auto line = ctx.locations->line_of(path + "." + field);
            return line != 0 ? line : ks.line;
        };
        if (ks.strategy == KeyspaceSpec::Strategy::simple) {
            if (ks.replication_factor > total)
                fail(ctx, at("replication_factor"), path + ".replication_factor",
                     "replication_factor " + std::to_string(ks.replication_factor) + " exceeds the cluster's " + std::to_string(total) + " node(s)");
            continue;
        }
        for (const auto& [dc, size] : sizes) {
            const int factor = ks.factor_in(dc);
            if (factor <= size) continue;
            const std::string field = ks.per_dc.empty() ? path + ".replication_factor" : path + ".replication." + dc;
            fail(ctx, at(ks.per_dc.empty() ? "replication_factor" : "replication." + dc), field,
                 (ks.per_dc.empty() ? "replication_factor " : "replication ") + std::to_string(factor) + " exceeds the " + std::to_string(size) +
                     " node(s) of datacenter " + in_quotes(dc));
        }
    }
}

void check_workload_targets(const Context& ctx, const WorkloadSpec& w, const Scenario& s, const std::string& workload_path,
                            const std::string& operations_path) {
    auto known = [&] {
        std::string out;
        for (const auto& ks : keyspaces_of(s.cluster)) out += (out.empty() ? "" : ", ") + ks.name;
        return out;
    };
    if (!w.keyspace.empty() && !find_keyspace(s.cluster, w.keyspace)) {
        const std::string field = workload_path + ".keyspace";
        fail(ctx, line_in(ctx, field, "workload.keyspace"), field, "unknown keyspace " + in_quotes(w.keyspace) + " (declared: " + known() + ")");
    }
    for (std::size_t i = 0; i < w.operations.size(); ++i) {
        const auto& op = w.operations[i];
        const std::string path = indexed(operations_path + ".operations", i);
        if (!op.keyspace.empty() && !find_keyspace(s.cluster, op.keyspace))
            fail(ctx, ctx.locations->line_of(path + ".keyspace"), path + ".keyspace",
                 "unknown keyspace " + in_quotes(op.keyspace) + " (declared: " + known() + ")");
        check_location(ctx, s, op.prefer_dc, op.prefer_rack, path);
    }
}

void check_profile_locations(const Context& ctx, const DriverSpec& d, const Scenario& s, const std::string& driver_path) {
    for (const auto& profile : d.profiles) check_location(ctx, s, profile.prefer_dc, profile.prefer_rack, driver_path + ".profiles." + profile.name);
}

}  // namespace routelab::scenario::detail

namespace routelab::scenario {

int KeyspaceSpec::factor_in(const std::string& datacenter) const {
    if (strategy == Strategy::simple || per_dc.empty()) return replication_factor;
    const auto it = per_dc.find(datacenter);
    return it == per_dc.end() ? 0 : it->second;
}

std::vector<KeyspaceSpec> keyspaces_of(const ClusterSpec& cluster) {
    if (!cluster.keyspaces.empty()) return cluster.keyspaces;
    KeyspaceSpec ks;
    ks.name = cluster.keyspace;
    ks.replication_factor = cluster.replication_factor;
    ks.table = cluster.table;
    ks.clustered_table = cluster.clustered_table;
    return {ks};
}

std::optional<KeyspaceSpec> find_keyspace(const ClusterSpec& cluster, const std::string& name) {
    const auto all = keyspaces_of(cluster);
    if (name.empty()) return all.front();
    for (const auto& ks : all)
        if (ks.name == name) return ks;
    return std::nullopt;
}

}  // namespace routelab::scenario
