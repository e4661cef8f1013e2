#pragma once
// Zipf-distributed ranks 1..n with P(k) proportional to k^-s (s > 0), drawn in O(1)
// expected time by rejection-inversion (W. Hörmann, G. Derflinger, "Rejection-inversion to
// generate variates from monotone discrete distributions", ACM TOMACS 6(3), 1996): invert
// the integral H of the continuous hat h(x) = x^-s, round to the nearest rank, and accept
// unless the point fell in the part of the hat above the rank's own probability. Uses only
// our RngStream (one or a few unit() draws per sample) and <cmath>.
#include <cstdint>

#include "sim/core/rng.hpp"

namespace routelab::workload {

class ZipfSampler {
public:
    ZipfSampler(std::uint64_t n, double s);   // n >= 1, s > 0
    std::uint64_t sample(sim::RngStream& rng) const;   // in [1, n]
    std::uint64_t n() const { return n_; }
    double exponent() const { return s_; }

private:
    double h(double x) const;             // x^-s
    double big_h(double x) const;         // an antiderivative of h
    double big_h_inverse(double y) const;

    std::uint64_t n_;
    double s_;
    double h_x1_;       // big_h(1.5) - 1: the hat's lower end (rank 1 takes all of [0.5, 1.5] plus its head)
    double h_n_;        // big_h(n + 0.5)
    double squeeze_;    // ranks with k - x <= squeeze_ are accepted without evaluating big_h
};

}  // namespace routelab::workload
