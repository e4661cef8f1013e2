// Properties of the routing policies over random topologies, rings, keyspaces, down sets,
// allow lists and options (RapidCheck): plans never repeat a destination, never leave the
// allow list or (without failover) the preferred DC, put a live local replica first when
// token-aware, agree with `pick`, keep LWT order across calls and cover every candidate;
// retry decisions stay within their bounds and never retry a non-idempotent write that may
// have applied.
#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <set>

#include "driver/metadata/cluster_builder.hpp"
#include "driver/policy/default_policy.hpp"
#include "driver/policy/power_of_two.hpp"
#include "driver/policy/retry.hpp"
#include "driver/policy/session_affinity.hpp"

using namespace routelab;
using namespace routelab::driver;

namespace {

const std::vector<std::string> dc_names{"dc1", "dc2", "dc3"};
const std::vector<std::string> rack_names{"r1", "r2", "r3"};

struct World {
    ClusterStatePtr cluster;
    std::vector<std::string> keyspaces;
};

// A random cluster: 1–10 nodes in 1–3 DCs, 1–4 random tokens each, random racks, up
// flags, snapshot-level disabled nodes, and keyspaces of every strategy kind.
World gen_world() {
    const int node_count = *rc::gen::inRange(1, 11);
    const int dc_count = *rc::gen::inRange(1, 4);
    ClusterMetadata m;
    for (int i = 0; i < node_count; ++i) {
        NodeMetadata n;
        n.address = net::Endpoint{net::ipv4(10, 0, 0, static_cast<std::uint8_t>(i + 1)), 9042};
        n.host_id = "host-" + std::to_string(i);
        n.datacenter = dc_names[static_cast<std::size_t>(*rc::gen::inRange(0, dc_count))];
        n.rack = rack_names[static_cast<std::size_t>(*rc::gen::inRange(0, 3))];
        const int tokens = *rc::gen::inRange(1, 5);
        for (int t = 0; t < tokens; ++t) n.tokens.push_back(std::to_string(*rc::gen::arbitrary<std::int64_t>()));
        n.up = *rc::gen::weightedElement<bool>({{3, true}, {1, false}});
        n.shard_count = static_cast<std::uint16_t>(*rc::gen::inRange(0, 5));
        n.sharding_ignore_msb = 12;
        m.nodes.push_back(n);
    }
    if (*rc::gen::weightedElement<bool>({{1, true}, {4, false}})) {
        std::vector<std::string> allow;
        for (const auto& n : m.nodes)
            if (*rc::gen::weightedElement<bool>({{3, true}, {1, false}})) allow.push_back(n.host_id);
        m.allow_list = allow;
    }
    World w;
    m.keyspaces.push_back({"simple", {{"class", "SimpleStrategy"}, {"replication_factor", std::to_string(*rc::gen::inRange(0, 5))}}});
    std::map<std::string, std::string> nts{{"class", "NetworkTopologyStrategy"}};
    for (const auto& dc : dc_names) nts[dc] = std::to_string(*rc::gen::inRange(0, 4));
    m.keyspaces.push_back({"nts", nts});
    m.keyspaces.push_back({"everywhere", {{"class", "EverywhereStrategy"}}});
    m.keyspaces.push_back({"local", {{"class", "LocalStrategy"}}});
    for (const auto& k : m.keyspaces) w.keyspaces.push_back(k.name);
    auto built = build_cluster_state(m);
    RC_ASSERT(built.ok());
    w.cluster = built.value();
    return w;
}

DefaultPolicyConfig gen_config(const ClusterState& cluster) {
    DefaultPolicyConfig c;
    const int kind = *rc::gen::inRange(0, 4);
    const std::string dc = *rc::gen::element<std::string>("dc1", "dc2", "dc3", "unknown");
    const std::string rack = *rc::gen::element<std::string>("r1", "r2", "r3");
    if (kind == 1) c.preference = LocationPreference::any();
    if (kind == 2) c.preference = LocationPreference::dc(dc);
    if (kind == 3) c.preference = LocationPreference::dc_and_rack(dc, rack);
    c.token_aware = *rc::gen::arbitrary<bool>();
    c.permit_dc_failover = *rc::gen::arbitrary<bool>();
    c.shuffle_replicas = *rc::gen::arbitrary<bool>();
    c.local_consistency_blocks_failover = *rc::gen::arbitrary<bool>();
    if (*rc::gen::weightedElement<bool>({{1, true}, {3, false}})) {
        for (const NodeInfo& n : cluster.nodes)
            if (*rc::gen::arbitrary<bool>()) c.allow_list.push_back(n.address.to_string());
        if (c.allow_list.empty()) c.allow_list.push_back("10.9.9.9:1");
    }
    return c;
}

struct Request {
    RoutingInfo routing;
    std::string keyspace;  // owns the text routing.keyspace points to
    std::string session_key;
};

Request gen_request(const World& w) {
    Request r;
    if (*rc::gen::weightedElement<bool>({{4, true}, {1, false}})) r.routing.token = *rc::gen::arbitrary<std::int64_t>();
    r.keyspace = *rc::gen::element<std::string>("simple", "nts", "everywhere", "local", "", "missing");
    r.routing.is_lwt = *rc::gen::weightedElement<bool>({{1, true}, {3, false}});
    r.routing.consistency = static_cast<std::uint16_t>(*rc::gen::inRange(0, 11));
    if (*rc::gen::arbitrary<bool>()) r.routing.serial_consistency = *rc::gen::element<std::uint16_t>(8, 9);
    r.session_key = *rc::gen::element<std::string>("", "s1", "s2", "user-77");
    (void)w;
    return r;
}

void bind(Request& r) {
    r.routing.keyspace = r.keyspace;
    r.routing.table = r.keyspace.empty() ? std::string_view{} : std::string_view{"t"};
    r.routing.session_key = r.session_key;
}

struct Resolved {
    std::string dc, rack;
    bool failover = false;
};

Resolved resolve(const DefaultPolicyConfig& c, const RoutingInfo& r) {
    Resolved out;
    if (c.preference.kind == LocationPreference::Kind::datacenter ||
        c.preference.kind == LocationPreference::Kind::datacenter_and_rack) {
        out.dc = c.preference.datacenter;
        out.rack = c.preference.rack;
    }
    const bool local_cl = r.consistency == consistency::local_one || r.consistency == consistency::local_quorum ||
                          r.serial_consistency == consistency::local_serial;
    out.failover = !out.dc.empty() && c.permit_dc_failover && !(c.local_consistency_blocks_failover && local_cl);
    return out;
}

bool allowed(const DefaultPolicyConfig& c, const NodeInfo& n) {
    if (c.allow_list.empty()) return true;
    return std::find(c.allow_list.begin(), c.allow_list.end(), n.address.to_string()) != c.allow_list.end();
}

void assert_no_duplicates(const Plan& plan) {
    for (std::size_t i = 0; i < plan.size(); ++i)
        for (std::size_t j = i + 1; j < plan.size(); ++j) RC_ASSERT(!same_destination(plan[i], plan[j]));
}

// The common plan contract: pick is first, fallback never repeats it, pick is nullopt only
// if a whole plan is empty.
void assert_plan_contract(LoadBalancingPolicy& policy, const RoutingInfo& routing, const ClusterState& cluster,
                          Plan& plan) {
    build_plan(policy, routing, cluster, plan);
    assert_no_duplicates(plan);
    if (plan.empty()) {
        Plan whole;
        policy.fallback(routing, cluster, whole);
        RC_ASSERT(whole.empty());
    }
    for (const Target& t : plan) {
        RC_ASSERT(t.node < cluster.nodes.size());
        RC_ASSERT(cluster.nodes[t.node].enabled);
    }
}

}  // namespace

