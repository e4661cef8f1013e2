#pragma once
// An arrival rate that changes over time: piecewise linear between points (a step is two
// points at the same time), the last rate holding for ever. Open-loop workloads draw
// their arrivals from it by inverting its integral: the next arrival comes when the rate
// integrated from the last one reaches a drawn area (an Exp(1) draw: a Poisson process of
// that intensity; 1: evenly spaced arrivals).
#include <optional>
#include <vector>

namespace routelab::workload {

struct RatePoint {
    double at_s = 0;    // seconds from the schedule's origin
    double rate = 0;    // arrivals per second, >= 0
};

class RateSchedule {
public:
    static RateSchedule constant(double rate) { return RateSchedule({{0.0, rate}}); }
    // `points` sorted by time (non-decreasing), at least one; before the first point its
    // rate holds.
    explicit RateSchedule(std::vector<RatePoint> points);

    double rate_at(double t_s) const;
    // The integral of the rate over [a_s, b_s] (b_s >= a_s): expected arrivals there.
    double integral(double a_s, double b_s) const;
    // The g >= 0 with integral(t_s, t_s + g) == area, or nullopt if the rate stays 0 and
    // the area is never reached.
    std::optional<double> gap_for(double t_s, double area) const;
    const std::vector<RatePoint>& points() const { return points_; }

private:
    std::vector<RatePoint> points_;
};

}  // namespace routelab::workload
