#include <utility>

#include "plots/gnuplot_run.hpp"
#include "plots/plots.hpp"
#include "plots/run_title.hpp"
#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots {

void plot_node_load(const std::string& db_path, std::int64_t run_id, const std::string& png_path) {
    plot_node_load(db_path, run_id, png_path, ImageFormat::png);
}

void plot_node_load(const std::string& db_path, std::int64_t run_id, const std::string& png_path, ImageFormat format) {
    const auto [title, nodes] = [&] {
        try {
            return std::make_pair(detail::run_title(db_path, run_id), results::read_node_load(db_path, run_id));
        } catch (const results::ResultsError& e) {
            throw PlotError(e.what());
        }
    }();
    detail::render(png_path, format, [&](std::ostream& gp) {
        gp << "set title " << detail::quote("Requests coordinated per node: " + title) << "\n";
        gp << "set ylabel 'requests'\n";
        gp << "set yrange [0:*]\n";
        gp << "set grid ytics\n";
        gp << "set style data histograms\n";
        gp << "set style histogram clustered gap 1\n";
        gp << "set style fill solid 0.8 border -1\n";
        gp << "set boxwidth 0.8\n";
        gp << "set key off\n";
        if (nodes.size() > 8) gp << "set xtics rotate by -45\n";
        if (nodes.empty()) {
            gp << "set label 1 'no node load recorded' at graph 0.5, graph 0.5 center\n";
            gp << "set yrange [0:1]\n";
            gp << "plot 1/0 notitle\n";
            return;
        }
        gp << "plot '-' using 2:xtic(1) title 'requests'\n";
        for (const auto& n : nodes) {
            std::string name;
            for (char c : n.node) name += (c == '"' || c == '\\' || c == '\n') ? '_' : c;
            gp << '"' << name << "\" " << n.requests_coordinated << '\n';
        }
        gp << "e\n";
    });
}

}  // namespace routelab::plots
