#pragma once
// Internal to routelab_report: the report's figures, drawn by plots/ from the results
// database alone. Inline SVG for the page (gnuplot's svg terminal, into a private
// temporary directory that is removed afterwards), or PNG and SVG files for a folder.
#include <functional>
#include <string>
#include <vector>

#include "plots/plots.hpp"
#include "sim/report/run_view.hpp"

namespace routelab::report::detail {

struct Figure {
    std::string caption;   // plain text
    std::string svg;       // an <svg> element ready to inline (ids prefixed)
    std::string error;     // why it could not be drawn (then svg is empty)
};

// A figure not drawn yet: its file name stem, caption and how to draw it.
struct FigurePlan {
    std::string name;      // e.g. "latency"; files are <prefix><name>.png / .svg
    std::string caption;
    std::function<void(const std::string& path, plots::ImageFormat format)> draw;
};

// The figures of one run, in the order the report shows them.
std::vector<FigurePlan> run_figure_plans(const RunView& run);
// Figures that compare every run (empty for a single run).
std::vector<FigurePlan> comparison_figure_plans(const std::vector<RunView>& runs);
// A sweep database's heat maps.
std::vector<FigurePlan> sweep_figure_plans(const std::string& sweep_db);

class FigureMaker {
public:
    FigureMaker();    // creates the temporary directory; throws std::runtime_error
    ~FigureMaker();   // removes it
    FigureMaker(const FigureMaker&) = delete;
    FigureMaker& operator=(const FigureMaker&) = delete;

    std::vector<Figure> draw(const std::vector<FigurePlan>& plans);

private:
    Figure draw_one(const FigurePlan& plan);

    std::string dir_;
    int count_ = 0;   // figures drawn: names files and prefixes ids
};

}  // namespace routelab::report::detail
