#pragma once
// Key movement per window (the window_affinity table): how many requests with a session
// key the cluster's coordinators received, and how many of those landed on another node
// than their session's previous request (mock_cluster's SessionMeter, which sees where a
// request really lands, behind a proxy too). The meter's counters are read as requests
// end, so a window's row holds what the cluster counted from the first request ending in
// it to the first ending in the next one (the last window: up to the end of the run).
#include <cstdint>
#include <vector>

#include "mock_cluster/node/session_meter.hpp"
#include "sim/checks/facts.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::runner {

class AffinityRecorder final : public checks::FactObserver {
public:
    AffinityRecorder(sim::Duration window, const cluster::SessionMeter& meter) : window_(window), meter_(meter) {}

    checks::FactMask wants() const override { return checks::mask_of(checks::FactKind::request_ended); }
    void on_workload_start(sim::Time origin) override;
    void on_request_ended(const checks::RequestEnded& f) override;
    void report(results::RunRecord& record) const;

private:
    results::WindowAffinity row(std::size_t index) const;

    sim::Duration window_;
    const cluster::SessionMeter& meter_;
    sim::Time origin_;
    std::size_t current_index_ = 0;
    std::uint64_t keyed_at_start_ = 0;   // the meter's counters when the current window opened
    std::uint64_t moved_at_start_ = 0;
    std::vector<results::WindowAffinity> closed_;
};

}  // namespace routelab::runner
