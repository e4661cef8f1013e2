#include "sim/report/figures.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include "sim/results/driver_view_tables.hpp"
#include "sim/report/inline_svg.hpp"

namespace routelab::report::detail {

FigureMaker::FigureMaker() {
    std::error_code ec;
    const auto base = std::filesystem::temp_directory_path(ec);
    if (ec) throw std::runtime_error("no temporary directory for the figures: " + ec.message());
    std::string templ = (base / "routelab-report-XXXXXX").string();
    if (::mkdtemp(templ.data()) == nullptr)
        throw std::runtime_error("cannot create a temporary directory for the figures in " + base.string());
    dir_ = templ;
}

FigureMaker::~FigureMaker() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);   // best effort
}

Figure FigureMaker::draw_one(const FigurePlan& plan) {
    Figure f;
    f.caption = plan.caption;
    const std::string path = (std::filesystem::path(dir_) / ("figure" + std::to_string(++count_) + ".svg")).string();
    try {
        plan.draw(path, plots::ImageFormat::svg);
        std::ifstream in(path, std::ios::binary);
        const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        f.svg = inline_svg(text, "f" + std::to_string(count_) + "-");
    } catch (const std::exception& e) {
        f.error = e.what();
    }
    std::error_code ec;
    std::filesystem::remove(path, ec);
    return f;
}

std::vector<Figure> FigureMaker::draw(const std::vector<FigurePlan>& plans) {
    std::vector<Figure> out;
    for (const auto& p : plans) out.push_back(draw_one(p));
    return out;
}

std::vector<FigurePlan> run_figure_plans(const RunView& run) {
    const std::string db = run.db_path;
    const std::int64_t id = run.run.run_id;
    std::vector<FigurePlan> out;
    out.push_back({"latency", "Latency percentiles per window (fault windows shaded)",
                   [=](const std::string& p, plots::ImageFormat f) { plots::plot_latency_over_time(db, id, p, f); }});
    out.push_back({"errors", "Failed requests per window, stacked by error kind",
                   [=](const std::string& p, plots::ImageFormat f) { plots::plot_errors_by_kind(db, id, p, f); }});
    out.push_back({"load-share", "Each node's share of the requests per window, and the driver's down/up marks against the real outages",
                   [=](const std::string& p, plots::ImageFormat f) { plots::plot_load_share(db, id, p, f); }});
    if (!run.transitions.empty())
        out.push_back({"detection", "How long the driver took to mark each node down and up",
                       [=](const std::string& p, plots::ImageFormat f) { plots::plot_detection_delay(db, id, p, f); }});
    if (run.keyed)
        out.push_back({"key-movement", "Keyed requests that moved to another node, per window",
                       [=](const std::string& p, plots::ImageFormat f) { plots::plot_key_movement({{db, id}}, p, f); }});
    out.push_back({"node-load", "Requests coordinated per node",
                   [=](const std::string& p, plots::ImageFormat f) { plots::plot_node_load(db, id, p, f); }});
    return out;
}

std::vector<FigurePlan> comparison_figure_plans(const std::vector<RunView>& runs) {
    std::vector<FigurePlan> out;
    if (runs.size() < 2) return out;
    std::vector<plots::RunRef> refs, keyed;
    for (const auto& r : runs) {
        refs.push_back({r.db_path, r.run.run_id});
        if (r.keyed) keyed.push_back({r.db_path, r.run.run_id});
    }
    out.push_back({"cdf", "Latency CDFs of every run (log-scaled latency, stretched tail)",
                   [=](const std::string& p, plots::ImageFormat f) { plots::plot_latency_cdfs(refs, p, f); }});
    if (keyed.size() >= 2)
        out.push_back({"key-movement", "Key movement of every run with session keys, per window",
                       [=](const std::string& p, plots::ImageFormat f) { plots::plot_key_movement(keyed, p, f); }});
    return out;
}

std::vector<FigurePlan> sweep_figure_plans(const std::string& sweep_db) {
    std::vector<FigurePlan> out;
    for (const auto& [name, metric] : {std::pair{"heatmap-p99", plots::SweepMetric::p99_ms},
                                       std::pair{"heatmap-errors", plots::SweepMetric::error_rate_percent}})
        out.push_back({name, "Heat map of the " + plots::metric_name(metric) + " over the sweep's knobs",
                       [=, m = metric](const std::string& p, plots::ImageFormat f) { plots::plot_sweep_heatmap(sweep_db, m, p, f); }});
    return out;
}

}  // namespace routelab::report::detail
