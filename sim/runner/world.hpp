#pragma once
// One World per (scenario, seed): the scheduler, the seeded RNG, the trace, the
// simulated network, the mock cluster, the driver session and the workload, wired
// together. Nothing in a World reads the wall clock or an unseeded random source, so the
// same scenario, seed and build always produce the same trace hash.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "driver/policy/registry.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "mock_cluster/proxy/sticky_proxy.hpp"
#include "sim/checks/facts.hpp"
#include "sim/faults/timeline.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/sim_network.hpp"
#include "sim/runner/observed_network.hpp"
#include "sim/runner/run_metrics.hpp"
#include "sim/runner/window_recorder.hpp"
#include "sim/runner/world_directory.hpp"
#include "sim/scenario/model.hpp"
#include "sim/workload/open_loop.hpp"

namespace routelab::runner {

// Test seams: a test may plant a broken driver part (e.g. a speculative policy that
// ignores idempotence) to show a check catches it. Scenarios never set these.
struct WorldOptions {
    std::function<void(driver::SessionConfig&)> adjust_session;
};

class World final : private workload::RequestSink {
public:
    World(const scenario::Scenario& scenario, std::uint64_t seed, std::uint64_t max_events, const WorldOptions& options = {});
    ~World() override;

    // Runs the scenario to its end: start-up, the workload, then draining in-flight requests.
    sim::RunStatus run();
    void report(results::RunRecord& record) const;

    sim::SimScheduler& scheduler() { return scheduler_; }
    const sim::Trace& trace() const { return trace_; }
    cluster::Cluster& cluster() { return *cluster_; }
    driver::Session& session() { return *session_; }
    const RunMetrics& metrics() const { return metrics_; }
    bool started() const { return started_; }
    const std::string& startup_error() const { return startup_error_; }
    // The facts the World publishes as it runs (sim/checks/facts.hpp); subscribe before run().
    checks::FactBus& facts() { return facts_; }
    const checks::WorldView& view() const { return *directory_; }

private:
    void issue(const workload::WorkloadRequest& request) override;
    void start_workload();
    struct Ended {
        std::uint64_t id;
        sim::Time issued;
        std::int64_t key;
        bool write;
        bool idempotent;
    };
    void publish_ended(const Ended& request, const driver::RequestResult& result);

    const scenario::Scenario& scenario_;
    checks::FactBus facts_;
    sim::SimScheduler scheduler_;
    sim::Rng rng_;
    sim::Trace trace_;
    net::LinkModel links_;
    std::unique_ptr<net::SimNetwork> network_;
    std::unique_ptr<ObservedNetwork> driver_network_;   // the driver's view of network_
    std::unique_ptr<cluster::Cluster> cluster_;
    std::vector<std::unique_ptr<cluster::StickyProxy>> sticky_proxies_;
    std::unique_ptr<WorldDirectory> directory_;
    std::unique_ptr<driver::Session> session_;
    std::unique_ptr<workload::OpenLoopWorkload> workload_;
    std::unique_ptr<faults::FaultTimeline> faults_;
    RunMetrics metrics_;
    std::unique_ptr<WindowRecorder> window_recorder_;
    driver::PreparedPtr read_statement_;
    driver::PreparedPtr write_statement_;
    routelab::cql::Consistency consistency_ = routelab::cql::Consistency::one;
    driver::RequestOptions request_options_;   // consistency and profile of every request
    std::vector<routelab::cql::Value> values_;   // reused for every request
    bool started_ = false;
    std::string startup_error_;
    sim::Time workload_started_;
};

// Node names and places in address order, as the cluster and the results name them.
cluster::ClusterConfig cluster_config(const scenario::Scenario& scenario);

// The driver's policies as the scenario configures them (errors name the option).
driver::Expected<std::unique_ptr<driver::LoadBalancingPolicy>> make_policy(const scenario::DriverSpec& driver, sim::RngStream rng,
                                                                           driver::InFlightProvider in_flight);
driver::Expected<driver::RetryPolicy> make_retry(const scenario::DriverSpec& driver);

}  // namespace routelab::runner
