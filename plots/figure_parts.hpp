#pragma once
// Internal to routelab_plots: pieces several figures share. Fault windows shaded and
// labelled (as the latency figure always drew them), the width of a run's windows, and
// numbers printed the same way on every machine (fixed decimals, no locale).
#include <algorithm>
#include <cstdio>
#include <ostream>
#include <string>
#include <vector>

#include "plots/gnuplot_run.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::plots::detail {

inline std::string num(double v, int decimals = 6) {
    char buf[48];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// Shades each fault window (an unreverted one runs to end_s) behind the plot and labels
// it at the top; objects and labels are numbered from `first` so a figure can add its own.
inline void shade_faults(std::ostream& gp, const std::vector<results::FaultWindow>& faults, double end_s, int first = 1) {
    int object = first;
    for (const auto& f : faults) {
        const double to = f.end_s >= 0 ? f.end_s : end_s;
        gp << "set object " << object << " rect from " << num(f.start_s) << ", graph 0 to " << num(std::max(to, f.start_s + 0.01))
           << ", graph 1 behind fillcolor rgb '#f4cccc' fillstyle solid 0.5 noborder\n";
        gp << "set label " << (100 + object) << " " << quote(f.description) << " at " << num(f.start_s) << ", graph "
           << num(0.97 - 0.05 * ((object - first) % 4), 2) << " left font ',8' front\n";
        ++object;
    }
}

// The windows' width: the smallest gap between two window starts (1 s if unknown).
template <class Row>
double window_width(const std::vector<Row>& rows) {
    double width = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
        const double gap = rows[i].start_s - rows[i - 1].start_s;
        if (gap > 1e-9 && (width == 0 || gap < width)) width = gap;
    }
    return width > 0 ? width : 1.0;
}

// A gnuplot-safe word for a data line (no quotes, backslashes or spaces).
inline std::string data_word(const std::string& text) {
    std::string out;
    for (char c : text) out += (c == '"' || c == '\\' || c == '\n' || c == ' ' || c == '\'') ? '_' : c;
    return out.empty() ? "_" : out;
}

}  // namespace routelab::plots::detail