TEST_CASE("DefaultPolicy properties over random clusters and options") {
    rc::prop("plans are unique, allowed, local without failover, replica-first, complete", [] {
        const World w = gen_world();
        const ClusterState& cluster = *w.cluster;
        const DefaultPolicyConfig config = gen_config(cluster);
        DefaultPolicy policy(config, sim::RngStream(*rc::gen::arbitrary<std::uint64_t>()));
        Request req = gen_request(w);
        bind(req);
        const RoutingInfo& routing = req.routing;
        const Resolved pref = resolve(config, routing);
        Plan plan;
        assert_plan_contract(policy, routing, cluster, plan);

        for (const Target& t : plan) {
            const NodeInfo& n = cluster.nodes[t.node];
            RC_ASSERT(allowed(config, n));
            if (!pref.dc.empty() && !pref.failover) RC_ASSERT(n.datacenter == pref.dc);
        }
        // Complete: every enabled, allowed candidate node appears.
        for (const NodeInfo& n : cluster.nodes) {
            if (!n.enabled || !allowed(config, n)) continue;
            const bool candidate = pref.dc.empty() || pref.failover || n.datacenter == pref.dc;
            if (candidate)
                RC_ASSERT(std::any_of(plan.begin(), plan.end(), [&](const Target& t) { return t.node == n.index; }));
        }
        // Alive targets come before down ones.
        bool seen_down = false;
        for (const Target& t : plan) {
            const bool up = cluster.nodes[t.node].up;
            if (!up) seen_down = true;
            else RC_ASSERT(!seen_down);
        }
        // Token-aware with a live local replica: the first target is one (a local-rack one
        // if the rack has a live replica).
        const KeyspaceInfo* ks = cluster.keyspace(routing.keyspace);
        if (config.token_aware && routing.token && ks) {
            const ReplicaSet set = cluster.replicas(*ks, *routing.token);
            auto live_local = [&](NodeIndex r, bool rack) {
                const NodeInfo& n = cluster.nodes[r];
                return n.up && n.enabled && allowed(config, n) && (pref.dc.empty() || n.datacenter == pref.dc) &&
                       (!rack || n.rack == pref.rack);
            };
            const auto replicas = set.grouped;
            auto is_replica = [&](NodeIndex node) {
                return std::find(replicas.begin(), replicas.end(), node) != replicas.end();
            };
            const bool any_live_local = std::any_of(replicas.begin(), replicas.end(), [&](NodeIndex r) { return live_local(r, false); });
            if (any_live_local) {
                RC_ASSERT(!plan.empty());
                RC_ASSERT(is_replica(plan[0].node));
                RC_ASSERT(live_local(plan[0].node, false));
                RC_ASSERT(plan[0].shard == std::optional<std::uint16_t>(cluster.shard_of(plan[0].node, *routing.token)));
                const bool rack_live = !pref.rack.empty() &&
                                       std::any_of(replicas.begin(), replicas.end(), [&](NodeIndex r) { return live_local(r, true); });
                if (rack_live) RC_ASSERT(live_local(plan[0].node, true));
                if (routing.should_route_as_lwt()) {
                    // LWT: the first live local replica in ring order.
                    const auto local_ring = pref.dc.empty() ? set.ring_order : set.in_datacenter(cluster.datacenter_index(pref.dc));
                    for (NodeIndex r : local_ring) {
                        if (!live_local(r, rack_live)) continue;
                        RC_ASSERT(plan[0].node == r);
                        break;
                    }
                }
            }
        }
    });

    rc::prop("LWT replica order is identical on every call; pick is stable too", [] {
        const World w = gen_world();
        const ClusterState& cluster = *w.cluster;
        const DefaultPolicyConfig config = gen_config(cluster);
        DefaultPolicy policy(config, sim::RngStream(*rc::gen::arbitrary<std::uint64_t>()));
        Request req = gen_request(w);
        req.routing.is_lwt = true;
        bind(req);
        auto replica_prefix = [](const Plan& plan) {
            Plan prefix;
            for (const Target& t : plan) {
                if (!t.shard) break;
                prefix.push_back(t);
            }
            return prefix;
        };
        Plan first;
        build_plan(policy, req.routing, cluster, first);
        for (int i = 0; i < 5; ++i) {
            Plan again;
            build_plan(policy, req.routing, cluster, again);
            RC_ASSERT(replica_prefix(again) == replica_prefix(first));
            if (!replica_prefix(first).empty()) RC_ASSERT(again[0] == first[0]);
        }
    });

    rc::prop("shuffling off: the whole replica prefix is stable for one instance", [] {
        const World w = gen_world();
        const ClusterState& cluster = *w.cluster;
        DefaultPolicyConfig config = gen_config(cluster);
        config.shuffle_replicas = false;
        DefaultPolicy policy(config, sim::RngStream(*rc::gen::arbitrary<std::uint64_t>()));
        Request req = gen_request(w);
        bind(req);
        Plan first, again;
        build_plan(policy, req.routing, cluster, first);
        build_plan(policy, req.routing, cluster, again);
        for (std::size_t i = 0; i < first.size() && first[i].shard; ++i) RC_ASSERT(again[i] == first[i]);
    });
}

