// Key movement of session-affinity schemes: per window, the share of keyed requests
// answered by another node than their session's previous one (window_affinity), one curve
// per run, with the first run's fault windows (a node leaving and joining) shaded.
#include "plots/figure_parts.hpp"
#include "plots/plots.hpp"
#include "plots/run_title.hpp"
#include "sim/results/driver_view_tables.hpp"
#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots {

void plot_key_movement(const std::vector<RunRef>& runs, const std::string& path, ImageFormat format) {
    struct Curve {
        std::string title;
        std::vector<results::WindowAffinity> windows;
    };
    std::vector<Curve> curves;
    std::vector<results::FaultWindow> faults;
    try {
        for (const auto& r : runs) {
            Curve c;
            c.title = detail::run_title(r.db_path, r.run_id);
            c.windows = results::read_window_affinity(r.db_path, r.run_id);
            if (c.windows.empty()) continue;
            if (curves.empty()) faults = results::read_faults(r.db_path, r.run_id);
            curves.push_back(std::move(c));
        }
    } catch (const results::ResultsError& e) {
        throw PlotError(e.what());
    }
    double width = 1, end_s = 1;
    if (!curves.empty()) width = detail::window_width(curves.front().windows);
    for (const auto& c : curves)
        for (const auto& w : c.windows) end_s = std::max(end_s, w.start_s + width);

    detail::render(path, format, [&](std::ostream& gp) {
        gp << "set title " << detail::quote(curves.size() == 1 ? "Key movement per window: " + curves.front().title
                                                               : std::string("Key movement per window of each run (faults of the first run shaded)"))
           << "\n";
        gp << "set xlabel 'simulated time (s)'\n";
        gp << "set ylabel 'keyed requests on another node than their session''s last (%)'\n";
        gp << "set xrange [0:" << detail::num(end_s) << "]\n";
        gp << "set yrange [0:*]\n";
        gp << "set grid xtics ytics\n";
        gp << "set key below vertical\n";
        detail::shade_faults(gp, faults, end_s);
        if (curves.empty()) {
            gp << "set yrange [0:1]\n";
            gp << "set label 1 'no request carried a session key' at graph 0.5, graph 0.5 center\n";
            gp << "plot 1/0 notitle\n";
            return;
        }
        gp << "plot ";
        for (std::size_t i = 0; i < curves.size(); ++i)
            gp << (i ? ", " : "") << "'-' using 1:2 with linespoints pt 7 ps 0.5 lw 2 title " << detail::quote(curves[i].title);
        gp << "\n";
        for (const auto& c : curves) {
            for (const auto& w : c.windows)
                gp << detail::num(w.start_s + width / 2) << ' '
                   << detail::num(100.0 * static_cast<double>(w.moved) / static_cast<double>(w.keyed_requests)) << '\n';
            gp << "e\n";
        }
    });
}

}  // namespace routelab::plots
