// Each node's share of the successful requests per window as a stacked area
// (window_node_load.answered), above the driver's view of the nodes: when each node really
// stopped serving (node_transitions) and each client's driver's down/up marks
// (driver_node_marks), on the same time axis.
#include <map>

#include "plots/figure_parts.hpp"
#include "plots/plots.hpp"
#include "plots/run_title.hpp"
#include "sim/results/driver_view_tables.hpp"
#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots {
namespace {

struct Interval {
    double from = 0, to = 0;
    std::size_t row = 0;
};

// Down intervals of each node (from its transitions, or a client's marks of it).
template <class Event>
std::vector<Interval> down_intervals(const std::vector<Event>& events, const std::map<std::string, std::size_t>& rows,
                                     double end_s, const std::string Event::*key = nullptr) {
    std::map<std::string, double> down_since;   // by node (and client)
    std::vector<Interval> out;
    for (const auto& e : events) {
        const auto row = rows.find(e.node);
        if (row == rows.end()) continue;
        const std::string who = key == nullptr ? e.node : e.node + "\n" + e.*key;
        if (!e.up) {
            down_since.emplace(who, e.time_s);
        } else if (auto it = down_since.find(who); it != down_since.end()) {
            out.push_back({it->second, e.time_s, row->second});
            down_since.erase(it);
        }
    }
    for (const auto& [who, since] : down_since) {
        const auto row = rows.find(who.substr(0, who.find('\n')));
        out.push_back({since, end_s, row->second});
    }
    return out;
}

}  // namespace

