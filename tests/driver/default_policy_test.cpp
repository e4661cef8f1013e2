// DefaultPolicy: exact plans on the Rust driver's fixture ring for each option combination
// of the reference (§1.9 table, plus rack preference, down and disabled nodes, fixed-seed
// shuffling, LWT order, session-level preference, the pre-2025 LOCAL-CL rule, latency
// penalisation). Method: 256 plans per case, checked group by group (tests/driver/fixture.hpp).
#include <catch2/catch.hpp>
#include <cmath>

#include "driver/policy/default_policy.hpp"
#include "tests/driver/fixture.hpp"

using namespace routelab;
using namespace routelab::driver;
using namespace routelab::driver::test;

namespace {

DefaultPolicy make(DefaultPolicyConfig config, std::uint64_t seed = 42) {
    return DefaultPolicy(std::move(config), sim::RngStream(seed));
}

DefaultPolicyConfig eu(bool failover) {
    DefaultPolicyConfig c;
    c.preference = LocationPreference::dc("eu");
    c.permit_dc_failover = failover;
    return c;
}

}  // namespace

TEST_CASE("Rust fixture plans for token 160, preferred DC eu") {
    auto c = build(rust_fixture_metadata());
    SECTION("NTS rf2, failover on") {
        auto p = make(eu(true));
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("AG"), group("FD"), group("CB"), group("E")});
    }
    SECTION("NTS rf2, failover off: only local nodes") {
        auto p = make(eu(false));
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("AG"), group("CB")});
    }
    SECTION("NTS rf3, failover on") {
        auto p = make(eu(true));
        check_plans(p, routing_for("ks_nts_rf3", 160), *c, {group("ACG"), group("FDE"), group("B")});
    }
    SECTION("SimpleStrategy rf2, failover on") {
        auto p = make(eu(true));
        check_plans(p, routing_for("ks_simple_rf2", 160), *c, {group("A"), group("F"), group("CGB"), group("DE")});
    }
    SECTION("NTS rf3, prefer eu/r1, failover on") {
        DefaultPolicyConfig cfg = eu(true);
        cfg.preference = LocationPreference::dc_and_rack("eu", "r1");
        auto p = make(cfg);
        check_plans(p, routing_for("ks_nts_rf3", 160), *c, {group("AC"), group("G"), group("FDE"), group("B")});
    }
    SECTION("Node.js preferRack ordering: rack replicas, DC replicas, remote replicas, rack nodes, DC nodes, remote") {
        DefaultPolicyConfig cfg = eu(true);
        cfg.preference = LocationPreference::dc_and_rack("eu", "r1");
        auto p = make(cfg);
        check_plans(p, routing_for("ks_nts_rf2", 160), *c,
                    {group("A"), group("G"), group("FD"), group("CB"), group("E")});
    }
    SECTION("LWT, NTS rf2, failover on: replicas in ring order") {
        auto p = make(eu(true));
        RoutingInfo r = routing_for("ks_nts_rf2", 160);
        r.is_lwt = true;
        check_plans(p, r, *c, {ordered("AG"), ordered("FD"), group("CB"), group("E")});
    }
    SECTION("serial consistency routes as LWT") {
        auto p = make(eu(true));
        RoutingInfo r = routing_for("ks_nts_rf2", 160);
        r.consistency = consistency::local_serial;
        check_plans(p, r, *c, {ordered("AG"), ordered("FD"), group("CB"), group("E")});
    }
    SECTION("no token, or no keyspace: nodes only") {
        auto p = make(eu(true));
        RoutingInfo r = routing_for("ks_nts_rf2", 160);
        r.token.reset();
        check_plans(p, r, *c, {group("ABCG"), group("DEF")});
        RoutingInfo r2 = routing_for("", 160);
        check_plans(p, r2, *c, {group("ABCG"), group("DEF")});
        RoutingInfo r3 = routing_for("no_such_keyspace", 160);
        check_plans(p, r3, *c, {group("ABCG"), group("DEF")});
    }
    SECTION("token awareness off ignores the token") {
        DefaultPolicyConfig cfg = eu(true);
        cfg.token_aware = false;
        auto p = make(cfg);
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("ABCG"), group("DEF")});
    }
    SECTION("unknown preferred DC, failover forbidden: empty plan, pick is nullopt") {
        DefaultPolicyConfig cfg;
        cfg.preference = LocationPreference::dc("au");
        auto p = make(cfg);
        CHECK_FALSE(p.pick(routing_for("ks_nts_rf2", 160), *c).has_value());
        Plan plan;
        p.fallback(routing_for("ks_nts_rf2", 160), *c, plan);
        CHECK(plan.empty());
    }
    SECTION("unknown preferred DC, failover permitted: all replicas, then all nodes") {
        DefaultPolicyConfig cfg;
        cfg.preference = LocationPreference::dc("au");
        cfg.permit_dc_failover = true;
        auto p = make(cfg);
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("FADG"), group("BCE")});
    }
}

