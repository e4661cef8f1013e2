// Whole runs for the routing checks: plans_valid against the default policy and against
// deliberately broken policies registered here; client_routes_only against a driver that
// goes through the routes and one that dials nodes directly; session_affinity_stable
// against the session-affinity policy and against round robin.
#include <catch2/catch.hpp>

#include "driver/policy/registry.hpp"
#include "tests/checks/check_world.hpp"

using namespace routelab;

namespace {

constexpr std::uint32_t r2_ip = net::ipv4(127, 0, 0, 2);   // dc1-r2-n1

std::optional<driver::NodeIndex> node_at(const driver::ClusterState& cluster, std::uint32_t ip) {
    for (const auto& n : cluster.nodes)
        if (n.address.ip == ip) return n.index;
    return std::nullopt;
}

// Broken on purpose: always starts with a node of dc2, whatever the local DC.
class RemoteFirst final : public driver::LoadBalancingPolicy {
public:
    std::optional<driver::Target> pick(const driver::RoutingInfo&, const driver::ClusterState& cluster) override {
        for (const auto& n : cluster.nodes)
            if (n.datacenter == "dc2" && n.up) return driver::Target{n.index, std::nullopt};
        return cluster.nodes.empty() ? std::nullopt : std::optional<driver::Target>(driver::Target{0, std::nullopt});
    }
    void fallback(const driver::RoutingInfo&, const driver::ClusterState& cluster, driver::Plan& out) override {
        for (const auto& n : cluster.nodes) driver::append_unique(out, driver::Target{n.index, std::nullopt});
    }
    std::string_view name() const override { return "test_remote_first"; }
};

// Broken on purpose: dc1-r2-n1 first, and again first in the fallback.
class NamesTwice final : public driver::LoadBalancingPolicy {
public:
    std::optional<driver::Target> pick(const driver::RoutingInfo&, const driver::ClusterState& cluster) override {
        if (auto n = node_at(cluster, r2_ip)) return driver::Target{*n, std::nullopt};
        return std::nullopt;
    }
    void fallback(const driver::RoutingInfo& routing, const driver::ClusterState& cluster, driver::Plan& out) override {
        if (auto first = pick(routing, cluster)) out.push_back(*first);
        for (const auto& n : cluster.nodes) driver::append_unique(out, driver::Target{n.index, std::nullopt});
    }
    std::string_view name() const override { return "test_names_twice"; }
};

const bool registered = [] {
    driver::PolicyRegistry::instance().register_policy("test_remote_first", [] { return std::make_unique<RemoteFirst>(); });
    driver::PolicyRegistry::instance().register_policy("test_names_twice", [] { return std::make_unique<NamesTwice>(); });
    return true;
}();

std::string two_dc(const std::string& driver, const std::string& rest) {
    return R"(
[scenario]
name = "plans"
[topology]
vnodes = 8
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 1 }, { name = "r2", nodes = 1 }, { name = "r3", nodes = 1 } ]
[[topology.datacenters]]
name = "dc2"
racks = [ { name = "r1", nodes = 1 }, { name = "r2", nodes = 1 }, { name = "r3", nodes = 1 } ]
[cluster]
replication_factor = 3
[workload]
rate_per_s = 1000
duration_s = 3
consistency = "LOCAL_QUORUM"
[driver]
local_datacenter = "dc1"
)" + driver + "\n" + rest + "\n[output]\nwindow_s = 0.5\n";
}

const std::string load = "rate_per_s = 1000\nduration_s = 3\nconsistency = \"QUORUM\"";

}  // namespace

