// How long each client's driver took to notice a node going down or coming back
// (driver_node_marks.detection_delay_s): per node, the first mark after each real
// transition, the slowest over clients and transitions.
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "plots/figure_parts.hpp"
#include "plots/plots.hpp"
#include "plots/run_title.hpp"
#include "sim/results/driver_view_tables.hpp"
#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots {

std::vector<DetectionDelay> detection_delays(const std::vector<results::NodeTransition>& truth,
                                             const std::vector<results::DriverNodeMark>& marks) {
    std::vector<DetectionDelay> out;
    std::map<std::string, std::size_t> index;
    const auto row = [&](const std::string& node) -> DetectionDelay& {
        auto [it, added] = index.emplace(node, out.size());
        if (added) {
            out.emplace_back();
            out.back().node = node;
        }
        return out[it->second];
    };
    for (const auto& t : truth) {
        DetectionDelay& d = row(t.node);
        (t.up ? d.ups : d.downs) += 1;
    }
    // The first mark per (client, node, real transition) is its detection.
    std::set<std::tuple<std::string, std::string, double>> seen;
    for (const auto& m : marks) {
        if (!m.truth_s || !seen.emplace(m.client, m.node, *m.truth_s).second) continue;
        DetectionDelay& d = row(m.node);
        const double delay = m.time_s - *m.truth_s;
        if (m.up) {
            d.up_detected += 1;
            d.up_delay_s = std::max(d.up_delay_s.value_or(0.0), delay);
        } else {
            d.down_detected += 1;
            d.down_delay_s = std::max(d.down_delay_s.value_or(0.0), delay);
        }
    }
    return out;
}

void plot_detection_delay(const std::string& db_path, std::int64_t run_id, const std::string& path, ImageFormat format) {
    std::string title;
    std::vector<results::NodeTransition> truth;
    std::vector<results::DriverNodeMark> marks;
    std::vector<results::NodeLoad> nodes;
    try {
        title = detail::run_title(db_path, run_id);
        truth = results::read_node_transitions(db_path, run_id);
        marks = results::read_driver_marks(db_path, run_id);
        nodes = results::read_node_load(db_path, run_id);
    } catch (const results::ResultsError& e) {
        throw PlotError(e.what());
    }
    // Nodes in the runner's order; only those that really went down or up.
    const auto all = detection_delays(truth, marks);
    std::vector<DetectionDelay> rows;
    for (const auto& n : nodes)
        for (const auto& d : all)
            if (d.node == n.node && d.downs + d.ups > 0) rows.push_back(d);
    // Delays span from microseconds (a reset connection) to seconds (a reconnection
    // schedule): a log scale, each bar labelled with its value; "?" leaves a bar out.
    const auto ms = [](const std::optional<double>& s) { return s ? detail::num(std::max(*s * 1e3, 0.001), 3) : std::string("?"); };

    detail::render(path, format, [&](std::ostream& gp) {
        gp << "set title " << detail::quote("Detection delay per node (slowest client): " + title) << "\n";
        gp << "set ylabel 'delay from the real change to the driver''s mark (ms)'\n";
        gp << "set logscale y 10\nset yrange [0.001:*]\nset datafile missing '?'\n";
        gp << "set grid ytics\n";
        gp << "set style data histograms\n";
        gp << "set style histogram clustered gap 1\n";
        gp << "set style fill solid 0.8 border -1\n";
        gp << "set boxwidth 0.9\n";
        gp << "set key below horizontal\n";
        if (rows.size() > 6) gp << "set xtics rotate by -30 font ',8'\n";
        if (rows.empty()) {
            gp << "set yrange [0:1]\n";
            gp << "set label 1 'no node went down or came back during the run' at graph 0.5, graph 0.5 center\n";
            gp << "plot 1/0 notitle\n";
            return;
        }
        // A transition no driver noticed gets a label instead of a bar.
        int label = 1;
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const auto& d = rows[i];
            const auto x = [&](double offset) { return detail::num(static_cast<double>(i) + offset, 2); };
            if (d.down_delay_s)
                gp << "set label " << label++ << " '" << detail::num(*d.down_delay_s * 1e3, *d.down_delay_s < 0.01 ? 2 : 1) << "' at " << x(-0.15) << ", "
                   << ms(d.down_delay_s) << " center offset 0,0.7 font ',8'\n";
            if (d.up_delay_s)
                gp << "set label " << label++ << " '" << detail::num(*d.up_delay_s * 1e3, *d.up_delay_s < 0.01 ? 2 : 1) << "' at " << x(0.15) << ", "
                   << ms(d.up_delay_s) << " center offset 0,0.7 font ',8'\n";
            if (d.downs > 0 && !d.down_delay_s)
                gp << "set label " << label++ << " 'down: not marked' at " << detail::num(static_cast<double>(i) - 0.2, 2)
                   << ", graph 0.05 center rotate by 90 font ',8'\n";
            if (d.ups > 0 && !d.up_delay_s)
                gp << "set label " << label++ << " 'up: not marked' at " << detail::num(static_cast<double>(i) + 0.2, 2)
                   << ", graph 0.05 center rotate by 90 font ',8'\n";
        }
        // A series with no bar at all is left out (gnuplot refuses an empty one); with
        // neither, the axis alone carries the "not marked" labels.
        bool any[2] = {false, false};
        for (const auto& d : rows) {
            any[0] = any[0] || d.down_delay_s.has_value();
            any[1] = any[1] || d.up_delay_s.has_value();
        }
        static constexpr const char* series[2] = {"title 'down detected after (ms)' lc rgb '#c62828'",
                                                  "title 'up detected after (ms)' lc rgb '#1a7f37'"};
        if (!any[0] && !any[1]) {
            gp << "set yrange [0.001:1000]\nset xrange [-0.5:" << detail::num(static_cast<double>(rows.size()) - 0.5, 1) << "]\n";
            gp << "set xtics (";
            for (std::size_t i = 0; i < rows.size(); ++i) gp << (i ? ", " : "") << detail::quote(rows[i].node) << ' ' << i;
            gp << ")\nplot 1/0 notitle\n";
            return;
        }
        gp << "plot ";
        bool first = true;
        for (int pass = 0; pass < 2; ++pass)
            if (any[pass]) {
                gp << (first ? "" : ", ") << "'-' using 2:xtic(1) " << series[pass];
                first = false;
            }
        gp << "\n";
        for (int pass = 0; pass < 2; ++pass) {
            if (!any[pass]) continue;
            for (const auto& d : rows) gp << '"' << detail::data_word(d.node) << "\" " << ms(pass == 0 ? d.down_delay_s : d.up_delay_s) << '\n';
            gp << "e\n";
        }
    });
}

}  // namespace routelab::plots
