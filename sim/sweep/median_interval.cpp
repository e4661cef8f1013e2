#include "sim/sweep/median_interval.hpp"

#include <algorithm>
#include <cmath>

namespace routelab::sweep {
namespace {

// P(B <= k) for B ~ Binomial(n, 1/2), summed in log space so large n do not underflow.
double binomial_half_cdf(std::size_t n, std::size_t k) {
    double sum = 0;
    const double log_half_n = static_cast<double>(n) * std::log(0.5);
    for (std::size_t i = 0; i <= k; ++i) {
        const double log_choose = std::lgamma(static_cast<double>(n) + 1) - std::lgamma(static_cast<double>(i) + 1) -
                                  std::lgamma(static_cast<double>(n - i) + 1);
        sum += std::exp(log_choose + log_half_n);
    }
    return sum;
}

}  // namespace

MedianInterval median_interval(std::vector<double> values) {
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    MedianInterval out;
    out.median = n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
    // j = 1 is the whole range; larger j narrows it while the coverage stays >= 95%.
    std::size_t j = 1;
    out.coverage = 1 - 2 * binomial_half_cdf(n, 0);
    while (j + 1 <= (n + 1) / 2) {
        const double next = 1 - 2 * binomial_half_cdf(n, j);
        if (next < 0.95) break;
        ++j;
        out.coverage = next;
    }
    out.low = values[j - 1];
    out.high = values[n - j];
    return out;
}

}  // namespace routelab::sweep
