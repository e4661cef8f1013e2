#include "sim/workload/rate_schedule.hpp"

#include <cassert>
#include <cmath>
#include <limits>
#include <utility>

namespace routelab::workload {
namespace {

constexpr double infinity = std::numeric_limits<double>::infinity();

// The linear piece of the schedule that covers time x (up to, not including, `end`).
struct Piece {
    double rate = 0;     // at x
    double slope = 0;    // per second
    double end = infinity;
};

Piece piece_at(const std::vector<RatePoint>& points, double x) {
    if (x < points.front().at_s) return {points.front().rate, 0, points.front().at_s};
    // The last point at or before x: a step (two points at one time) is past once x is.
    std::size_t i = 0;
    while (i + 1 < points.size() && points[i + 1].at_s <= x) ++i;
    if (i + 1 == points.size()) return {points.back().rate, 0, infinity};
    const RatePoint& a = points[i];
    const RatePoint& b = points[i + 1];
    const double slope = (b.rate - a.rate) / (b.at_s - a.at_s);
    return {a.rate + slope * (x - a.at_s), slope, b.at_s};
}

// The g in [0, room] with rate*g + slope*g^2/2 == area (the area fits in the piece).
double solve(const Piece& p, double area, double room) {
    double g = 0;
    if (p.slope == 0) {
        g = area / p.rate;
    } else {
        // The root of the quadratic in the form that does not cancel when slope is small.
        const double disc = std::max(0.0, p.rate * p.rate + 2 * p.slope * area);
        const double denominator = p.rate + std::sqrt(disc);
        g = denominator > 0 ? 2 * area / denominator : room;
    }
    return std::min(g, room);
}

}  // namespace

RateSchedule::RateSchedule(std::vector<RatePoint> points) : points_(std::move(points)) {
    assert(!points_.empty());
}

double RateSchedule::rate_at(double t_s) const { return piece_at(points_, t_s).rate; }

double RateSchedule::integral(double a_s, double b_s) const {
    double total = 0;
    double x = a_s;
    while (x < b_s) {
        const Piece p = piece_at(points_, x);
        const double end = std::min(p.end, b_s);
        const double width = end - x;
        total += (p.rate + 0.5 * p.slope * width) * width;
        x = end;
    }
    return total;
}

std::optional<double> RateSchedule::gap_for(double t_s, double area) const {
    double remaining = area;
    double x = t_s;
    for (;;) {
        const Piece p = piece_at(points_, x);
        if (p.end == infinity) {
            if (!(p.rate > 0)) return std::nullopt;
            return (x - t_s) + remaining / p.rate;
        }
        const double width = p.end - x;
        const double piece_area = (p.rate + 0.5 * p.slope * width) * width;
        if (piece_area > 0 && remaining <= piece_area) return (x - t_s) + solve(p, remaining, width);
        remaining -= piece_area;
        x = p.end;
    }
}

}  // namespace routelab::workload
