#include "driver/policy/latency_awareness.hpp"

#include <cmath>

#include "driver/metadata/check.hpp"

namespace routelab::driver {

LatencyAwareness::LatencyAwareness(LatencyAwarenessConfig config) : config_(config) {
    check(config_.scale > sim::Duration{}, "latency awareness: scale must be > 0");
    check(config_.update_rate > sim::Duration{}, "latency awareness: update_rate must be > 0");
    next_update_ = sim::Time::zero() + config_.update_rate;
}

void LatencyAwareness::report(NodeIndex node, sim::Duration latency, sim::Time now) {
    advance(now);
    if (latency <= sim::Duration{}) return;
    if (nodes_.size() <= node) nodes_.resize(std::size_t{node} + 1);
    auto& slot = nodes_[node];
    const double latency_ns = static_cast<double>(latency.ns());
    if (!slot) {
        slot = NodeAverage{now, latency_ns, 1};
        return;
    }
    // Rust TimestampedAverage::compute_next: weight of the previous average is
    // ln(1 + d) / d with d = elapsed / scale (1 when no time passed).
    const double d = static_cast<double>((now - slot->timestamp).ns()) / static_cast<double>(config_.scale.ns());
    const double prev_weight = d <= 0.0 ? 1.0 : std::log1p(d) / d;
    slot->average_ns = (1.0 - prev_weight) * latency_ns + prev_weight * slot->average_ns;
    slot->measurements += 1;
    slot->timestamp = now;
}

bool LatencyAwareness::reliable(const AttemptError& error) {
    switch (error.kind) {
        case AttemptErrorKind::broken_connection:
        case AttemptErrorKind::no_stream_id:
        case AttemptErrorKind::connection_unavailable:
        case AttemptErrorKind::is_bootstrapping:
        case AttemptErrorKind::unavailable:
        case AttemptErrorKind::unprepared:
        case AttemptErrorKind::overloaded:
        case AttemptErrorKind::rate_limit_reached:
        case AttemptErrorKind::other:
            return false;
        default:
            return true;
    }
}

void LatencyAwareness::tick(sim::Time now) {
    if (now > latest_) latest_ = now;
    std::optional<double> min_ns;
    for (const auto& slot : nodes_) {
        if (!slot || slot->measurements < config_.minimum_measurements) continue;
        if (!min_ns || slot->average_ns < *min_ns) min_ns = slot->average_ns;
    }
    // No node qualifies: the stored minimum stays as it was (Rust).
    if (min_ns) minimum_ = sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(*min_ns)));
}

void LatencyAwareness::advance(sim::Time now) {
    if (now > latest_) latest_ = now;
    if (now < next_update_) return;
    tick(now);
    // Next instant on the update grid after `now`.
    const std::int64_t rate = config_.update_rate.ns();
    next_update_ = sim::Time::from_ns((now.ns() / rate + 1) * rate);
}

bool LatencyAwareness::penalised(NodeIndex node, sim::Time now) const {
    if (!minimum_ || node >= nodes_.size() || !nodes_[node]) return false;
    const NodeAverage& a = *nodes_[node];
    if (a.measurements < config_.minimum_measurements) return false;
    if (!(now - a.timestamp < config_.retry_period)) return false;
    return a.average_ns > config_.exclusion_threshold * static_cast<double>(minimum_->ns());
}

std::optional<LatencyAwareness::NodeAverage> LatencyAwareness::average(NodeIndex node) const {
    if (node >= nodes_.size()) return std::nullopt;
    return nodes_[node];
}

void LatencyAwareness::set_average(NodeIndex node, NodeAverage value) {
    if (nodes_.size() <= node) nodes_.resize(std::size_t{node} + 1);
    nodes_[node] = value;
}

}  // namespace routelab::driver
