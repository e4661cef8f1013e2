#pragma once
// One World per (scenario, seed): the scheduler, the seeded RNG, the trace, the
// simulated network, the mock cluster and the client applications (each with its driver
// sessions and workload, see client.hpp), wired together. Nothing in a World reads the
// wall clock or an unseeded random source, so the same scenario, seed and build always
// produce the same trace hash.
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
#include "sim/runner/driver_view.hpp"
#include "sim/runner/affinity_recorder.hpp"
#include "sim/runner/shard_recorder.hpp"
#include "sim/runner/world_directory.hpp"
#include "sim/scenario/model.hpp"
#include "sim/runner/client.hpp"

namespace routelab::runner {

// Test seams: a test may plant a broken driver part (e.g. a speculative policy that
// ignores idempotence) to show a check catches it. Scenarios never set these.
struct WorldOptions {
    std::function<void(driver::SessionConfig&)> adjust_session;
    std::function<void(cluster::Cluster&)> adjust_cluster;   // once the cluster has started
};

class World final {
public:
    World(const scenario::Scenario& scenario, std::uint64_t seed, std::uint64_t max_events, const WorldOptions& options = {});
    ~World();

    // Runs the scenario to its end: start-up, the workload, then draining in-flight requests.
    sim::RunStatus run();
    void report(results::RunRecord& record) const;

    sim::SimScheduler& scheduler() { return scheduler_; }
    const sim::Trace& trace() const { return trace_; }
    sim::Trace& trace() { return trace_; }  // to set up checkpoints and captures before run()
    cluster::Cluster& cluster() { return *cluster_; }
    // The client applications, in scenario order (one, "default", without [[clients]]).
    const std::vector<std::unique_ptr<Client>>& clients() const { return clients_; }
    const RunMetrics& metrics() const { return metrics_; }
    bool started() const { return started_; }
    const std::string& startup_error() const { return startup_error_; }
    // Clients that could not connect when they started or restarted during the run.
    std::vector<std::string> late_errors() const;
    // The facts the World publishes as it runs (sim/checks/facts.hpp); subscribe before run().
    checks::FactBus& facts() { return facts_; }
    const checks::WorldView& view() const { return *directory_; }

private:
    void start_workload();
    std::uint64_t operations_in_flight() const;

    const scenario::Scenario& scenario_;
    checks::FactBus facts_;
    sim::SimScheduler scheduler_;
    sim::Rng rng_;
    sim::Trace trace_;
    net::LinkModel links_;
    std::unique_ptr<net::SimNetwork> network_;
    std::unique_ptr<cluster::Cluster> cluster_;
    std::vector<std::unique_ptr<cluster::StickyProxy>> sticky_proxies_;
    std::unique_ptr<ObservedNetwork> driver_network_;   // the drivers' view of network_
    std::unique_ptr<WorldDirectory> directory_;
    std::unique_ptr<WindowRecorder> window_recorder_;
    std::unique_ptr<DriverViewRecorder> driver_view_;
    std::unique_ptr<AffinityRecorder> affinity_;
    std::unique_ptr<ShardRecorder> shard_load_;
    std::unique_ptr<faults::FaultTimeline> faults_;
    RunMetrics metrics_;
    std::vector<std::unique_ptr<Client>> clients_;
    std::size_t clients_starting_ = 0;   // clients that start with the run
    std::size_t clients_ready_ = 0;      // of those, connected and prepared
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
