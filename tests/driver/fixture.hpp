#pragma once
// Shared fixtures for the policy tests: the Rust driver's locator test ring
// (scylla/src/routing/locator/test.rs; reference driver-policies.md §1.9) and a plan
// checker in the style of the Rust `ExpectedGroupsBuilder`: a plan is a sequence of groups
// — `random` (any order, and the order must vary between plans), `deterministic` (any
// order, the same in every plan) and `ordered` (exactly this sequence) — checked over 256
// plans built by one policy instance.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "driver/metadata/cluster_builder.hpp"
#include "driver/policy/load_balancing.hpp"

namespace routelab::driver::test {

// A..G = nodes 0..6: A eu/r1, B eu/r1, C eu/r1, D us/r1, E us/r1, F us/r2, G eu/r2.
// Walking the ring from token 160 meets F, A, C, D, G, B, E.
inline ClusterMetadata rust_fixture_metadata() {
    struct Row {
        const char* dc;
        const char* rack;
        std::vector<std::string> tokens;
    };
    const std::vector<Row> rows = {
        {"eu", "r1", {"50", "250", "400"}}, {"eu", "r1", {"100", "600", "900"}}, {"eu", "r1", {"300", "650", "700"}},
        {"us", "r1", {"350", "550"}},       {"us", "r1", {"150", "750"}},        {"us", "r2", {"200", "450"}},
        {"eu", "r2", {"500", "800"}},
    };
    ClusterMetadata m;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        NodeMetadata n;
        n.address = net::Endpoint{net::ipv4(127, 0, 0, static_cast<std::uint8_t>(i + 1)), 9042};
        n.host_id = std::string(1, static_cast<char>('A' + i));
        n.datacenter = rows[i].dc;
        n.rack = rows[i].rack;
        n.tokens = rows[i].tokens;
        m.nodes.push_back(n);
    }
    m.keyspaces.push_back({"ks_nts_rf2", {{"class", "NetworkTopologyStrategy"}, {"eu", "2"}, {"us", "2"}}});
    m.keyspaces.push_back(
        {"ks_nts_rf3", {{"class", "org.apache.cassandra.locator.NetworkTopologyStrategy"}, {"eu", "3"}, {"us", "3"}}});
    m.keyspaces.push_back({"ks_simple_rf2", {{"class", "SimpleStrategy"}, {"replication_factor", "2"}}});
    return m;
}

inline ClusterStatePtr build(const ClusterMetadata& m) {
    auto state = build_cluster_state(m);
    REQUIRE(state.ok());
    return state.value();
}

inline std::string names(const ClusterState& cluster, const Plan& plan) {
    std::string out;
    for (const Target& t : plan) out += cluster.nodes[t.node].host_id;
    return out;
}

struct Group {
    enum class Kind { random, deterministic, ordered } kind;
    std::string nodes;  // host ids, one character each
};
inline Group group(std::string n) { return {Group::Kind::random, std::move(n)}; }
inline Group deterministic(std::string n) { return {Group::Kind::deterministic, std::move(n)}; }
inline Group ordered(std::string n) { return {Group::Kind::ordered, std::move(n)}; }

// Builds `runs` plans with `policy` and checks them against `groups`.
inline void check_plans(LoadBalancingPolicy& policy, const RoutingInfo& routing, const ClusterState& cluster,
                        const std::vector<Group>& groups, int runs = 256) {
    std::size_t total = 0;
    for (const Group& g : groups) total += g.nodes.size();
    std::vector<std::set<std::string>> orderings(groups.size());
    Plan plan;
    for (int run = 0; run < runs; ++run) {
        build_plan(policy, routing, cluster, plan);
        const std::string got = names(cluster, plan);
        INFO("plan " << got);
        REQUIRE(got.size() == total);
        std::size_t at = 0;
        for (std::size_t g = 0; g < groups.size(); ++g) {
            const std::string slice = got.substr(at, groups[g].nodes.size());
            at += groups[g].nodes.size();
            if (groups[g].kind == Group::Kind::ordered) {
                REQUIRE(slice == groups[g].nodes);
            } else {
                std::string a = slice, b = groups[g].nodes;
                std::sort(a.begin(), a.end());
                std::sort(b.begin(), b.end());
                REQUIRE(a == b);
            }
            orderings[g].insert(slice);
        }
    }
    for (std::size_t g = 0; g < groups.size(); ++g) {
        INFO("group " << g << " " << groups[g].nodes);
        if (groups[g].kind == Group::Kind::random && groups[g].nodes.size() > 1) CHECK(orderings[g].size() > 1);
        if (groups[g].kind != Group::Kind::random) CHECK(orderings[g].size() == 1);
    }
}

inline RoutingInfo routing_for(std::string_view keyspace, std::int64_t token) {
    RoutingInfo r;
    r.token = token;
    r.keyspace = keyspace;
    r.table = "t";
    return r;
}

}  // namespace routelab::driver::test
