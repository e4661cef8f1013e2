#pragma once
// The driver's view of the cluster against the truth: when each node really stopped or
// started serving (up and a ring member, read from the mock cluster after every fault
// step) and when each client's driver marked it down or up (the node_marked facts). The
// results pair every mark with the real transition it reacted to, so the detection delay
// is a column (README.md, `driver_node_marks`). Only the workload's time counts: marks of
// the start-up (the driver's first connections) are left out.
#include <cstdint>
#include <string>
#include <vector>

#include "mock_cluster/cluster.hpp"
#include "sim/checks/facts.hpp"
#include "sim/checks/world_view.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::runner {

class DriverViewRecorder final : public checks::FactObserver {
public:
    DriverViewRecorder(const cluster::Cluster& cluster, const checks::WorldView& world) : cluster_(cluster), world_(world) {}

    checks::FactMask wants() const override {
        return checks::mask_of(checks::FactKind::node_marked) | checks::mask_of(checks::FactKind::fault);
    }
    void on_workload_start(sim::Time origin) override;
    void on_fault(const checks::FaultChanged& f) override;
    void on_node_marked(const checks::NodeMarked& f) override;
    // Fills record.node_transitions and record.driver_marks (with their truth).
    void report(results::RunRecord& record) const;

private:
    bool serving(std::size_t node) const;
    double since_origin(sim::Time t) const { return (t - origin_).seconds(); }

    const cluster::Cluster& cluster_;
    const checks::WorldView& world_;
    sim::Time origin_;
    bool started_ = false;
    std::vector<bool> serving_;   // by cluster node, as last seen
    std::vector<results::NodeTransition> transitions_;
    std::vector<results::DriverNodeMark> marks_;   // truth_s filled in by report()
};

// The real transition a mark reacted to: the node's latest transition at or before the
// mark, if it went to the state the driver marked (transitions in time order).
std::optional<double> truth_of(const results::DriverNodeMark& mark, const std::vector<results::NodeTransition>& transitions);

}  // namespace routelab::runner
