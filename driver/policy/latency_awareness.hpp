#pragma once
// Latency awareness as in the Rust driver's DefaultPolicy (modelled on cpp-driver's
// LatencyAwarePolicy); reference driver-policies.md §2.1. Per node, a time-decaying average
// of attempt latencies; every `update_rate` the minimum average over nodes with enough
// measurements is recomputed; a node is penalised while its average exceeds
// `exclusion_threshold` × minimum, it has `minimum_measurements` samples and its average is
// younger than `retry_period`.
//
// No clock and no timer: samples and the current time come in as arguments. The minimum
// is recomputed lazily when a call brings a time at or past the next update instant (the
// Rust background task, ticking every `update_rate`, without the task); `tick(now)` forces
// it, as the Rust tests do with `updater.tick()`.
#include <cstdint>
#include <optional>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "driver/policy/attempt_error.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

struct LatencyAwarenessConfig {
    double exclusion_threshold = 2.0;
    sim::Duration retry_period = sim::Duration::from_s(10);
    sim::Duration update_rate = sim::Duration::from_ms(100);
    std::uint64_t minimum_measurements = 50;
    sim::Duration scale = sim::Duration::from_ms(100);  // must be > 0
};

class LatencyAwareness {
public:
    explicit LatencyAwareness(LatencyAwarenessConfig config);

    // One sample for `node` at `now`. Zero latencies are ignored (Rust).
    void report(NodeIndex node, sim::Duration latency, sim::Time now);
    // Rust `reliable_latency_measure`: errors that reflect real server work count; fast
    // and driver-side errors do not.
    static bool reliable(const AttemptError& error);
    // Recomputes the global minimum now (the periodic updater's step).
    void tick(sim::Time now);
    // Advances the lazy updater to `now` (recomputes if an update instant has passed).
    void advance(sim::Time now);
    bool penalised(NodeIndex node, sim::Time now) const;

    // The latest time seen in any call (used when routing info brings no time).
    sim::Time latest() const { return latest_; }
    std::optional<sim::Duration> minimum_average() const { return minimum_; }

    struct NodeAverage {
        sim::Time timestamp;
        double average_ns = 0.0;
        std::uint64_t measurements = 0;
    };
    // For tests and reports: the node's state, if it has samples.
    std::optional<NodeAverage> average(NodeIndex node) const;
    // For tests: sets a node's state directly (Rust tests inject TimestampedAverage values).
    void set_average(NodeIndex node, NodeAverage value);
    const LatencyAwarenessConfig& config() const { return config_; }

private:
    LatencyAwarenessConfig config_;
    std::vector<std::optional<NodeAverage>> nodes_;
    std::optional<sim::Duration> minimum_;
    sim::Time next_update_;
    sim::Time latest_;
};

}  // namespace routelab::driver