TEST_CASE("plans_valid holds for the default policy, token aware, through a node outage") {
    REQUIRE(registered);
    const auto run = test::run(two_dc(R"(policy = "default"
policy_options = { local_dc = "dc1", token_aware = true, permit_dc_failover = false })", R"(
[[faults]]
action = "stop_node"
at_s = 1
duration_s = 1
node = "dc1-r1-n1"
[[checks]]
name = "plans_valid"
)"));
    INFO(run.verdict);
    CHECK(run.verdict == "pass");
    // The first target answered almost always (a live local replica), not always.
    std::uint64_t first = 0, later = 0;
    for (const auto& p : run.window_plan_positions) (p.position == 0 ? first : later) += p.requests;
    CHECK(first > 2500);
}

TEST_CASE("plans_valid: a policy that goes to a remote DC without failover fails at the first request") {
    const auto run = test::run(two_dc("policy = \"test_remote_first\"", R"(
[[checks]]
name = "plans_valid"
id = "derived"
[[checks]]
name = "plans_valid"
id = "local"
local_dc = "dc1"
dc_failover = false
)"));
    // An unknown policy implies no rule about DCs; the check's own settings do.
    CHECK(test::check(run, "derived").passed);
    const auto& local = test::check(run, "local");
    CHECK_FALSE(local.passed);
    CHECK(local.value == static_cast<double>(run.requests));
    CHECK(local.first_request == 0U);
    CHECK(local.first_node.rfind("dc2-", 0) == 0);
    CHECK(local.detail.find("outside dc1, without DC failover") != std::string::npos);
}

TEST_CASE("plans_valid: a policy that names a node twice fails once its plan grows past the first target") {
    const auto run = test::run(test::one_dc(load, "policy = \"test_names_twice\"", R"(
[[faults]]
action = "inject_error"
at_s = 1
duration_s = 1
error = "overloaded"
node = "dc1-r2-n1"
[[checks]]
name = "plans_valid"
)"));
    const auto& c = test::check(run, "plans_valid");
    INFO(c.detail);
    CHECK_FALSE(c.passed);
    REQUIRE(c.first_at_s);
    // Only a retry asks for the fallback: the plan is [r2, r2, ...] from the first error.
    CHECK(*c.first_at_s >= 1.0);
    CHECK(*c.first_at_s < 1.01);
    CHECK(c.first_node == "dc1-r2-n1");
    CHECK(c.detail == "the node is in the plan twice (positions 0 and 1)");
}

TEST_CASE("plans_valid: replica_first catches a token-unaware policy; the allow list is kept") {
    // RF 1: a round-robin plan starts at the token's one replica a third of the time.
    auto text = test::one_dc(load, "policy = \"round_robin\"", R"(
[[checks]]
name = "plans_valid"
id = "replica-first"
replica_first = true
[[checks]]
name = "plans_valid"
id = "allow"
allow_list = ["127.0.0.1"]
)");
    text.replace(text.find("replication_factor = 3"), 22, "replication_factor = 1");
    const auto run = test::run(text);
    const auto& first = test::check(run, "replica-first");
    CHECK_FALSE(first.passed);
    CHECK(first.value / static_cast<double>(run.requests) == Approx(2.0 / 3).margin(0.05));
    CHECK(first.first_request.value_or(99) < 5);
    CHECK(first.detail == "the first target is not a live replica of the token, though one is up");
    const auto& allow = test::check(run, "allow");
    CHECK_FALSE(allow.passed);
    CHECK(allow.first_node != "dc1-r1-n1");
    // The default policy with an allow list keeps it; plans_valid reads it from the policy.
    const auto kept = test::run(test::one_dc(load, "policy = \"default\"\npolicy_options = { allow_list = \"127.0.0.1:9042,127.0.0.2:9042\" }",
                                             "[[checks]]\nname = \"plans_valid\"\n"));
    INFO(kept.verdict);
    CHECK(kept.verdict == "pass");
    for (const auto& n : kept.window_node_load) CHECK(n.node != "dc1-r3-n1");
}

TEST_CASE("client_routes_only: the driver behind PrivateLink keeps to the routes; a direct driver does not") {
    const std::string proxies = R"(
[[cluster.proxies]]
connection_id = "vpc-1"
address = "127.0.2.1"
port = 9100
)";
    const std::string faults = R"(
[[faults]]
action = "set_route"
at_s = 1
node = "dc1-r2-n1"
connection_id = "vpc-1"
address = "127.0.2.1"
port = 9201
[[faults]]
action = "remove_route"
at_s = 1.5
node = "dc1-r3-n1"
connection_id = "vpc-1"
[[faults]]
action = "set_route"
at_s = 2
node = "dc1-r3-n1"
connection_id = "vpc-1"
address = "127.0.2.1"
port = 9102
)";
    auto private_link = test::one_dc(load, "policy = \"round_robin\"\n[driver.client_routes]\nconnection_ids = [\"vpc-1\"]",
                                     faults + "[[checks]]\nname = \"client_routes_only\"\n");
    private_link.replace(private_link.find("[workload]"), 10, "private_link = true\n" + proxies + "\n[workload]");
    const auto routed = test::run(private_link);
    INFO(routed.verdict);
    CHECK(routed.verdict == "pass");
    CHECK(test::check(routed, "client_routes_only").value_text.find("0 of ") == 0);

    // The same cluster (without PrivateLink, so nodes take direct clients) and a driver
    // not configured for routes: it dials the nodes' own addresses from start-up on.
    auto direct = test::one_dc(load, "policy = \"round_robin\"", faults + "[[checks]]\nname = \"client_routes_only\"\nconnection_ids = [\"vpc-1\"]\n");
    direct.replace(direct.find("[workload]"), 10, proxies + "\n[workload]");
    const auto dialled = test::run(direct);
    const auto& c = test::check(dialled, "client_routes_only");
    CHECK_FALSE(c.passed);
    REQUIRE(c.first_at_s);
    CHECK(*c.first_at_s < 0);   // before the workload: the control connection
    CHECK(c.first_node.rfind("dc1-", 0) == 0);
    CHECK(c.detail.find(":9042 (dc1-") != std::string::npos);
}

TEST_CASE("session_affinity_stable: the affinity policy moves sessions only with the topology; round robin fails") {
    const std::string sessions = "rate_per_s = 1000\nduration_s = 4\nconsistency = \"QUORUM\"\nsessions = 50";
    const std::string rest = R"(
[[faults]]
action = "stop_node"
at_s = 1
duration_s = 1.5
node = "dc1-r2-n1"
[[checks]]
name = "session_affinity_stable"
)";
    const auto sticky = test::run(test::one_dc(sessions, "policy = \"session_affinity\"\npolicy_options = { scheme = \"ring\" }\nsession_key_payload = \"session_id\"", rest));
    INFO(sticky.verdict);
    CHECK(sticky.verdict == "pass");
    CHECK(test::check(sticky, "session_affinity_stable").value == 0);
    CHECK(sticky.affinity.moved > 0);   // sessions did move: with the outage, and back
    const auto rr = test::run(test::one_dc(sessions, "policy = \"round_robin\"", rest));
    const auto& c = test::check(rr, "session_affinity_stable");
    CHECK_FALSE(c.passed);
    REQUIRE(c.first_at_s);
    CHECK(*c.first_at_s < 0.2);
    CHECK(c.detail.find("moved from dc1-") != std::string::npos);
}
