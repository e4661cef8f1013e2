#pragma once
// `routelab report DB... --out FILE.html`: one self-contained HTML page for every run of
// the given results databases (sim/report).
#include <string>
#include <vector>

namespace routelab::cli {

struct ReportOptions {
    std::vector<std::string> db_paths;
    std::string out_path;
    std::string figures_dir;   // --figures: also every figure as PNG and SVG files here
};

// Returns the process exit code: 0 written, 2 no such database, 3 unreadable or unwritable.
// Never throws.
int report_command(const ReportOptions& options);

}  // namespace routelab::cli
