#include "sim/scenario/workload_model.hpp"

#include <algorithm>

namespace routelab::scenario {

const char* to_string(OperationKind kind) {
    switch (kind) {
        case OperationKind::read: return "read";
        case OperationKind::write: return "write";
        case OperationKind::paged_read: return "paged_read";
        case OperationKind::row_write: return "row_write";
        case OperationKind::lwt_insert: return "lwt_insert";
        case OperationKind::lwt_update: return "lwt_update";
        case OperationKind::batch: return "batch";
    }
    return "?";
}

namespace {
bool uses_rows(const OperationSpec& op) {
    return op.kind == OperationKind::paged_read || op.kind == OperationKind::row_write || (op.kind == OperationKind::batch && op.rows);
}
}  // namespace

bool uses_clustered_table(const WorkloadSpec& workload) {
    return std::any_of(workload.operations.begin(), workload.operations.end(), uses_rows);
}

bool uses_clustered_table(const WorkloadSpec& workload, const std::string& keyspace, const std::string& default_keyspace) {
    return std::any_of(workload.operations.begin(), workload.operations.end(), [&](const OperationSpec& op) {
        const std::string& named = !op.keyspace.empty() ? op.keyspace : !workload.keyspace.empty() ? workload.keyspace : default_keyspace;
        return uses_rows(op) && named == keyspace;
    });
}

std::vector<std::pair<double, double>> rate_points(const WorkloadSpec& workload) {
    std::vector<std::pair<double, double>> points{{0.0, workload.rate_per_s}};
    double level = workload.rate_per_s;
    for (const auto& step : workload.schedule) {
        points.emplace_back(step.at_s, level);
        points.emplace_back(step.at_s + step.ramp_s, step.rate);
        level = step.rate;
    }
    return points;
}

double expected_requests(const WorkloadSpec& workload, double from_s, double until_s) {
    if (workload.kind != WorkloadKind::open_loop || !(until_s > from_s)) return 0;
    const auto points = rate_points(workload);
    // The area of the piecewise-linear rate over [from_s, until_s], piece by piece.
    auto rate_at = [](const std::pair<double, double>& a, const std::pair<double, double>& b, double t) {
        if (b.first <= a.first) return b.second;
        return a.second + (b.second - a.second) * (t - a.first) / (b.first - a.first);
    };
    double total = 0;
    for (std::size_t i = 0; i + 1 < points.size(); ++i) {
        const auto& a = points[i];
        const auto& b = points[i + 1];
        const double lo = std::max(a.first, from_s);
        const double hi = std::min(b.first, until_s);
        if (hi > lo) total += (rate_at(a, b, lo) + rate_at(a, b, hi)) / 2 * (hi - lo);
    }
    const double tail_from = std::max(points.back().first, from_s);
    if (until_s > tail_from) total += points.back().second * (until_s - tail_from);
    return total;
}

}  // namespace routelab::scenario
