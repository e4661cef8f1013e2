#pragma once
// Internal to routelab_report: the report's figures as inline SVG, drawn by plots/ from
// the results database alone (gnuplot's svg terminal, into a private temporary
// directory that is removed afterwards).
#include <string>
#include <vector>

#include "sim/report/run_view.hpp"

namespace routelab::report::detail {

struct Figure {
    std::string caption;   // plain text
    std::string svg;       // an <svg> element ready to inline (ids prefixed)
    std::string error;     // why it could not be drawn (then svg is empty)
};

class FigureMaker {
public:
    FigureMaker();    // creates the temporary directory; throws std::runtime_error
    ~FigureMaker();   // removes it
    FigureMaker(const FigureMaker&) = delete;
    FigureMaker& operator=(const FigureMaker&) = delete;

    // The figures of one run, in the order the report shows them.
    std::vector<Figure> run_figures(const RunView& run);
    // Figures that compare every run (empty for a single run).
    std::vector<Figure> comparison_figures(const std::vector<RunView>& runs);

private:
    template <class Draw>
    Figure draw(const std::string& caption, Draw&& draw_to);

    std::string dir_;
    int count_ = 0;   // figures drawn: names files and prefixes ids
};

}  // namespace routelab::report::detail
