#pragma once
// The scenario's fault timeline, applied to the simulated network and the mock cluster
// at its simulated times (relative to the workload's start). A fault with a duration
// reverts by itself. Every application is a traced event (through the network and
// cluster control surfaces) and is remembered for the results and the plots.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "mock_cluster/cluster.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/net/sim_network.hpp"
#include "sim/results/run_record.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::faults {

class FaultTimeline {
public:
    FaultTimeline(sim::Scheduler& scheduler, cluster::Cluster& cluster, net::SimNetwork& network, std::uint32_t client_ip,
                  std::vector<scenario::FaultSpec> faults);

    // Schedules every fault relative to `origin`.
    void start(sim::Time origin);
    const std::vector<results::FaultWindow>& applied() const { return applied_; }
    // Told after each step is applied (true) or reverted (false), with its description.
    using Listener = std::function<void(const scenario::FaultSpec&, const std::string& description, bool applied)>;
    void set_listener(Listener listener) { listener_ = std::move(listener); }
    // client_pause: pauses (true) or resumes (false) the named client application; the
    // World supplies it (the timeline knows the cluster and the network, not the clients).
    using ClientPauser = std::function<void(const std::string& client, bool paused)>;
    void set_client_pauser(ClientPauser pauser) { pause_client_ = std::move(pauser); }

private:
    void apply(std::size_t index);
    void revert(std::size_t index, std::size_t record);
    std::uint32_t host_ip(const std::string& name) const;
    std::size_t node(const std::string& name) const;
    static std::string describe(const scenario::FaultSpec& f);

    sim::Scheduler& scheduler_;
    cluster::Cluster& cluster_;
    net::SimNetwork& network_;
    std::uint32_t client_ip_;
    std::vector<scenario::FaultSpec> faults_;
    sim::Time origin_;
    std::vector<results::FaultWindow> applied_;
    Listener listener_;
    ClientPauser pause_client_;
};

}  // namespace routelab::faults
