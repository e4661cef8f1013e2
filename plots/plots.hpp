#pragma once
// PNG plots of one stored run, drawn by gnuplot (pngcairo terminal). Plots read only the
// results database (README.md, "Results database"), never the simulation.
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "sim/results/run_record.hpp"

namespace routelab::plots {

// Missing gnuplot, a database/run that cannot be read, or gnuplot failing to write the
// PNG. The message names the file concerned.
class PlotError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Every figure can be drawn as a PNG (pngcairo) or as an SVG (gnuplot's svg terminal,
// self-contained: no fonts, scripts or images referenced).
enum class ImageFormat { png, svg };

// p50 / p99 / p99.9 latency of each window against simulated time, log-scale y in
// milliseconds; the title names the scenario, seed and policy. Overwrites png_path.
void plot_latency_over_time(const std::string& db_path, std::int64_t run_id, const std::string& png_path);
void plot_latency_over_time(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format);

// Bar chart of the requests each node coordinated. Overwrites png_path.
void plot_node_load(const std::string& db_path, std::int64_t run_id, const std::string& png_path);
void plot_node_load(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format);

// One stored run: a database and a run_id in it.
struct RunRef {
    std::string db_path;
    std::int64_t run_id = 0;
};

// The latency CDFs of several runs (from their histograms) on one chart, x log-scaled in
// milliseconds, the tail stretched (0.9, 0.99, 0.999, ... equally spaced). Overwrites path.
void plot_latency_cdfs(const std::vector<RunRef>& runs, const std::string& path, ImageFormat format);

// Failed requests per window, stacked by error kind (window_errors), fault windows shaded.
void plot_errors_by_kind(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format);

// Each node's share of the successful requests per window, stacked (window_node_load),
// above the driver's view: when each node really was down (node_transitions) and each
// driver's down/up marks (driver_node_marks), fault windows shaded.
void plot_load_share(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format);

// Per node, how long after it really went down (came back) a driver first marked it so;
// the slowest client and transition. Nodes that never changed are left out.
void plot_detection_delay(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format);

// One node's detection figures, as plot_detection_delay draws them.
struct DetectionDelay {
    std::string node;
    int downs = 0, ups = 0;                  // real transitions
    int down_detected = 0, up_detected = 0;  // (client, transition) pairs a mark followed
    std::optional<double> down_delay_s;      // slowest detection; none: never marked
    std::optional<double> up_delay_s;
};
// In the order nodes first appear in `truth` (then `marks`).
std::vector<DetectionDelay> detection_delays(const std::vector<results::NodeTransition>& truth,
                                             const std::vector<results::DriverNodeMark>& marks);

// The share of keyed requests that moved node, per window, one curve per run that had
// session keys (window_affinity); the first such run's faults shaded.
void plot_key_movement(const std::vector<RunRef>& runs, const std::string& path, ImageFormat format);

// What a sweep's heat map shows.
enum class SweepMetric { p50_ms, p99_ms, p999_ms, error_rate_percent, load_imbalance };
std::string metric_name(SweepMetric metric);

// A metric of a sweep database over its first two knobs (sweep_summary.hpp).
void plot_sweep_heatmap(const std::string& sweep_db, SweepMetric metric, const std::string& path, ImageFormat format);

}  // namespace routelab::plots