void plot_load_share(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format) {
    std::string title;
    std::vector<results::Window> windows;
    std::vector<results::NodeLoad> nodes;
    std::vector<results::WindowNodeLoad> load;
    std::vector<results::FaultWindow> faults;
    std::vector<results::NodeTransition> truth;
    std::vector<results::DriverNodeMark> marks;
    try {
        title = detail::run_title(db_path, run_id);
        windows = results::read_windows(db_path, run_id);
        nodes = results::read_node_load(db_path, run_id);
        load = results::read_window_node_load(db_path, run_id);
        faults = results::read_faults(db_path, run_id);
        truth = results::read_node_transitions(db_path, run_id);
        marks = results::read_driver_marks(db_path, run_id);
    } catch (const results::ResultsError& e) {
        throw PlotError(e.what());
    }
    std::map<std::string, std::size_t> rows;   // node -> its index (the runner's node order)
    for (const auto& n : nodes) rows.emplace(n.node, rows.size());
    const double width = detail::window_width(windows);
    double end_s = width;
    for (const auto& w : windows) end_s = std::max(end_s, w.start_s + width);
    // answered[window start][node]
    std::map<double, std::vector<std::uint64_t>> answered;
    for (const auto& w : windows) answered[w.start_s].assign(nodes.size(), 0);
    for (const auto& l : load)
        if (auto row = rows.find(l.node); row != rows.end()) {
            auto& v = answered[l.start_s];
            v.resize(nodes.size(), 0);
            v[row->second] += l.answered;
        }
    const auto truth_down = down_intervals(truth, rows, end_s);
    const auto marked_down = down_intervals(marks, rows, end_s, &results::DriverNodeMark::client);

    detail::render(path, format, [&](std::ostream& gp) {
        gp << "set multiplot\n";
        gp << "set lmargin at screen 0.14\nset rmargin at screen 0.97\n";
        gp << "set xrange [0:" << detail::num(end_s) << "]\n";
        gp << "set grid xtics\n";
        detail::shade_faults(gp, faults, end_s);
        // Top: the load share.
        gp << "set origin 0,0.40\nset size 1,0.60\n";
        gp << "set tmargin 2\nset bmargin 4\n";
        gp << "set title " << detail::quote("Load share per node (successful requests answered): " + title) << " font ',9'\n";
        gp << "set ylabel 'share of requests per window'\nset xlabel 'simulated time (s)'\n";
        gp << "set yrange [0:1.0]\nset ytics ('0%%' 0, '25%%' 0.25, '50%%' 0.5, '75%%' 0.75, '100%%' 1)\n";
        gp << "set key below horizontal font ',8'\n";
        gp << "set style fill solid 0.8 noborder\n";
        if (nodes.empty() || answered.empty()) {
            gp << "set label 1 'no node load recorded' at graph 0.5, graph 0.5 center\n";
            gp << "plot 1/0 notitle\n";
        } else {
            gp << "plot ";
            for (std::size_t n = 0; n < nodes.size(); ++n)
                gp << (n ? ", " : "") << "'-' using 1:2:3 with filledcurves title " << detail::quote(nodes[n].node);
            gp << "\n";
            for (std::size_t n = 0; n < nodes.size(); ++n) {
                for (const auto& [start, counts] : answered) {
                    std::uint64_t total = 0, below = 0;
                    for (std::size_t j = 0; j < counts.size(); ++j) {
                        total += counts[j];
                        if (j < n) below += counts[j];
                    }
                    const double lo = total ? static_cast<double>(below) / static_cast<double>(total) : 0;
                    const double hi = total ? static_cast<double>(below + counts[n]) / static_cast<double>(total) : 0;
                    // Flat across the window, so a share that changes shows as a step.
                    gp << detail::num(start) << ' ' << detail::num(lo) << ' ' << detail::num(hi) << '\n';
                    gp << detail::num(start + width) << ' ' << detail::num(lo) << ' ' << detail::num(hi) << '\n';
                }
                gp << "e\n";
            }
        }
        // Bottom: the driver's view against the truth, one row per node.
        gp << "unset label\n";
        gp << "set origin 0,0\nset size 1,0.40\n";
        gp << "set tmargin 2\nset bmargin 5\n";
        gp << "set title \"Driver's view: node really down (red bar), marked down by the driver (dark bar), "
              "down/up marks (triangles)\" font ',9'\n";
        gp << "set xlabel 'simulated time (s)'\nunset ylabel\n";
        gp << "set yrange [" << detail::num(static_cast<double>(nodes.size()) - 0.5, 1) << ":-0.5]\n";
        gp << "set ytics (";
        for (std::size_t n = 0; n < nodes.size(); ++n) gp << (n ? ", " : "") << detail::quote(nodes[n].node) << ' ' << n;
        if (nodes.empty()) gp << "'' 0";
        gp << ") font ',8'\n";
        gp << "set key below horizontal font ',8'\n";
        gp << "set style fill solid 0.6 noborder\n";
        // Every series has a dummy first point far left, so an empty one still plots.
        gp << "plot '-' using 1:2:3:4:5:6 with boxxyerror lc rgb '#e06666' title 'really down', "
              "'-' using 1:2:3:4:5:6 with boxxyerror lc rgb '#444444' title 'marked down by the driver', "
              "'-' using 1:2 with points pt 11 ps 1.2 lc rgb '#c62828' title 'driver marks down', "
              "'-' using 1:2 with points pt 9 ps 1.2 lc rgb '#1a7f37' title 'driver marks up'\n";
        const auto boxes = [&](const std::vector<Interval>& list, double half) {
            gp << "-1e9 0 -1e9 -1e9 0 0\n";
            for (const auto& i : list)
                gp << detail::num((i.from + i.to) / 2) << ' ' << i.row << ' ' << detail::num(i.from) << ' ' << detail::num(i.to) << ' '
                   << detail::num(static_cast<double>(i.row) - half, 2) << ' ' << detail::num(static_cast<double>(i.row) + half, 2) << '\n';
            gp << "e\n";
        };
        boxes(truth_down, 0.35);
        boxes(marked_down, 0.12);
        for (bool up : {false, true}) {
            gp << "-1e9 0\n";
            for (const auto& m : marks)
                if (auto row = rows.find(m.node); row != rows.end() && m.up == up) gp << detail::num(m.time_s) << ' ' << row->second << '\n';
            gp << "e\n";
        }
        gp << "unset multiplot\n";
    });
}

}  // namespace routelab::plots
