#include "sim/cli/command_report.hpp"

#include <exception>
#include <filesystem>

#include <fmt/format.h>

#include "sim/cli/command_run.hpp"
#include "sim/report/report.hpp"

namespace routelab::cli {

int report_command(const ReportOptions& options) {
    for (const auto& path : options.db_paths) {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
            fmt::print(stderr, "routelab report: {}: no such results database\n", path);
            return exit_bad_input;
        }
    }
    try {
        report::write_report(options.db_paths, options.out_path);
        if (!options.figures_dir.empty()) {
            const auto files = report::write_figures(options.db_paths, options.figures_dir);
            fmt::print("figures: {} files in {}\n", files.size(), options.figures_dir);
        }
    } catch (const std::exception& e) {
        fmt::print(stderr, "routelab report: {}\n", e.what());
        return exit_io_error;
    }
    fmt::print("report: {}\n", options.out_path);
    return exit_pass;
}

}  // namespace routelab::cli
