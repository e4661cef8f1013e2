#include "sim/cli/command_run.hpp"

#include <exception>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <fmt/format.h>
#include <xxhash.h>

#include "plots/plots.hpp"
#include "sim/cli/summary.hpp"
#include "sim/live/wall_stopwatch.hpp"
#include "sim/report/report.hpp"
#include "sim/results/sqlite_sink.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/parse.hpp"

namespace routelab::cli {
namespace {

// The file's bytes; empty if unreadable.
std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in && !in.eof()) return {};
    return bytes;
}

// XXH64 (seed 0) of the bytes as 16 hex digits.
std::string bytes_hash(const std::string& bytes) { return results::hex16(XXH64(bytes.data(), bytes.size(), 0)); }

std::string build_id() { return std::string(ROUTELAB_VERSION) + " " + ROUTELAB_BUILD_TYPE; }

}  // namespace

int run_command(const RunCommandOptions& options) {
    try {
        std::vector<scenario::Override> overrides;
        if (auto bad = scenario::parse_overrides(options.overrides, overrides)) {
            fmt::print(stderr, "{}\n", bad->to_string());
            return exit_bad_input;
        }
        const auto parsed = scenario::parse_scenario_file(options.scenario_path, overrides);
        if (!parsed) {
            fmt::print(stderr, "{}\n", parsed.error().to_string());
            return exit_bad_input;
        }
        const scenario::Scenario& sc = parsed.scenario();
        const std::uint64_t seed = options.seed.value_or(sc.seed);

        const std::filesystem::path dir =
            options.out_dir.empty() ? std::filesystem::path("out") / fmt::format("{}-seed{}", sc.name, seed)
                                    : std::filesystem::path(options.out_dir);
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        if (ec) {
            fmt::print(stderr, "routelab: cannot create output directory {}: {}\n", dir.string(), ec.message());
            return exit_io_error;
        }

        live::WallStopwatch stopwatch;
        runner::RunOptions run_options;
        run_options.seed = seed;
        run_options.world = options.world;
        results::RunRecord run = runner::run_scenario(sc, run_options);
        run.wall_s = stopwatch.elapsed_s();
        run.scenario_path = options.scenario_path;
        run.scenario_text = file_bytes(options.scenario_path);
        run.scenario_overrides = scenario::overrides_text(overrides);
        // With overrides, the hash covers them too (a plain run keeps the file's own hash).
        run.scenario_hash = bytes_hash(run.scenario_text + run.scenario_overrides);
        run.build = build_id();
        if (run.scenario_name.empty()) run.scenario_name = sc.name;
        if (run.policy.empty()) run.policy = sc.driver.policy;
        run.seed = seed;

        SummaryInput summary;
        summary.run = &run;
        summary.db_path = (dir / "results.sqlite").string();
        try {
            summary.run_id = results::write_run(summary.db_path, run);
        } catch (const results::ResultsError& e) {
            fmt::print(stderr, "routelab: {}\n", e.what());
            return exit_io_error;
        }

        const std::string latency_png = (dir / "latency.png").string();
        const std::string load_png = (dir / "node_load.png").string();
        if (options.plots) try {
            plots::plot_latency_over_time(summary.db_path, summary.run_id, latency_png);
            summary.plots.push_back(latency_png);
            plots::plot_node_load(summary.db_path, summary.run_id, load_png);
            summary.plots.push_back(load_png);
        } catch (const plots::PlotError& e) {
            // The results database is complete; a missing plot is reported, not fatal.
            summary.plot_errors.push_back(e.what());
            fmt::print(stderr, "routelab: warning: {}\n", e.what());
        }

        // The report reads only the database, like the plots; it too is not fatal.
        const std::string report_html = (dir / "report.html").string();
        try {
            report::write_report({summary.db_path}, report_html);
            summary.report = report_html;
        } catch (const report::ReportError& e) {
            fmt::print(stderr, "routelab: warning: {}\n", e.what());
        }

        if (!options.quiet) fmt::print("{}", format_summary(summary));
        if (run.verdict != "pass") {
            fmt::print(stderr, "routelab: run failed: {}\n", run.verdict);
            return exit_fail;
        }
        return exit_pass;
    } catch (const std::exception& e) {
        fmt::print(stderr, "routelab: {}\n", e.what());
        return exit_io_error;
    }
}

}  // namespace routelab::cli
