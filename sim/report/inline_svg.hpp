#pragma once
// Internal to routelab_report: a gnuplot SVG file made fit to sit inside an HTML page
// next to others: the XML prologue goes, and every id (and every reference to one:
// href="#..", url(#..)) gets a prefix, so the point symbols and clip paths of one figure
// never resolve to another's.
#include <string>
#include <string_view>

namespace routelab::report::detail {

// Throws std::runtime_error if the text holds no <svg> element.
std::string inline_svg(std::string_view svg_file, std::string_view id_prefix);

}  // namespace routelab::report::detail
