#include <cstdio>
#include <utility>
#include <vector>

#include "plots/gnuplot_run.hpp"
#include "plots/plots.hpp"

#include <algorithm>
#include <tuple>
#include "plots/run_title.hpp"
#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots {
namespace {

struct Series {
    const char* title;
    std::int64_t results::Window::*member;
};

std::string ms(std::int64_t ns) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.6f", static_cast<double>(ns) / 1e6);
    return buf;
}

}  // namespace

void plot_latency_over_time(const std::string& db_path, std::int64_t run_id, const std::string& png_path) {
    plot_latency_over_time(db_path, run_id, png_path, ImageFormat::png);
}

void plot_latency_over_time(const std::string& db_path, std::int64_t run_id, const std::string& png_path, ImageFormat format) {
    const auto [title, windows, faults] = [&] {
        try {
            return std::make_tuple(detail::run_title(db_path, run_id), results::read_windows(db_path, run_id),
                                   results::read_faults(db_path, run_id));
        } catch (const results::ResultsError& e) {
            throw PlotError(e.what());
        }
    }();
    const Series series[] = {{"p50", &results::Window::p50_ns},
                             {"p99", &results::Window::p99_ns},
                             {"p99.9", &results::Window::p999_ns}};
    // Windows without completed requests have no latency; log scale cannot show 0.
    bool any = false;
    for (const auto& w : windows) any = any || w.p50_ns > 0;

    detail::render(png_path, format, [&](std::ostream& gp) {
        gp << "set title " << detail::quote("Latency per window: " + title) << "\n";
        gp << "set xlabel 'simulated time (s)'\n";
        gp << "set ylabel 'latency (ms)'\n";
        gp << "set logscale y 10\n";
        gp << "set grid xtics ytics mytics\n";
        gp << "set key below horizontal\n";
        // Fault windows shaded, each labelled at the top; an unreverted fault runs to the end.
        double end_s = 0;
        for (const auto& w : windows) end_s = std::max(end_s, w.start_s);
        int object = 1;
        for (const auto& f : faults) {
            const double to = f.end_s >= 0 ? f.end_s : end_s;
            gp << "set object " << object << " rect from " << f.start_s << ", graph 0 to " << std::max(to, f.start_s + 0.01)
               << ", graph 1 behind fillcolor rgb '#f4cccc' fillstyle solid 0.5 noborder\n";
            gp << "set label " << (100 + object) << " " << detail::quote(f.description) << " at " << f.start_s
               << ", graph " << (0.97 - 0.05 * ((object - 1) % 4)) << " left font ',8'\n";
            ++object;
        }
        if (!any) {
            gp << "set yrange [0.001:1000]\n";
            gp << "set label 1 'no completed requests' at graph 0.5, graph 0.5 center\n";
            gp << "plot 1/0 notitle\n";
            return;
        }
        gp << "plot '-' using 1:2 with linespoints pt 7 ps 0.5 title 'p50', "
              "'-' using 1:2 with linespoints pt 7 ps 0.5 title 'p99', "
              "'-' using 1:2 with linespoints pt 7 ps 0.5 title 'p99.9'\n";
        for (const auto& s : series) {
            for (const auto& w : windows) {
                const std::int64_t v = w.*(s.member);
                if (v > 0) gp << w.start_s << ' ' << ms(v) << '\n';
            }
            gp << "e\n";
        }
    });
}

}  // namespace routelab::plots
