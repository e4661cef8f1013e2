#include "sim/core/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace routelab::sim {

namespace {
constexpr int sub_count = 1 << LatencyHistogram::sub_bits;
// Buckets: [0, sub_count) exact, then (64 - sub_bits) octaves of sub_count buckets each.
}  // namespace

LatencyHistogram::LatencyHistogram() = default;

int LatencyHistogram::bucket_of(std::uint64_t value) {
    if (value < static_cast<std::uint64_t>(sub_count)) return static_cast<int>(value);
    const int top_bit = 63 - std::countl_zero(value);          // >= sub_bits
    const int octave = top_bit - sub_bits;                      // 0-based
    const auto within = static_cast<int>((value >> octave) & (sub_count - 1));
    return sub_count + octave * sub_count + within;
}

std::int64_t LatencyHistogram::upper_edge(int bucket) {
    if (bucket < sub_count) return bucket;
    const int octave = (bucket - sub_count) / sub_count;
    const int within = (bucket - sub_count) % sub_count;
    const std::uint64_t base = (std::uint64_t{1} << (octave + sub_bits)) | (static_cast<std::uint64_t>(within) << octave);
    const std::uint64_t edge = base + ((std::uint64_t{1} << octave) - 1);
    return static_cast<std::int64_t>(std::min<std::uint64_t>(edge, static_cast<std::uint64_t>(INT64_MAX)));
}

void LatencyHistogram::record(std::int64_t value) {
    if (value < 0) value = 0;
    const auto bucket = static_cast<std::size_t>(bucket_of(static_cast<std::uint64_t>(value)));
    // Grows to the largest bucket seen (rarely, and never past bucket_count), so a
    // histogram of millisecond latencies stays a few kilobytes.
    if (bucket >= counts_.size()) counts_.resize(bucket + 1, 0);
    ++counts_[bucket];
    if (count_ == 0 || value < min_) min_ = value;
    if (count_ == 0 || value > max_) max_ = value;
    ++count_;
    sum_ += static_cast<std::uint64_t>(value);
}

void LatencyHistogram::merge(const LatencyHistogram& other) {
    if (other.count_ == 0) return;
    if (other.counts_.size() > counts_.size()) counts_.resize(other.counts_.size(), 0);
    for (std::size_t i = 0; i < other.counts_.size(); ++i) counts_[i] += other.counts_[i];
    min_ = count_ ? std::min(min_, other.min_) : other.min_;
    max_ = count_ ? std::max(max_, other.max_) : other.max_;
    count_ += other.count_;
    sum_ += other.sum_;
}

void LatencyHistogram::clear() {
    std::fill(counts_.begin(), counts_.end(), 0);
    count_ = 0;
    min_ = max_ = 0;
    sum_ = 0;
}

std::int64_t LatencyHistogram::quantile(double q) const {
    if (count_ == 0) return 0;
    q = std::clamp(q, 0.0, 1.0);
    auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
    if (rank == 0) rank = 1;
    std::uint64_t seen = 0;
    for (std::size_t i = 0; i < counts_.size(); ++i) {
        seen += counts_[i];
        if (seen >= rank) return std::clamp(upper_edge(static_cast<int>(i)), min_, max_);
    }
    return max_;
}

std::vector<std::pair<std::int64_t, std::uint64_t>> LatencyHistogram::buckets() const {
    std::vector<std::pair<std::int64_t, std::uint64_t>> out;
    for (std::size_t i = 0; i < counts_.size(); ++i)
        if (counts_[i] != 0) out.emplace_back(upper_edge(static_cast<int>(i)), counts_[i]);
    return out;
}

}  // namespace routelab::sim
