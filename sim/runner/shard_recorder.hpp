#pragma once
// Per-shard load and per-node connections per window (window_shard_load and
// window_connections): read from the mock cluster, never changing it, when the first
// request ends in a new window (as the affinity recorder does), so a window's row holds the
// work that joined each shard's queue since the previous sample, the shard's backlog then
// (how long work arriving at that instant would wait for a slot) and the client connections
// each node held open. Nothing is stored per request.
#include <cstdint>
#include <vector>

#include "mock_cluster/cluster.hpp"
#include "sim/checks/facts.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::runner {

class ShardRecorder final : public checks::FactObserver {
public:
    ShardRecorder(sim::Duration window, const cluster::Cluster& cluster, const sim::Scheduler& scheduler)
        : window_(window), cluster_(cluster), scheduler_(scheduler) {}

    checks::FactMask wants() const override { return checks::mask_of(checks::FactKind::request_ended); }
    void on_workload_start(sim::Time origin) override;
    void on_request_ended(const checks::RequestEnded& f) override;
    void report(results::RunRecord& record) const;

private:
    void sample(std::size_t index, results::RunRecord& into, std::vector<std::uint64_t>& admitted) const;

    sim::Duration window_;
    const cluster::Cluster& cluster_;
    const sim::Scheduler& scheduler_;
    sim::Time origin_;
    std::size_t current_index_ = 0;
    bool any_ended_ = false;
    std::vector<std::uint64_t> admitted_at_start_;   // per (node, shard), flattened
    results::RunRecord closed_;                      // only its window_shard_load / window_connections
};

}  // namespace routelab::runner
