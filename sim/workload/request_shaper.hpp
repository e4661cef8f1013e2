#pragma once
// What each request is: an operation picked from a weighted mix, its key, and for the
// operations that need them a clustering row, a value size and a batch's further keys.
// The pick and the key come from one stream (two draws per request, in that order), the
// rest from another, so adding a value-size distribution never moves the keys.
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/workload/key_chooser.hpp"
#include "sim/workload/workload.hpp"

namespace routelab::workload {

// Resolution of mix weights: shares are multiples of 10^-6.
inline constexpr std::uint64_t mix_resolution = 1'000'000;

struct OperationShape {
    Operation operation = Operation::read;
    double weight = 1;
    std::uint32_t value_bytes = 64;                  // when value_size is not set
    std::optional<sim::Distribution> value_size;     // bytes, drawn per request (rounded, clamped to [0, max_value_bytes])
    std::uint32_t statements = 1;                    // batch: statements in it
    bool rows = false;                               // batch: rows of one partition (else separate keys)
};

inline constexpr std::uint32_t max_value_bytes = 16 * 1024 * 1024;

struct ShapeConfig {
    std::vector<OperationShape> operations;   // at least one, weights >= 0 with a positive sum
    KeyConfig keys;
    std::int64_t rows_per_partition = 0;      // clustering rows per partition (row_write, rows batches)
};

class RequestShaper {
public:
    RequestShaper(ShapeConfig config, sim::RngStream picks, sim::RngStream shapes);
    // Fills everything but id, user and issued_at.
    void fill(WorkloadRequest& request);
    // The share of requests entry i gets (its weight over the total, at mix resolution).
    double share(std::size_t i) const;
    const ShapeConfig& config() const { return config_; }

private:
    ShapeConfig config_;
    std::vector<std::uint64_t> thresholds_;   // cumulative, out of mix_resolution
    KeyChooser keys_;
    sim::RngStream picks_;
    sim::RngStream shapes_;
};

// The thresholds a mix of weights turns into (cumulative shares out of mix_resolution).
std::vector<std::uint64_t> mix_thresholds(const std::vector<double>& weights);

}  // namespace routelab::workload
