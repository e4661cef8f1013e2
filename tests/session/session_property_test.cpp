// Properties of the whole driver over a simulated cluster under random faults (node stops
// and starts, client partitions, injected errors, slow nodes) with random retry and
// speculative settings: every request ends exactly once; each execution's retries stay
// within the retry policy's bound; non-idempotent requests never speculate and are never
// retried after an attempt that may have applied.
#include <catch2/catch.hpp>
#include <rapidcheck.h>
#include <rapidcheck/catch.h>

#include <map>

#include "driver/policy/round_robin.hpp"
#include "driver/policy/speculative.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/net/sim_network.hpp"
#include "tests/session/session_world.hpp"

using namespace routelab;
using namespace routelab::sim::literals;

namespace {

constexpr std::uint32_t client_ip = net::ipv4(127, 1, 0, 1);

struct RequestRecord {
    int calls = 0;
    bool idempotent = true;
    driver::RequestOutcome outcome{};
    std::vector<driver::Attempt> history;
};

bool is_retry(const std::optional<driver::RetryAction>& a) {
    return a == driver::RetryAction::retry_same_target || a == driver::RetryAction::retry_next_target;
}

}  // namespace

TEST_CASE("the session under random faults") {
    rc::prop("every request ends exactly once, retries stay bounded, non-idempotent requests are not repeated", [] {
        const int node_count = *rc::gen::inRange(2, 6);
        const int retries_max = *rc::gen::inRange(0, 4);
        const auto retry_kind = *rc::gen::element(driver::RetryPolicyKind::default_policy, driver::RetryPolicyKind::downgrading_consistency,
                                                  driver::RetryPolicyKind::fallthrough);
        const int extra_executions = *rc::gen::inRange(0, 4);
        const int delay_ms = *rc::gen::inRange(1, 20);
        const std::uint64_t seed = *rc::gen::arbitrary<std::uint64_t>();

        sim::SimScheduler scheduler;
        sim::Rng rng{seed};
        sim::Trace trace;
        net::SimNetwork network{scheduler, rng.stream("net"), trace, net::LinkModel(net::LinkLatencies{})};
        cluster::ClusterConfig config;
        for (int i = 0; i < node_count; ++i) config.nodes.push_back({"n" + std::to_string(i), "dc1", "r" + std::to_string(i % 3), {}});
        config.vnodes = 4;
        cluster::ServiceConfig service;
        service.timeouts.read = 100_ms;
        service.timeouts.write = 100_ms;
        cluster::Cluster cluster(cluster::ClusterEnv{scheduler, rng, trace, network, network.links()}, config, service);
        cluster.create_keyspace("ks", cluster::ReplicationStrategy::simple(std::min(3, node_count)));
        cluster.create_table(test::kv_table());
        cluster.start();

        driver::SessionConfig s;
        for (int i = 0; i < node_count; ++i) s.contact_points.push_back({cluster::node_address(static_cast<std::size_t>(i)), 9042});
        s.policy = std::make_unique<driver::RoundRobinPolicy>();
        s.retry = driver::RetryPolicy(retry_kind, retries_max);
        if (extra_executions > 0)
            s.speculative = std::make_unique<driver::ConstantSpeculativeExecution>(extra_executions, sim::Duration::from_ms(delay_ms));
        s.request_timeout = 300_ms;
        driver::Session session(driver::Env{scheduler, network, trace, rng.stream("driver"), client_ip}, std::move(s));
        bool connected = false;
        session.connect([&](bool ok) { connected = ok; });
        scheduler.run_until(scheduler.now() + 100_ms);
        RC_PRE(connected);
        driver::PreparedPtr write;
        session.prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?)", [&](driver::PreparedPtr p, const cql::Error*) { write = p; });
        scheduler.run_until(scheduler.now() + 100_ms);
        RC_PRE(write != nullptr);

        // Faults, at random times over the next 400 ms.
        const sim::Time base = scheduler.now();
        const int fault_count = *rc::gen::inRange(0, 12);
        for (int f = 0; f < fault_count; ++f) {
            const auto at = base + sim::Duration::from_us(*rc::gen::inRange(0, 400'000));
            const auto node = static_cast<std::size_t>(*rc::gen::inRange(0, node_count));
            const int kind = *rc::gen::inRange(0, 7);
            scheduler.at(at, [&cluster, &network, node, kind] {
                const std::uint32_t ip = cluster::node_address(node);
                switch (kind) {
                    case 0: cluster.stop_node(node); break;
                    case 1: cluster.start_node(node); break;
                    case 2: network.partition(client_ip, ip); break;
                    case 3: network.heal(client_ip, ip); break;
                    case 4: {
                        cluster::InjectedFault fault;
                        fault.node = static_cast<std::uint16_t>(node);
                        fault.per_million = 400'000;
                        fault.error = static_cast<cluster::CoordinatorResult::Status>(1 + (node % 7));  // a non-ok status
                        cluster.inject(fault);
                        break;
                    }
                    case 5: cluster.clear_injected(); break;
                    default: cluster.slow_node(node, 100); break;
                }
            });
        }

        const int request_count = *rc::gen::inRange(1, 200);
        std::vector<RequestRecord> records(static_cast<std::size_t>(request_count));
        std::vector<cql::Value> values(2);
        for (int i = 0; i < request_count; ++i) {
            const auto at = base + sim::Duration::from_us(*rc::gen::inRange(0, 400'000));
            const bool idempotent = *rc::gen::arbitrary<bool>();
            const auto consistency = *rc::gen::element(cql::Consistency::one, cql::Consistency::quorum, cql::Consistency::all);
            records[static_cast<std::size_t>(i)].idempotent = idempotent;
            scheduler.at(at, [&session, &records, &values, write, i, idempotent, consistency] {
                values[0] = cql::Value::of(cql::Bytes{0, 0, 0, 0, 0, 0, 0, static_cast<std::uint8_t>(i)});
                values[1] = cql::Value::of(cql::Bytes{1, 2, 3});
                session.execute(write, values, consistency,
                                [&records, i](const driver::RequestResult& r) {
                                    auto& record = records[static_cast<std::size_t>(i)];
                                    ++record.calls;
                                    record.outcome = r.outcome;
                                    record.history.assign(r.history.begin(), r.history.end());
                                },
                                idempotent);
            });
        }
        scheduler.run_until(base + 400_ms + 2_s);

        RC_ASSERT(session.requests_in_flight() == 0U);
        for (const auto& record : records) {
            RC_ASSERT(record.calls == 1);
            std::map<int, int> retries_by_fiber;
            for (std::size_t a = 0; a < record.history.size(); ++a) {
                const auto& attempt = record.history[a];
                RC_ASSERT(static_cast<int>(attempt.fiber) <= (record.idempotent ? extra_executions : 0));
                if (is_retry(attempt.retry)) ++retries_by_fiber[attempt.fiber];
                if (!record.idempotent) {
                    // An attempt that may have applied the write (connection lost under it,
                    // or a write timeout) is never followed by another.
                    const bool may_have_applied = attempt.outcome == driver::AttemptOutcome::connection_lost ||
                                                  attempt.error_code == cql::error_codes::write_timeout;
                    RC_ASSERT(!(may_have_applied && is_retry(attempt.retry)));
                }
            }
            for (const auto& [fiber, retries] : retries_by_fiber) RC_ASSERT(retries <= retries_max);
        }
    });
}
