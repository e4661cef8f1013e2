#pragma once
// PNG plots of one stored run, drawn by gnuplot (pngcairo terminal). Plots read only the
// results database (README.md, "Results database"), never the simulation.
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

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

}  // namespace routelab::plots
