#pragma once
// The scenario's fault timeline, applied to the simulated network and the mock cluster
// at its simulated times (relative to the workload's start). A fault with a duration
// reverts by itself. Every application is a traced event (through the network and
// cluster control surfaces) and is remembered for the results and the plots.
//
// The same timeline runs in live mode on the LiveScheduler (wall clock): there every
// step's state is shown over HTTP, and what has not been applied yet can be cancelled.
// A step is pending until applied; then active until it reverts (a step with a duration),
// reverted after, or done (a step without one). A cancelled step was never applied.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "mock_cluster/cluster.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/faults/fault_network.hpp"
#include "sim/net/sim_network.hpp"
#include "sim/results/run_record.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::faults {

enum class StepState { pending, active, reverted, done, cancelled };
std::string_view step_state_name(StepState state);

// A step applied more than once (a repeated fault) shows its latest application.
struct StepStatus {
    StepState state = StepState::pending;
    double applied_s = -1;    // seconds after the origin; -1: not yet
    double reverted_s = -1;
    std::uint32_t applications = 0;
};

class FaultTimeline {
public:
    FaultTimeline(sim::Scheduler& scheduler, cluster::Cluster& cluster, FaultNetwork& network, std::uint32_t client_ip,
                  std::vector<scenario::FaultSpec> faults);
    // On a simulated network (the timeline keeps the adapter).
    FaultTimeline(sim::Scheduler& scheduler, cluster::Cluster& cluster, net::SimNetwork& network, std::uint32_t client_ip,
                  std::vector<scenario::FaultSpec> faults);
    ~FaultTimeline();
    FaultTimeline(const FaultTimeline&) = delete;
    FaultTimeline& operator=(const FaultTimeline&) = delete;

    // Schedules every fault relative to `origin`. Once only (asserted).
    void start(sim::Time origin);
    bool started() const { return started_; }
    sim::Time origin() const { return origin_; }
    // Cancels every step not applied yet (they become cancelled); steps already applied
    // still revert on time, so nothing stays broken. Returns how many were cancelled.
    std::size_t cancel_pending();

    const std::vector<scenario::FaultSpec>& faults() const { return faults_; }
    const std::vector<StepStatus>& steps() const { return steps_; }
    // What a step acts on ("dc1-r1-n1", "dc1/r1", "dc1-r1-n1|client"; "" for every node).
    static std::string target(const scenario::FaultSpec& f);
    static std::string describe(const scenario::FaultSpec& f);
    const std::vector<results::FaultWindow>& applied() const { return applied_; }
    // Told after each step is applied (true) or reverted (false), with its description.
    using Listener = std::function<void(const scenario::FaultSpec&, const std::string& description, bool applied)>;
    void set_listener(Listener listener) { listener_ = std::move(listener); }
    // client_pause: pauses (true) or resumes (false) the named client application; the
    // World supplies it (the timeline knows the cluster and the network, not the clients).
    using ClientPauser = std::function<void(const std::string& client, bool paused)>;
    void set_client_pauser(ClientPauser pauser) { pause_client_ = std::move(pauser); }

private:
    // Schedules one application of step `index` at `when`, cancellable until it runs.
    void schedule_apply(std::size_t index, sim::Time when);
    void apply(std::size_t index);
    void revert(std::size_t index, std::size_t record);
    std::uint32_t host_ip(const std::string& name) const;
    std::size_t node(const std::string& name) const;

    sim::Scheduler& scheduler_;
    cluster::Cluster& cluster_;
    std::unique_ptr<FaultNetwork> owned_network_;   // the SimNetwork adapter, when given one
    FaultNetwork& network_;
    std::uint32_t client_ip_;
    std::vector<scenario::FaultSpec> faults_;
    sim::Time origin_;
    bool started_ = false;
    std::vector<StepStatus> steps_;             // one per fault
    std::vector<std::vector<sim::EventId>> pending_;   // per fault: its applications, until each runs
    std::vector<results::FaultWindow> applied_;
    Listener listener_;
    ClientPauser pause_client_;
};

}  // namespace routelab::faults
