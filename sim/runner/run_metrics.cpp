#include "sim/runner/run_metrics.hpp"

#include <algorithm>

namespace routelab::runner {

results::Window RunMetrics::summarize(std::size_t index, sim::Duration width, const WindowState& w) {
    results::Window out;
    out.start_s = static_cast<double>(index) * width.seconds();
    out.requests = w.requests;
    out.errors = w.errors;
    out.timeouts = w.timeouts;
    out.p50_ns = w.latency_ns.quantile(0.50);
    out.p90_ns = w.latency_ns.quantile(0.90);
    out.p99_ns = w.latency_ns.quantile(0.99);
    out.p999_ns = w.latency_ns.quantile(0.999);
    out.max_ns = w.latency_ns.max();
    return out;
}

void RunMetrics::on_ended(sim::Time started, sim::Time ended, Outcome outcome) {
    ++ended_;
    const auto index = static_cast<std::size_t>(std::max<std::int64_t>((ended - origin_).ns(), 0) / window_.ns());
    while (current_index_ < index) {
        closed_.push_back(summarize(current_index_++, window_, current_));
        current_ = WindowState{};
    }
    WindowState& w = current_;
    ++w.requests;
    switch (outcome) {
        case Outcome::ok: {
            const std::int64_t latency = (ended - started).ns();
            w.latency_ns.record(latency);
            overall_ns_.record(latency);
            break;
        }
        case Outcome::timeout:
            ++w.timeouts;
            ++timeouts_;
            [[fallthrough]];
        case Outcome::error:
            ++w.errors;
            ++errors_;
            break;
    }
}

void RunMetrics::report(results::RunRecord& record) const {
    record.requests = issued_;
    record.errors = errors_;
    record.timeouts = timeouts_;
    record.completed = ended_ - errors_;
    record.lost = issued_ - ended_;
    record.latency_ns = overall_ns_;
    record.windows = closed_;
    if (current_.requests != 0) record.windows.push_back(summarize(current_index_, window_, current_));
}

}  // namespace routelab::runner
