#include "sim/runner/affinity_recorder.hpp"

#include <algorithm>

namespace routelab::runner {

void AffinityRecorder::on_workload_start(sim::Time origin) {
    origin_ = origin;
    keyed_at_start_ = meter_.keyed();
    moved_at_start_ = meter_.moved();
}

results::WindowAffinity AffinityRecorder::row(std::size_t index) const {
    return {static_cast<double>(index) * window_.seconds(), meter_.keyed() - keyed_at_start_, meter_.moved() - moved_at_start_};
}

void AffinityRecorder::on_request_ended(const checks::RequestEnded& f) {
    const auto index = static_cast<std::size_t>(std::max<std::int64_t>((f.ended - origin_).ns(), 0) / window_.ns());
    if (index <= current_index_) return;
    // Windows without a request ending in them get no row; the counts go to the one before.
    if (const auto r = row(current_index_); r.keyed_requests != 0) closed_.push_back(r);
    current_index_ = index;
    keyed_at_start_ = meter_.keyed();
    moved_at_start_ = meter_.moved();
}

void AffinityRecorder::report(results::RunRecord& record) const {
    record.window_affinity = closed_;
    if (const auto r = row(current_index_); r.keyed_requests != 0) record.window_affinity.push_back(r);
}

}  // namespace routelab::runner
