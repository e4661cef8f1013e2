#pragma once
// The median of a figure over a grid point's seeds with a distribution-free confidence
// interval from order statistics: [x(j), x(n+1-j)] covers the true median with probability
// 1 − 2·P(B ≤ j−1), B ~ Binomial(n, 1/2). The widest-j interval reaching 95% is chosen;
// with fewer than 6 seeds none does, and the range is given with its (lower) coverage.
#include <vector>

namespace routelab::sweep {

struct MedianInterval {
    double median = 0;
    double low = 0;
    double high = 0;
    double coverage = 0;  // the interval's confidence level, in [0, 1]
};

// Precondition: !values.empty().
MedianInterval median_interval(std::vector<double> values);

}  // namespace routelab::sweep
