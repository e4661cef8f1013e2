#pragma once
// `routelab report`: one self-contained HTML file for one run or a set of runs, read from
// results databases alone. Figures are inline SVG; styles are inline; the page loads
// nothing (no network, no scripts, no fonts, no images by URL). Every text taken from a
// database (the scenario file included) is HTML-escaped. The page holds no wall-clock
// figure, date or path, so the same runs give the same bytes.
#include <stdexcept>
#include <string>
#include <vector>

namespace routelab::report {

// A database that cannot be read, or no runs in any. The message names the file.
class ReportError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// The page for every run of every database, in argument order then run_id order.
std::string render_report(const std::vector<std::string>& db_paths);

// render_report written to out_path (replaced). Throws ReportError.
void write_report(const std::vector<std::string>& db_paths, const std::string& out_path);

// Every figure the report of these databases shows, as PNG and SVG files in `dir`
// (created if missing): run<k>-<name>, compare-<name> and sweep<k>-<name>, .png and .svg,
// k as in the report. Returns the paths written, in that order. Throws ReportError.
std::vector<std::string> write_figures(const std::vector<std::string>& db_paths, const std::string& dir);

}  // namespace routelab::report
