#pragma once
// Internal to routelab_plots: runs one gnuplot script that writes one PNG, and checks
// that the PNG exists and is non-empty afterwards.
#include <functional>
#include <ostream>
#include <string>

#include "plots/plots.hpp"

namespace routelab::plots::detail {

// The gnuplot executable: $ROUTELAB_GNUPLOT if set, else "gnuplot" searched on PATH.
// Throws PlotError if it cannot be found.
std::string find_gnuplot();

// A gnuplot single-quoted string literal ('' escapes a quote).
std::string quote(const std::string& text);

// Sends `write_script(out)` to a fresh gnuplot whose terminal is pngcairo at png_path,
// waits for it to exit, then checks the PNG. Throws PlotError.
void render_png(const std::string& png_path, const std::function<void(std::ostream&)>& write_script);
// The same in either format (svg: gnuplot's svg terminal, same size, no mouse script).
void render(const std::string& path, ImageFormat format, const std::function<void(std::ostream&)>& write_script);

}  // namespace routelab::plots::detail
