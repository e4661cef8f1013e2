#include "sim/report/figures.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>
#include <system_error>

#include "plots/plots.hpp"
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

template <class Draw>
Figure FigureMaker::draw(const std::string& caption, Draw&& draw_to) {
    Figure f;
    f.caption = caption;
    const std::string path = (std::filesystem::path(dir_) / ("figure" + std::to_string(++count_) + ".svg")).string();
    try {
        draw_to(path);
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

std::vector<Figure> FigureMaker::run_figures(const RunView& run) {
    const std::string& db = run.db_path;
    const std::int64_t id = run.run.run_id;
    std::vector<Figure> out;
    out.push_back(draw("Latency percentiles per window (fault windows shaded)",
                       [&](const std::string& p) { plots::plot_latency_over_time(db, id, p, plots::ImageFormat::svg); }));
    out.push_back(draw("Requests coordinated per node",
                       [&](const std::string& p) { plots::plot_node_load(db, id, p, plots::ImageFormat::svg); }));
    return out;
}

std::vector<Figure> FigureMaker::comparison_figures(const std::vector<RunView>& runs) {
    std::vector<Figure> out;
    if (runs.size() < 2) return out;
    std::vector<plots::RunRef> refs;
    for (const auto& r : runs) refs.push_back({r.db_path, r.run.run_id});
    out.push_back(draw("Latency CDFs of every run (log-scaled latency, stretched tail)",
                       [&](const std::string& p) { plots::plot_latency_cdfs(refs, p, plots::ImageFormat::svg); }));
    return out;
}

}  // namespace routelab::report::detail
