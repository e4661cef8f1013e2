#include "sim/workload/zipf.hpp"

#include <algorithm>
#include <cmath>

namespace routelab::workload {
namespace {

// (e^x - 1) / x and log(1 + x) / x, both -> 1 as x -> 0, evaluated without cancellation.
double expm1_over_x(double x) { return std::abs(x) > 1e-8 ? std::expm1(x) / x : 1.0 + x / 2.0; }
double log1p_over_x(double x) { return std::abs(x) > 1e-8 ? std::log1p(x) / x : 1.0 - x / 2.0; }

}  // namespace

ZipfSampler::ZipfSampler(std::uint64_t n, double s) : n_(std::max<std::uint64_t>(n, 1)), s_(s) {
    h_x1_ = big_h(1.5) - 1.0;
    h_n_ = big_h(static_cast<double>(n_) + 0.5);
    squeeze_ = 2.0 - big_h_inverse(big_h(2.5) - h(2.0));
}

double ZipfSampler::h(double x) const { return std::exp(-s_ * std::log(x)); }

// H(x) = (x^(1-s) - 1) / (1 - s), and log x at s = 1: one expression for both.
double ZipfSampler::big_h(double x) const {
    const double log_x = std::log(x);
    return expm1_over_x((1.0 - s_) * log_x) * log_x;
}

double ZipfSampler::big_h_inverse(double y) const {
    // t > -1 keeps the logarithm defined; rounding can push it just past.
    const double t = std::max(-1.0, y * (1.0 - s_));
    return std::exp(log1p_over_x(t) * y);
}

std::uint64_t ZipfSampler::sample(sim::RngStream& rng) const {
    for (;;) {
        // Uniform over the hat's area, from its upper end H(n + 1/2) down to H(3/2) - 1.
        const double u = h_n_ + rng.unit() * (h_x1_ - h_n_);
        const double x = big_h_inverse(u);
        const double rounded = std::floor(x + 0.5);
        const auto k = static_cast<std::uint64_t>(std::clamp(rounded, 1.0, static_cast<double>(n_)));
        const double kd = static_cast<double>(k);
        if (kd - x <= squeeze_ || u >= big_h(kd + 0.5) - h(kd)) return k;
    }
}

}  // namespace routelab::workload