TEST_CASE("other load-balancing policies keep the plan contract") {
    rc::prop("power of two choices and session affinity: unique plans, pick first", [] {
        const World w = gen_world();
        const ClusterState& cluster = *w.cluster;
        std::vector<std::uint32_t> load(cluster.nodes.size());
        for (auto& l : load) l = static_cast<std::uint32_t>(*rc::gen::inRange(0, 20));
        InFlightProvider in_flight = [&](const Target& t) { return load[t.node]; };
        const std::string dc = *rc::gen::element<std::string>("", "dc1", "dc2");
        PowerOfTwoChoices p2c({dc, *rc::gen::arbitrary<bool>(), *rc::gen::arbitrary<bool>()},
                              sim::RngStream(*rc::gen::arbitrary<std::uint64_t>()), in_flight);
        SessionAffinityConfig sa;
        sa.scheme = *rc::gen::element(AffinityScheme::ring_hash, AffinityScheme::maglev, AffinityScheme::bounded_load);
        sa.local_dc = dc;
        sa.maglev_table_size = 251;
        SessionAffinity affinity(sa, sim::RngStream(1), in_flight);
        Request req = gen_request(w);
        bind(req);
        Plan plan;
        assert_plan_contract(p2c, req.routing, cluster, plan);
        assert_plan_contract(affinity, req.routing, cluster, plan);
        if (!req.session_key.empty() && !plan.empty()) {
            Plan again;
            build_plan(affinity, req.routing, cluster, again);
            RC_ASSERT(again == plan);
        }
    });
}

