#pragma once
// Latency histogram with log-linear buckets (HDR style): values below 2^sub_bits are
// exact; above, each power of two is split into 2^sub_bits buckets, so the relative error
// of a percentile is below 2^-sub_bits (< 0.8% with 7 bits). Recording is a few integer
// operations and never allocates after construction.
#include <array>
#include <cstdint>
#include <vector>

namespace routelab::sim {

class LatencyHistogram {
public:
    static constexpr int sub_bits = 7;

    LatencyHistogram();
    void record(std::int64_t value);
    void merge(const LatencyHistogram& other);
    void clear();

    std::uint64_t count() const { return count_; }
    std::int64_t min() const { return count_ ? min_ : 0; }
    std::int64_t max() const { return count_ ? max_ : 0; }
    double mean() const { return count_ ? static_cast<double>(sum_) / static_cast<double>(count_) : 0.0; }
    // Value at quantile q in [0, 1]: the upper edge of the bucket holding it (clamped to max).
    std::int64_t quantile(double q) const;

    // Non-empty buckets as (upper edge, count), in increasing order: for storage and CDFs.
    std::vector<std::pair<std::int64_t, std::uint64_t>> buckets() const;

private:
    static int bucket_of(std::uint64_t value);
    static std::int64_t upper_edge(int bucket);

    std::vector<std::uint64_t> counts_;
    std::uint64_t count_ = 0;
    std::int64_t min_ = 0;
    std::int64_t max_ = 0;
    __extension__ unsigned __int128 sum_ = 0;
};

}  // namespace routelab::sim
