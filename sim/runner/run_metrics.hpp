#pragma once
// Collects request outcomes as they happen and aggregates them into the run's
// time-series windows and overall histogram. Recording is O(1) and allocation-free
// except when a new window opens.
#include <cstdint>
#include <vector>

#include "sim/core/histogram.hpp"
#include "sim/core/time.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::runner {

enum class Outcome : std::uint8_t { ok, error, timeout };

class RunMetrics {
public:
    explicit RunMetrics(sim::Duration window) : window_(window) {}

    // Windows count from here (the workload's start), like the fault timeline.
    void set_origin(sim::Time origin) { origin_ = origin; }
    void on_issued() { ++issued_; }
    void on_ended(sim::Time started, sim::Time ended, Outcome outcome);

    std::uint64_t issued() const { return issued_; }
    std::uint64_t ended() const { return ended_; }
    // Fills requests/completed/errors/timeouts/lost, the histogram and the windows.
    void report(results::RunRecord& record) const;

private:
    struct WindowState {
        sim::LatencyHistogram latency_ns;
        std::uint64_t requests = 0;
        std::uint64_t errors = 0;
        std::uint64_t timeouts = 0;
    };
    static results::Window summarize(std::size_t index, sim::Duration width, const WindowState& w);

    sim::Duration window_;
    sim::Time origin_;
    // Requests end in time order, so only the newest window is open; older ones are
    // already summarized (one histogram in memory, however long the run).
    std::size_t current_index_ = 0;
    WindowState current_;
    std::vector<results::Window> closed_;
    sim::LatencyHistogram overall_ns_;
    std::uint64_t issued_ = 0;
    std::uint64_t ended_ = 0;
    std::uint64_t errors_ = 0;
    std::uint64_t timeouts_ = 0;
};

}  // namespace routelab::runner
