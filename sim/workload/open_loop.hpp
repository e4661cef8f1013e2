#pragma once
// Open-loop arrivals: requests arrive at a rate that follows a schedule (steps and linear
// ramps: a spike, a drain, a retry storm) whether or not earlier ones finished — so an
// overloaded system shows growing latency instead of silently slowing the offered load.
// Poisson arrivals invert the integrated rate at Exp(1) areas (exact for a time-varying
// rate, no thinning); constant arrivals come at every unit of integrated rate, the first
// at half a unit, so [0, d) at rate r holds round(r*d) of them.
#include <cstdint>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/workload/rate_schedule.hpp"
#include "sim/workload/request_shaper.hpp"
#include "sim/workload/workload.hpp"

namespace routelab::workload {

enum class Arrivals : std::uint8_t { poisson, constant };

struct OpenLoopConfig {
    RateSchedule schedule = RateSchedule::constant(1000);
    Arrivals arrivals = Arrivals::poisson;
    ShapeConfig shape;
};

class OpenLoopWorkload final : public Generator {
public:
    OpenLoopWorkload(sim::Scheduler& scheduler, sim::RngStream arrivals, sim::RngStream picks, sim::RngStream shapes,
                     OpenLoopConfig config, RequestSink& sink);
    void start(sim::Time origin, sim::Time until) override;
    void stop() override;
    void completed(std::uint32_t) override {}
    std::uint64_t issued() const override { return next_id_; }

private:
    void arrive();
    void schedule_next();

    sim::Scheduler& scheduler_;
    sim::RngStream arrivals_;
    OpenLoopConfig config_;
    RequestShaper shaper_;
    RequestSink& sink_;
    sim::Time origin_;
    sim::Time end_;
    double position_s_ = 0;   // constant arrivals: the unrounded time of the last one, from origin
    bool running_ = false;
    bool first_arrival_ = true;
    sim::EventId pending_;
    WorkloadRequest request_;   // reused: its batch key vector keeps its capacity
    std::uint64_t next_id_ = 0;
};

}  // namespace routelab::workload