TEST_CASE("no DC preference") {
    auto c = build(rust_fixture_metadata());
    SECTION("all replicas, then all nodes") {
        DefaultPolicyConfig cfg;
        cfg.preference = LocationPreference::any();
        auto p = make(cfg);
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("AGFD"), group("BCE")});
    }
    SECTION("LWT: global ring order F, A, D, G; primary replica first") {
        auto p = make({});
        RoutingInfo r = routing_for("ks_nts_rf2", 160);
        r.is_lwt = true;
        check_plans(p, r, *c, {ordered("FADG"), group("BCE")});
    }
    SECTION("LWT with the primary down: the next replica in ring order is picked (pick does not return nullopt)") {
        auto m = rust_fixture_metadata();
        m.nodes[5].up = false;  // F
        auto c2 = build(m);
        auto p = make({});
        RoutingInfo r = routing_for("ks_nts_rf2", 160);
        r.is_lwt = true;
        auto first = p.pick(r, *c2);
        REQUIRE(first.has_value());
        CHECK(c2->nodes[first->node].host_id == "A");
        check_plans(p, r, *c2, {ordered("ADG"), group("BCE"), ordered("F")});
    }
    SECTION("failover flag has no effect without a DC preference") {
        DefaultPolicyConfig cfg;
        cfg.permit_dc_failover = false;
        auto p = make(cfg);
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("AGFD"), group("BCE")});
    }
}

TEST_CASE("token-unaware, 5 nodes eu{1,2,3} us{4,5}, failover on") {
    ClusterMetadata m;
    for (int i = 0; i < 5; ++i) {
        NodeMetadata n;
        n.address = net::Endpoint{net::ipv4(10, 0, 0, static_cast<std::uint8_t>(i + 1)), 9042};
        n.host_id = std::to_string(i + 1);
        n.datacenter = i < 3 ? "eu" : "us";
        n.rack = "r";
        n.tokens = {std::to_string(i * 1000)};
        m.nodes.push_back(n);
    }
    auto c = build(m);
    DefaultPolicyConfig cfg = eu(true);
    cfg.token_aware = false;
    auto p = make(cfg);
    check_plans(p, routing_for("", 0), *c, {group("123"), group("45")});
}

