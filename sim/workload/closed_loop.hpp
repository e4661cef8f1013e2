#pragma once
// Closed-loop users: each of `users` issues a request, waits for its answer, thinks for a
// drawn time, and issues the next — so at most `users` requests are ever in flight and a
// slow system gets fewer requests (the opposite of open loop). Each user's first request
// comes one think time after the start, which spreads the users out.
#include <cstdint>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/workload/request_shaper.hpp"
#include "sim/workload/workload.hpp"

namespace routelab::workload {

struct ClosedLoopConfig {
    std::uint32_t users = 1;
    sim::Distribution think_time_us{sim::dist::Constant{0.0}};
    ShapeConfig shape;
};

class ClosedLoopWorkload final : public Generator {
public:
    ClosedLoopWorkload(sim::Scheduler& scheduler, sim::RngStream think, sim::RngStream picks, sim::RngStream shapes,
                       ClosedLoopConfig config, RequestSink& sink);
    void start(sim::Time origin, sim::Time until) override;
    void stop() override;
    void completed(std::uint32_t user) override;
    std::uint64_t issued() const override { return next_id_; }

    std::uint32_t in_flight() const { return in_flight_; }
    std::uint32_t max_in_flight() const { return max_in_flight_; }

private:
    void think_then_issue(std::uint32_t user);
    void issue(std::uint32_t user);

    sim::Scheduler& scheduler_;
    sim::RngStream think_;
    ClosedLoopConfig config_;
    RequestShaper shaper_;
    RequestSink& sink_;
    sim::Time end_;
    bool running_ = false;
    std::uint32_t generation_ = 0;   // a stop() makes the thinking users' wake-ups stale
    std::vector<bool> busy_;         // by user: a request of theirs is in flight
    WorkloadRequest request_;
    std::uint64_t next_id_ = 0;
    std::uint32_t in_flight_ = 0;
    std::uint32_t max_in_flight_ = 0;
};

}  // namespace routelab::workload
