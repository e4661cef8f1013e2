// Properties of LatencyHistogram: every quantile is within 1% (relative) of the exact
// nearest-rank quantile of the recorded values; count, min and max are exact; merging two
// histograms is the same as recording both sets of values into one.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>

#include "sim/core/histogram.hpp"

using routelab::sim::LatencyHistogram;

namespace {

// Values over the scales latencies take: exact small ones, microseconds to seconds in ns,
// and the extremes of the range.
rc::Gen<std::vector<std::int64_t>> gen_values() {
    return rc::gen::nonEmpty(rc::gen::container<std::vector<std::int64_t>>(rc::gen::oneOf(
        rc::gen::inRange<std::int64_t>(0, 300),
        rc::gen::inRange<std::int64_t>(0, 10'000'000),
        rc::gen::inRange<std::int64_t>(0, 100'000'000'000),
        rc::gen::inRange<std::int64_t>(0, INT64_MAX),
        rc::gen::element<std::int64_t>(0, 1, 127, 128, 129, 255, 256, INT64_MAX))));
}

// Nearest rank: the smallest value with at least ceil(q * n) values at or below it.
std::int64_t exact_quantile(const std::vector<std::int64_t>& sorted, double q) {
    auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(sorted.size())));
    rank = std::clamp<std::size_t>(rank, 1, sorted.size());
    return sorted[rank - 1];
}

LatencyHistogram record_all(const std::vector<std::int64_t>& values) {
    LatencyHistogram h;
    for (auto v : values) h.record(v);
    return h;
}

}  // namespace

TEST_CASE("histogram: quantiles are within 1% of the exact quantile", "[histogram][property]") {
    rc::prop("quantile(q) vs the nearest-rank quantile of the recorded values", [] {
        auto values = *gen_values();
        const LatencyHistogram h = record_all(values);
        std::sort(values.begin(), values.end());
        std::vector<double> qs = {0.0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1.0};
        qs.push_back(*rc::gen::inRange(0, 1'000'001) / 1e6);
        for (double q : qs) {
            const std::int64_t exact = exact_quantile(values, q);
            const std::int64_t got = h.quantile(q);
            RC_LOG() << "q=" << q << " exact=" << exact << " got=" << got << "\n";
            // Compare in long double: the values reach INT64_MAX.
            const long double error = std::abs(static_cast<long double>(got) - static_cast<long double>(exact));
            RC_ASSERT(error <= 0.01L * static_cast<long double>(exact));
            // The answer is the upper edge of the bucket, so it never undershoots.
            RC_ASSERT(got >= exact);
        }
        // Below 2^sub_bits buckets are exact.
        for (double q : qs)
            if (exact_quantile(values, q) < (1 << LatencyHistogram::sub_bits)) RC_ASSERT(h.quantile(q) == exact_quantile(values, q));
    });
}

TEST_CASE("histogram: count, min, max and mean are exact", "[histogram][property]") {
    rc::prop("count/min/max equal those of the values; mean is their mean", [] {
        const auto values = *gen_values();
        const LatencyHistogram h = record_all(values);
        RC_ASSERT(h.count() == values.size());
        RC_ASSERT(h.min() == *std::min_element(values.begin(), values.end()));
        RC_ASSERT(h.max() == *std::max_element(values.begin(), values.end()));
        long double sum = 0;
        for (auto v : values) sum += static_cast<long double>(v);
        const long double mean = sum / static_cast<long double>(values.size());
        RC_ASSERT(std::abs(static_cast<long double>(h.mean()) - mean) <= 1e-12L * (mean + 1));
        std::uint64_t bucket_total = 0;
        for (auto [edge, count] : h.buckets()) bucket_total += count;
        RC_ASSERT(bucket_total == values.size());
    });
}

TEST_CASE("histogram: merge equals recording both", "[histogram][property]") {
    rc::prop("merge(a, b) has the same count, min, max, mean, buckets and quantiles as a+b", [] {
        const auto a = *rc::gen::container<std::vector<std::int64_t>>(rc::gen::inRange<std::int64_t>(0, 1'000'000'000));
        const auto b = *gen_values();
        LatencyHistogram merged = record_all(a);
        merged.merge(record_all(b));
        std::vector<std::int64_t> both = a;
        both.insert(both.end(), b.begin(), b.end());
        const LatencyHistogram direct = record_all(both);
        RC_ASSERT(merged.count() == direct.count());
        RC_ASSERT(merged.min() == direct.min());
        RC_ASSERT(merged.max() == direct.max());
        RC_ASSERT(merged.mean() == direct.mean());
        RC_ASSERT(merged.buckets() == direct.buckets());
        for (double q : {0.0, 0.1, 0.5, 0.9, 0.99, 1.0}) RC_ASSERT(merged.quantile(q) == direct.quantile(q));
        // Merging in the other direction gives the same histogram.
        LatencyHistogram reversed = record_all(b);
        reversed.merge(record_all(a));
        RC_ASSERT(reversed.buckets() == direct.buckets());
        RC_ASSERT(reversed.min() == direct.min());
        RC_ASSERT(reversed.max() == direct.max());
    });
}

TEST_CASE("histogram: edge cases", "[histogram]") {
    LatencyHistogram h;
    CHECK(h.count() == 0);
    CHECK(h.quantile(0.5) == 0);
    CHECK(h.min() == 0);
    CHECK(h.max() == 0);
    CHECK(h.mean() == 0.0);
    h.record(-5);  // negative values clamp to 0
    CHECK(h.min() == 0);
    CHECK(h.count() == 1);
    LatencyHistogram empty;
    h.merge(empty);
    CHECK(h.count() == 1);
    empty.merge(h);
    CHECK(empty.count() == 1);
    CHECK(empty.min() == 0);
    h.record(1000);
    h.clear();
    CHECK(h.count() == 0);
    CHECK(h.buckets().empty());
    h.record(500);
    CHECK(h.min() == 500);
    CHECK(h.max() == 500);
    CHECK(h.quantile(0.0) == 500);
    CHECK(h.quantile(1.0) == 500);
}