TEST_CASE("down and disabled nodes") {
    SECTION("enabled-but-down nodes come last, local ones first, in node-list order") {
        auto m = rust_fixture_metadata();
        m.nodes[0].up = false;  // A (local replica)
        m.nodes[3].up = false;  // D (remote replica)
        auto c = build(m);
        auto p = make(eu(true));
        check_plans(p, routing_for("ks_nts_rf2", 160), *c,
                    {group("G"), group("F"), group("CB"), group("E"), ordered("A"), ordered("D")});
    }
    SECTION("every local node down, failover off: the down local nodes are still tried") {
        auto m = rust_fixture_metadata();
        for (int i : {0, 1, 2, 6}) m.nodes[static_cast<std::size_t>(i)].up = false;
        auto c = build(m);
        auto p = make(eu(false));
        // pick rotates among the enabled local nodes; the rest follow in node-list order.
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("ABCG")});
    }
    SECTION("allow list: unlisted nodes never appear (Node.js allowList)") {
        auto c = build(rust_fixture_metadata());
        DefaultPolicyConfig cfg = eu(true);
        cfg.allow_list = {"127.0.0.1:9042", "127.0.0.3", "F", "E"};  // A, C, F, E
        auto p = make(cfg);
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("A"), group("F"), group("C"), group("E")});
    }
    SECTION("host filter in the snapshot: disabled nodes never appear") {
        auto m = rust_fixture_metadata();
        m.allow_list = std::vector<std::string>{"A", "B", "D"};
        auto c = build(m);
        auto p = make(eu(true));
        check_plans(p, routing_for("ks_nts_rf2", 160), *c, {group("A"), group("D"), group("B")});
    }
    SECTION("every node disabled: empty plan") {
        auto m = rust_fixture_metadata();
        m.allow_list = std::vector<std::string>{};
        auto c = build(m);
        auto p = make(eu(true));
        CHECK_FALSE(p.pick(routing_for("ks_nts_rf2", 160), *c).has_value());
    }
}

TEST_CASE("shuffling off: replica order stable for the policy's lifetime, nodes still rotate") {
    auto c = build(rust_fixture_metadata());
    DefaultPolicyConfig cfg = eu(true);
    cfg.shuffle_replicas = false;
    auto p = make(cfg);
    check_plans(p, routing_for("ks_nts_rf3", 160), *c, {deterministic("ACG"), deterministic("FDE"), group("B")});
    auto p2 = make(cfg);
    check_plans(p2, routing_for("ks_nts_rf2", 160), *c,
                {deterministic("AG"), deterministic("FD"), group("CB"), group("E")});
    SECTION("two instances with different seeds may differ, each is stable") {
        std::set<std::string> firsts;
        for (std::uint64_t seed = 0; seed < 32; ++seed) {
            auto q = make(cfg, seed);
            Plan plan;
            build_plan(q, routing_for("ks_nts_rf3", 160), *c, plan);
            firsts.insert(names(*c, plan).substr(0, 3));
        }
        CHECK(firsts.size() > 1);
    }
}

TEST_CASE("session-level location preference is inherited; an explicit one overrides it") {
    auto c = build(rust_fixture_metadata());
    RoutingInfo r = routing_for("ks_nts_rf2", 160);
    r.preferred_dc = "eu";
    auto inherit = make({});
    check_plans(inherit, r, *c, {group("AG"), group("CB")});
    DefaultPolicyConfig cfg;
    cfg.preference = LocationPreference::any();
    auto any = make(cfg);
    check_plans(any, r, *c, {group("AGFD"), group("BCE")});
}

TEST_CASE("pre-2025 rule (issue #1272): LOCAL consistency blocks DC failover when the flag is on") {
    auto c = build(rust_fixture_metadata());
    DefaultPolicyConfig cfg = eu(true);
    cfg.local_consistency_blocks_failover = true;
    auto p = make(cfg);
    RoutingInfo r = routing_for("ks_nts_rf2", 160);
    r.consistency = consistency::local_quorum;
    check_plans(p, r, *c, {group("AG"), group("CB")});
    r.consistency = consistency::quorum;
    check_plans(p, r, *c, {group("AG"), group("FD"), group("CB"), group("E")});
    r.serial_consistency = consistency::local_serial;
    check_plans(p, r, *c, {group("AG"), group("CB")});
}

