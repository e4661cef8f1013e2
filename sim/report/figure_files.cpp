// The report's figures as files (PNG for a README or a chat, SVG for a page), drawn from
// the same plans as the inline figures.
#include <filesystem>
#include <system_error>

#include "sim/report/figures.hpp"
#include "sim/report/report.hpp"
#include "sim/results/sweep_summary.hpp"

namespace routelab::report {

std::vector<std::string> write_figures(const std::vector<std::string>& db_paths, const std::string& dir) {
    std::vector<detail::RunView> runs;
    std::vector<std::pair<std::string, std::vector<detail::FigurePlan>>> groups;   // file prefix, plans
    try {
        runs = detail::read_run_views(db_paths);
        int sweeps = 0;
        for (const auto& path : db_paths)
            if (results::is_sweep_database(path)) groups.emplace_back("sweep" + std::to_string(++sweeps) + "-", detail::sweep_figure_plans(path));
    } catch (const std::exception& e) {
        throw ReportError(e.what());
    }
    if (runs.empty()) throw ReportError((db_paths.empty() ? std::string("report") : db_paths.front()) + ": no runs to draw");
    groups.emplace_back("compare-", detail::comparison_figure_plans(runs));
    for (const auto& r : runs) groups.emplace_back("run" + std::to_string(r.index) + "-", detail::run_figure_plans(r));
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) throw ReportError(dir + ": cannot create the figures' directory: " + ec.message());
    std::vector<std::string> written;
    for (const auto& [prefix, plans] : groups)
        for (const auto& plan : plans)
            for (const auto format : {plots::ImageFormat::png, plots::ImageFormat::svg}) {
                const std::string path =
                    (std::filesystem::path(dir) / (prefix + plan.name + (format == plots::ImageFormat::png ? ".png" : ".svg"))).string();
                try {
                    plan.draw(path, format);
                } catch (const std::exception& e) {
                    throw ReportError(e.what());
                }
                written.push_back(path);
            }
    return written;
}

}  // namespace routelab::report