TEST_CASE("retry decisions stay within bounds") {
    rc::prop("a fiber's retries never exceed the bounds; non-idempotent writes that may have applied are not retried",
             [] {
                 const auto kind = *rc::gen::element(RetryPolicyKind::default_policy,
                                                     RetryPolicyKind::downgrading_consistency,
                                                     RetryPolicyKind::fallthrough);
                 const int retries_max = *rc::gen::inRange(0, 6);
                 const bool idempotent = *rc::gen::arbitrary<bool>();
                 const auto cl = static_cast<std::uint16_t>(*rc::gen::inRange(0, 11));
                 RetrySession session(kind, retries_max);
                 const int steps = *rc::gen::inRange(1, 30);
                 int same_target[3] = {0, 0, 0};  // unavailable, read timeout, write timeout
                 int retries = 0;
                 for (int s = 0; s < steps; ++s) {
                     AttemptError e;
                     e.kind = static_cast<AttemptErrorKind>(*rc::gen::inRange(0, static_cast<int>(AttemptErrorKind::other) + 1));
                     e.received = *rc::gen::inRange(0, 5);
                     e.block_for = *rc::gen::inRange(0, 5);
                     e.data_present = *rc::gen::arbitrary<bool>();
                     e.write_type = static_cast<WriteType>(*rc::gen::inRange(0, 8));
                     const RetryDecision d = session.decide(e, cl, idempotent);
                     const bool retry =
                         d.action == RetryAction::retry_same_target || d.action == RetryAction::retry_next_target;
                     if (!idempotent && may_have_applied(e)) RC_ASSERT(!retry && d.action != RetryAction::ignore);
                     if (d.action == RetryAction::ignore) RC_ASSERT(e.kind == AttemptErrorKind::write_timeout);
                     if (kind == RetryPolicyKind::fallthrough) RC_ASSERT(d.action == RetryAction::rethrow);
                     if (d.consistency) RC_ASSERT(kind == RetryPolicyKind::downgrading_consistency);
                     if (retry) ++retries;
                     if (retry && e.kind == AttemptErrorKind::unavailable) ++same_target[0];
                     if (retry && e.kind == AttemptErrorKind::read_timeout) ++same_target[1];
                     if (retry && e.kind == AttemptErrorKind::write_timeout) ++same_target[2];
                     if (cl == consistency::serial || cl == consistency::local_serial)
                         RC_ASSERT(!retry || (kind == RetryPolicyKind::downgrading_consistency &&
                                              e.kind == AttemptErrorKind::unavailable));
                 }
                 RC_ASSERT(retries <= retries_max);
                 RC_ASSERT(session.state().retries == retries);
                 for (int k = 0; k < 3; ++k) RC_ASSERT(same_target[k] <= 1);
                 if (kind == RetryPolicyKind::downgrading_consistency)
                     RC_ASSERT(same_target[0] + same_target[1] + same_target[2] <= 1);
             });
}