TEST_CASE("replica targets carry the token's shard; non-replicas none") {
    auto m = rust_fixture_metadata();
    for (auto& n : m.nodes) n.shard_count = 4;
    auto c = build(m);
    auto p = make(eu(true));
    Plan plan;
    build_plan(p, routing_for("ks_nts_rf2", 160), *c, plan);
    REQUIRE(plan.size() == 7);
    for (std::size_t i = 0; i < 4; ++i) CHECK(plan[i].shard == c->shard_of(plan[i].node, 160));
    for (std::size_t i = 4; i < 7; ++i) CHECK_FALSE(plan[i].shard.has_value());
}

TEST_CASE("de-duplication: shard-less equals any shard of the node; two shards are distinct") {
    CHECK(same_destination({1, std::nullopt}, {1, 3}));
    CHECK(same_destination({1, 3}, {1, 3}));
    CHECK_FALSE(same_destination({1, 2}, {1, 3}));
    CHECK_FALSE(same_destination({1, std::nullopt}, {2, std::nullopt}));
    Plan plan{{1, 2}};
    CHECK(append_unique(plan, {1, 3}));
    CHECK_FALSE(append_unique(plan, {1, std::nullopt}));
}

TEST_CASE("latency awareness: decaying average, minimum, penalised targets go last and are never picked") {
    using namespace sim::literals;
    auto c = build(rust_fixture_metadata());
    DefaultPolicyConfig cfg = eu(true);
    LatencyAwarenessConfig la;
    la.minimum_measurements = 1;
    cfg.latency_awareness = la;
    auto p = make(cfg);
    LatencyAwareness& aware = *p.latency_awareness();

    SECTION("average formula: weight of the previous average is ln(1 + d) / d") {
        aware.report(0, 10_ms, sim::Time::zero() + 1_s);
        aware.report(0, 30_ms, sim::Time::zero() + 1_s + 100_ms);  // d = 1
        const double w = std::log(2.0);
        const double expected = (1 - w) * 30e6 + w * 10e6;
        CHECK(std::abs(aware.average(0)->average_ns - expected) < 1.0);
        CHECK(aware.average(0)->measurements == 2);
        aware.report(0, 0_ms, sim::Time::zero() + 2_s);  // zero latency ignored
        CHECK(aware.average(0)->measurements == 2);
    }
    SECTION("G is slow: moved behind every other target; pick never returns it") {
        const sim::Time now = sim::Time::zero() + 5_s;
        for (NodeIndex n = 0; n < 7; ++n)
            aware.set_average(n, {now, n == 6 ? 50e6 : 1e6, 100});
        aware.tick(now);
        REQUIRE(aware.minimum_average() == sim::Duration::from_ms(1));
        RoutingInfo r = routing_for("ks_nts_rf2", 160);
        r.now = now + 1_ms;
        check_plans(p, r, *c, {ordered("A"), group("FD"), group("CB"), group("E"), ordered("G")});
        SECTION("after retry_period without samples the penalty lapses") {
            r.now = now + 10_s;
            check_plans(p, r, *c, {group("AG"), group("FD"), group("CB"), group("E")});
        }
    }
    SECTION("fast errors do not count as measurements") {
        AttemptError overloaded{AttemptErrorKind::overloaded};
        AttemptError timeout{AttemptErrorKind::read_timeout};
        p.on_request_error(routing_for("", 0), 5_ms, Target{2, {}}, sim::Time::zero() + 1_s, overloaded);
        CHECK_FALSE(aware.average(2).has_value());
        p.on_request_error(routing_for("", 0), 5_ms, Target{2, {}}, sim::Time::zero() + 1_s, timeout);
        CHECK(aware.average(2)->measurements == 1);
    }
    SECTION("no node with minimum_measurements: no minimum, nothing penalised") {
        LatencyAwarenessConfig strict;
        LatencyAwareness a(strict);
        a.report(1, 100_ms, sim::Time::zero() + 1_s);
        a.tick(sim::Time::zero() + 2_s);
        CHECK_FALSE(a.minimum_average().has_value());
        CHECK_FALSE(a.penalised(1, sim::Time::zero() + 2_s));
    }
}
