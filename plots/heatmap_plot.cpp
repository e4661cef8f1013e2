// A metric of a sweep over two of its knobs as a heat map (the first two axes of the grid;
// with more, each cell is the mean over the others; with one, a single row). Each cell is
// the grid point's value over its seeds (sweep_summary.hpp) and is printed in the cell.
#include <algorithm>
#include <filesystem>
#include <map>

#include "plots/figure_parts.hpp"
#include "plots/plots.hpp"
#include "sim/results/sqlite_reader.hpp"
#include "sim/results/sweep_store.hpp"
#include "sim/results/sweep_summary.hpp"

namespace routelab::plots {
namespace {

double metric_of(const results::SweepPoint& p, SweepMetric m) {
    switch (m) {
        case SweepMetric::p50_ms: return static_cast<double>(p.p50_ns) / 1e6;
        case SweepMetric::p99_ms: return static_cast<double>(p.p99_ns) / 1e6;
        case SweepMetric::p999_ms: return static_cast<double>(p.p999_ns) / 1e6;
        case SweepMetric::error_rate_percent: return p.error_rate() * 100;
        case SweepMetric::load_imbalance: return p.load_imbalance;
    }
    return 0;
}

std::string value_of(const results::SweepPoint& p, const std::string& axis) {
    for (const auto& [k, v] : p.knobs)
        if (k == axis) return v;
    return "";
}

// Position of `value` in `values`, appended if new (first-seen order: the grid's order).
std::size_t position(std::vector<std::string>& values, const std::string& value) {
    for (std::size_t i = 0; i < values.size(); ++i)
        if (values[i] == value) return i;
    values.push_back(value);
    return values.size() - 1;
}

}  // namespace

std::string metric_name(SweepMetric m) {
    switch (m) {
        case SweepMetric::p50_ms: return "p50 latency (ms)";
        case SweepMetric::p99_ms: return "p99 latency (ms)";
        case SweepMetric::p999_ms: return "p99.9 latency (ms)";
        case SweepMetric::error_rate_percent: return "error rate (%)";
        case SweepMetric::load_imbalance: return "load imbalance (max/mean)";
    }
    return "";
}

void plot_sweep_heatmap(const std::string& sweep_db, SweepMetric metric, const std::string& path, ImageFormat format) {
    results::SweepSummary sweep;
    results::SweepMeta meta;
    try {
        sweep = results::summarize_sweep(sweep_db);
        meta = results::read_sweep_meta(sweep_db);
    } catch (const results::ResultsError& e) {
        throw PlotError(e.what());
    }
    const std::string x_axis = sweep.axes.size() > 0 ? sweep.axes[0] : "";
    const std::string y_axis = sweep.axes.size() > 1 ? sweep.axes[1] : "";
    std::vector<std::string> xs, ys;
    std::map<std::pair<std::size_t, std::size_t>, std::pair<double, int>> cells;   // sum, count
    for (const auto& p : sweep.points) {
        const std::size_t x = position(xs, value_of(p, x_axis));
        const std::size_t y = position(ys, y_axis.empty() ? "" : value_of(p, y_axis));
        auto& c = cells[{x, y}];
        c.first += metric_of(p, metric);
        c.second += 1;
    }
    std::string title = "Sweep of " + std::filesystem::path(meta.scenario_path).filename().string() + ": " + metric_name(metric);
    if (meta.seeds > 1) title += ", median over " + std::to_string(meta.seeds) + " seeds from " + std::to_string(meta.first_seed);
    else title += ", seed " + std::to_string(meta.first_seed);
    try {
        const auto first = results::read_run(sweep_db, sweep.points.front().run_ids.front());
        if (std::find(sweep.axes.begin(), sweep.axes.end(), "driver.policy") == sweep.axes.end()) title += ", policy " + first.policy;
    } catch (const results::ResultsError& e) {
        throw PlotError(e.what());
    }
    if (sweep.axes.size() > 2) title += " (mean over the other knobs)";

    detail::render(path, format, [&](std::ostream& gp) {
        gp << "set title " << detail::quote(title) << "\n";
        gp << "set xlabel " << detail::quote(x_axis.empty() ? "(no knob)" : x_axis) << "\n";
        gp << "set ylabel " << detail::quote(y_axis.empty() ? "" : y_axis) << "\n";
        gp << "set cblabel " << detail::quote(metric_name(metric)) << "\n";
        double lo = 0, hi = 0;
        bool first_cell = true;
        for (const auto& [xy, c] : cells) {
            const double v = c.first / c.second;
            lo = first_cell ? v : std::min(lo, v);
            hi = first_cell ? v : std::max(hi, v);
            first_cell = false;
        }
        if (hi <= lo) hi = lo + 1;   // every cell the same: a range gnuplot accepts
        gp << "set cbrange [" << detail::num(lo) << ":" << detail::num(hi) << "]\n";
        gp << "set palette defined (0 '#fff5eb', 0.5 '#fd8d3c', 1 '#7f2704')\n";
        gp << "set xrange [-0.5:" << detail::num(static_cast<double>(xs.size()) - 0.5, 1) << "]\n";
        gp << "set yrange [-0.5:" << detail::num(static_cast<double>(ys.size()) - 0.5, 1) << "]\n";
        gp << "set xtics (";
        for (std::size_t i = 0; i < xs.size(); ++i) gp << (i ? ", " : "") << detail::quote(xs[i]) << ' ' << i;
        gp << ")\nset ytics (";
        for (std::size_t i = 0; i < ys.size(); ++i) gp << (i ? ", " : "") << detail::quote(ys[i]) << ' ' << i;
        gp << ")\n";
        gp << "set key off\nset style fill solid 1.0 noborder\n";
        gp << "plot '-' using 1:2:3:4:5:6:7 with boxxyerror fc palette, '-' using 1:2:3 with labels font ',9'\n";
        for (int pass = 0; pass < 2; ++pass) {
            for (const auto& [xy, c] : cells) {
                const double v = c.first / c.second;
                const double x = static_cast<double>(xy.first), y = static_cast<double>(xy.second);
                if (pass == 0)
                    gp << detail::num(x, 1) << ' ' << detail::num(y, 1) << ' ' << detail::num(x - 0.5, 1) << ' ' << detail::num(x + 0.5, 1)
                       << ' ' << detail::num(y - 0.5, 1) << ' ' << detail::num(y + 0.5, 1) << ' ' << detail::num(v) << '\n';
                else gp << detail::num(x, 1) << ' ' << detail::num(y, 1) << " \"" << detail::num(v, 3) << "\"\n";
            }
            gp << "e\n";
        }
    });
}

}  // namespace routelab::plots
