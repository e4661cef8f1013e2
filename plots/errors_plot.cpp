// Failed requests per window by error kind, stacked (the window_errors table).
#include <map>
#include <set>

#include "plots/figure_parts.hpp"
#include "plots/plots.hpp"
#include "plots/run_title.hpp"
#include "sim/results/driver_view_tables.hpp"
#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots {

void plot_errors_by_kind(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format) {
    std::string title;
    std::vector<results::Window> windows;
    std::vector<results::WindowErrorCount> errors;
    std::vector<results::FaultWindow> faults;
    try {
        title = detail::run_title(db_path, run_id);
        windows = results::read_windows(db_path, run_id);
        errors = results::read_window_errors(db_path, run_id);
        faults = results::read_faults(db_path, run_id);
    } catch (const results::ResultsError& e) {
        throw PlotError(e.what());
    }
    // Kinds in name order (a stable legend); per window, each kind's count.
    std::set<std::string> kinds;
    for (const auto& e : errors) kinds.insert(e.kind);
    std::map<double, std::map<std::string, std::uint64_t>> by_window;
    for (const auto& e : errors) by_window[e.start_s][e.kind] += e.requests;
    const double width = detail::window_width(windows);
    double end_s = width;
    for (const auto& w : windows) end_s = std::max(end_s, w.start_s + width);

    detail::render(path, format, [&](std::ostream& gp) {
        gp << "set title " << detail::quote("Failed requests per window by error kind: " + title) << "\n";
        gp << "set xlabel 'simulated time (s)'\n";
        gp << "set ylabel 'failed requests per window'\n";
        gp << "set xrange [0:" << detail::num(end_s) << "]\n";
        gp << "set yrange [0:*]\n";
        gp << "set grid ytics\n";
        gp << "set key below horizontal\n";
        gp << "set style fill solid 0.85 border -1\n";
        detail::shade_faults(gp, faults, end_s);
        if (kinds.empty()) {
            gp << "set yrange [0:1]\n";
            gp << "set label 1 'no failed requests' at graph 0.5, graph 0.5 center\n";
            gp << "plot 1/0 notitle\n";
            return;
        }
        // Stacked: each kind's box reaches the sum of it and the kinds before it; drawn
        // from the top of the stack down so every band stays visible.
        const std::vector<std::string> order(kinds.begin(), kinds.end());
        gp << "plot ";
        for (std::size_t k = order.size(); k-- > 0;)
            gp << (k + 1 == order.size() ? "" : ", ") << "'-' using 1:2:3 with boxes title " << detail::quote(order[k]);
        gp << "\n";
        for (std::size_t k = order.size(); k-- > 0;) {
            for (const auto& [start, counts] : by_window) {
                std::uint64_t stacked = 0;
                for (std::size_t j = 0; j <= k; ++j)
                    if (auto it = counts.find(order[j]); it != counts.end()) stacked += it->second;
                gp << detail::num(start + width / 2) << ' ' << stacked << ' ' << detail::num(width * 0.9) << '\n';
            }
            gp << "e\n";
        }
    });
}

}  // namespace routelab::plots
