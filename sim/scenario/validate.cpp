#include "sim/scenario/validate.hpp"

#include "sim/scenario/keyspaces_spec.hpp"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "sim/scenario/nodes.hpp"

namespace routelab::scenario::detail {
namespace {

constexpr std::size_t max_nodes = 10'000;
constexpr double max_requests = 1e9;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

std::string indexed(const std::string& base, std::size_t i) {
    return base + "[" + std::to_string(i) + "]";
}

void fail_at(const Context& ctx, const std::string& field, std::string message) {
    fail(ctx, ctx.locations->line_of(field), field, std::move(message));
}

void check_unique_names(const Context& ctx, const TopologySpec& topology) {
    std::map<std::string, std::size_t> dcs;
    for (std::size_t i = 0; i < topology.datacenters.size(); ++i) {
        const auto& dc = topology.datacenters[i];
        const std::string dc_field = indexed("topology.datacenters", i);
        if (auto [it, fresh] = dcs.emplace(dc.name, i); !fresh) {
            fail_at(ctx, dc_field + ".name",
                    "duplicate datacenter name " + quoted(dc.name) + " (also " +
                        indexed("topology.datacenters", it->second) + ")");
        }
        std::map<std::string, std::size_t> racks;
        for (std::size_t j = 0; j < dc.racks.size(); ++j) {
            const std::string rack_field = indexed(dc_field + ".racks", j);
            if (auto [it, fresh] = racks.emplace(dc.racks[j].name, j); !fresh) {
                fail_at(ctx, rack_field + ".name",
                        "duplicate rack name " + quoted(dc.racks[j].name) + " in datacenter " +
                            quoted(dc.name) + " (also " + indexed(dc_field + ".racks", it->second) + ")");
            }
        }
    }
}

// Names unnamed explicit nodes "<dc>-<rack>-n<i>", continuing the rack's count.
void name_explicit_nodes(TopologySpec& topology) {
    std::map<std::pair<std::string, std::string>, int> per_rack;
    for (const auto& dc : topology.datacenters) {
        for (const auto& rack : dc.racks) per_rack[{dc.name, rack.name}] += rack.nodes;
    }
    for (auto& node : topology.nodes) {
        const int index = ++per_rack[{node.datacenter, node.rack}];
        if (node.name.empty()) node.name = counted_node_name(node.datacenter, node.rack, index);
    }
}

void check_nodes(const Context& ctx, const TopologySpec& topology) {
    std::map<std::string, std::string> names;  // node name -> field that introduced it
    for (std::size_t i = 0; i < topology.datacenters.size(); ++i) {
        const auto& dc = topology.datacenters[i];
        for (std::size_t j = 0; j < dc.racks.size(); ++j) {
            const std::string field = indexed(indexed("topology.datacenters", i) + ".racks", j);
            for (int n = 1; n <= dc.racks[j].nodes; ++n) {
                const std::string name = counted_node_name(dc.name, dc.racks[j].name, n);
                if (auto [it, fresh] = names.emplace(name, field); !fresh) {
                    fail_at(ctx, field + ".name",
                            "node name " + quoted(name) + " is generated twice (also by " +
                                it->second + "); rename the datacenter or rack");
                }
            }
        }
    }
    std::map<std::int64_t, std::string> tokens;
    for (std::size_t k = 0; k < topology.nodes.size(); ++k) {
        const auto& node = topology.nodes[k];
        const std::string field = indexed("topology.nodes", k);
        if (auto [it, fresh] = names.emplace(node.name, field); !fresh) {
            fail_at(ctx, field + ".name",
                    "duplicate node name " + quoted(node.name) + " (also " + it->second + ")");
        }
        for (std::size_t t = 0; t < node.tokens.size(); ++t) {
            const std::string token_field = indexed(field + ".tokens", t);
            if (auto [it, fresh] = tokens.emplace(node.tokens[t], token_field); !fresh) {
                fail_at(ctx, token_field,
                        "duplicate token " + std::to_string(node.tokens[t]) + " (also " + it->second + ")");
            }
        }
    }
    if (names.empty()) {
        fail_at(ctx, "topology",
                "expected at least one node: add [[topology.datacenters]] with racks, or [[topology.nodes]]");
    }
    if (names.size() > max_nodes) {
        fail_at(ctx, "topology",
                "expected at most " + std::to_string(max_nodes) + " nodes, got " +
                    std::to_string(names.size()));
    }
}

void check_datacenter_sizes(const Context& ctx, const Scenario& scenario) {
    const auto& topology = scenario.topology;
    std::vector<std::string> order;        // datacenters in first-seen order
    std::map<std::string, int> sizes;
    for (const auto& node : all_nodes(topology)) {
        if (sizes.find(node.datacenter) == sizes.end()) order.push_back(node.datacenter);
        ++sizes[node.datacenter];
    }
    for (std::size_t i = 0; i < topology.datacenters.size(); ++i) {
        const auto& dc = topology.datacenters[i];
        if (sizes.find(dc.name) == sizes.end()) {
            fail_at(ctx, indexed("topology.datacenters", i),
                    "datacenter " + quoted(dc.name) + " has no nodes (give it racks or explicit nodes)");
        }
    }
    check_replication(ctx, scenario);
    const auto& local = scenario.driver.local_datacenter;
    if (!local.empty() && sizes.find(local) == sizes.end()) {
        std::string list;
        for (const auto& name : order) list += (list.empty() ? "" : ", ") + name;
        fail_at(ctx, "driver.local_datacenter",
                "unknown datacenter " + quoted(local) + " (topology has: " + list + ")");
    }
}

void check_workload_size(const Context& ctx, const WorkloadSpec& workload) {
    const double requests = expected_requests(workload, 0, workload.duration_s);
    if (requests > max_requests) {
        fail_at(ctx, "workload.rate_per_s",
                "rate_per_s * duration_s (with the schedule) is " + std::to_string(static_cast<std::int64_t>(requests)) +
                    " requests, more than the limit of 1000000000");
    }
}

}  // namespace

void validate(const Context& ctx, Scenario& scenario) {
    check_unique_names(ctx, scenario.topology);
    name_explicit_nodes(scenario.topology);
    check_nodes(ctx, scenario.topology);
    check_datacenter_sizes(ctx, scenario);
    check_workload_size(ctx, scenario.workload);
}

}  // namespace routelab::scenario::detail
