// Latency CDFs of several stored runs side by side, read from each run's latency
// histogram; the tail is stretched by plotting -log10(1 - quantile).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "plots/gnuplot_run.hpp"
#include "plots/plots.hpp"
#include "plots/run_title.hpp"
#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots {

void plot_latency_cdfs(const std::vector<RunRef>& runs, const std::string& path, ImageFormat format) {
    struct Curve {
        std::string title;
        std::vector<std::pair<double, double>> points;   // (ms, -log10(1 - q))
    };
    std::vector<Curve> curves;
    try {
        for (const auto& r : runs) {
            Curve c;
            c.title = detail::run_title(r.db_path, r.run_id);
            const auto buckets = results::read_latency_histogram(r.db_path, r.run_id);
            std::uint64_t total = 0;
            for (const auto& b : buckets) total += b.second;
            std::uint64_t seen = 0;
            for (const auto& [upper_ns, n] : buckets) {
                seen += n;
                const double q = static_cast<double>(seen) / static_cast<double>(total);
                // The last bucket holds q = 1; show it at six nines so it stays on the plot.
                c.points.emplace_back(static_cast<double>(upper_ns) / 1e6, -std::log10(std::max(1.0 - q, 1e-6)));
            }
            curves.push_back(std::move(c));
        }
    } catch (const results::ResultsError& e) {
        throw PlotError(e.what());
    }
    detail::render(path, format, [&](std::ostream& gp) {
        gp << "set title 'Latency CDF of successful requests (tail stretched)'\n";
        gp << "set xlabel 'latency (ms)'\n";
        gp << "set ylabel 'quantile'\n";
        gp << "set logscale x 10\n";
        gp << "set ytics ('0' 0, '0.9' 1, '0.99' 2, '0.999' 3, '0.9999' 4, '0.99999' 5, '1' 6)\n";
        gp << "set yrange [0:6.2]\n";
        gp << "set grid xtics ytics\n";
        gp << "set key below vertical\n";
        bool any = false;
        for (const auto& c : curves) any = any || !c.points.empty();
        if (!any) {
            gp << "set xrange [0.001:1000]\n";
            gp << "set label 1 'no successful requests' at graph 0.5, graph 0.5 center\n";
            gp << "plot 1/0 notitle\n";
            return;
        }
        gp << "plot ";
        bool first = true;
        for (const auto& c : curves) {
            if (c.points.empty()) continue;
            gp << (first ? "" : ", ") << "'-' using 1:2 with steps lw 2 title " << detail::quote(c.title);
            first = false;
        }
        gp << "\n";
        for (const auto& c : curves) {
            if (c.points.empty()) continue;
            char buf[64];
            for (const auto& [x, y] : c.points) {
                std::snprintf(buf, sizeof buf, "%.6f %.6f\n", x, y);
                gp << buf;
            }
            gp << "e\n";
        }
    });
}

}  // namespace routelab::plots
