#include "sim/workload/request_shaper.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace routelab::workload {

const char* to_string(Operation operation) {
    switch (operation) {
        case Operation::read: return "read";
        case Operation::write: return "write";
        case Operation::paged_read: return "paged_read";
        case Operation::row_write: return "row_write";
        case Operation::lwt_insert: return "lwt_insert";
        case Operation::lwt_update: return "lwt_update";
        case Operation::batch: return "batch";
    }
    return "?";
}

std::vector<std::uint64_t> mix_thresholds(const std::vector<double>& weights) {
    double total = 0;
    for (double w : weights) total += w;
    std::vector<std::uint64_t> out;
    double cumulative = 0;
    for (double w : weights) {
        cumulative += w;
        out.push_back(static_cast<std::uint64_t>(std::llround(cumulative / total * static_cast<double>(mix_resolution))));
    }
    if (!out.empty()) out.back() = mix_resolution;   // whatever rounding did, the last entry closes the range
    return out;
}

RequestShaper::RequestShaper(ShapeConfig config, sim::RngStream picks, sim::RngStream shapes)
    : config_(std::move(config)), keys_(config_.keys), picks_(picks), shapes_(shapes) {
    std::vector<double> weights;
    for (const auto& op : config_.operations) weights.push_back(op.weight);
    thresholds_ = mix_thresholds(weights);
}

double RequestShaper::share(std::size_t i) const {
    const std::uint64_t low = i == 0 ? 0 : thresholds_[i - 1];
    return static_cast<double>(thresholds_[i] - low) / static_cast<double>(mix_resolution);
}

void RequestShaper::fill(WorkloadRequest& request) {
    // One entry needs no draw for the pick; with two or more, one draw picks.
    std::size_t index = 0;
    if (thresholds_.size() > 1) {
        const std::uint64_t u = picks_.below(mix_resolution);
        while (index + 1 < thresholds_.size() && u >= thresholds_[index]) ++index;
    }
    const OperationShape& op = config_.operations[index];
    request.mix_index = static_cast<std::uint32_t>(index);
    request.operation = op.operation;
    request.key = keys_.next(picks_);
    request.row = 0;
    request.more_keys.clear();
    const bool rows = op.operation == Operation::row_write || op.operation == Operation::paged_read ||
                      (op.operation == Operation::batch && op.rows);
    if (rows && op.operation != Operation::paged_read && config_.rows_per_partition > 0)
        request.row = static_cast<std::int64_t>(shapes_.below(static_cast<std::uint64_t>(config_.rows_per_partition)));
    if (op.operation == Operation::batch && !op.rows)
        for (std::uint32_t i = 1; i < op.statements; ++i) request.more_keys.push_back(keys_.next(shapes_));
    request.value_bytes = op.value_bytes;
    if (op.value_size) {
        const double drawn = std::round(op.value_size->sample(shapes_));
        request.value_bytes = static_cast<std::uint32_t>(std::clamp(drawn, 0.0, static_cast<double>(max_value_bytes)));
    }
}

}  // namespace routelab::workload
