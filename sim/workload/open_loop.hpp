#pragma once
// Open-loop arrivals: requests arrive as a Poisson process at a fixed mean rate for a
// fixed simulated duration, whether or not earlier ones finished — so an overloaded
// system shows growing latency instead of silently slowing the offered load.
#include <cstdint>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/workload/workload.hpp"

namespace routelab::workload {

struct OpenLoopConfig {
    double rate_per_s = 1000;
    sim::Duration duration = sim::Duration::from_s(10);
    std::int64_t keys = 100'000;
    // Probability of a read, as an integer ratio out of 1'000'000 (exact, portable).
    std::uint64_t read_per_million = 900'000;
};

class OpenLoopWorkload {
public:
    OpenLoopWorkload(sim::Scheduler& scheduler, sim::RngStream arrivals, sim::RngStream keys,
                     OpenLoopConfig config, RequestSink& sink);
    void start();
    std::uint64_t issued() const { return next_id_; }

private:
    void arrive();
    sim::Duration next_gap();

    sim::Scheduler& scheduler_;
    sim::RngStream arrivals_;
    sim::RngStream keys_;
    OpenLoopConfig config_;
    RequestSink& sink_;
    sim::Time end_;
    std::uint64_t next_id_ = 0;
};

}  // namespace routelab::workload
