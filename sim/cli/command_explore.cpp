#include "sim/cli/command_explore.hpp"

#include <filesystem>
#include <fstream>

#include <fmt/format.h>
#include <unistd.h>

#include "sim/cli/command_run.hpp"
#include "sim/explore/explore.hpp"
#include "sim/explore/regression_file.hpp"
#include "sim/explore/shrink.hpp"
#include "sim/live/wall_stopwatch.hpp"

namespace routelab::cli {
namespace {

// Shrinks run `f.indexes.front()` of the exploration, writes its file, says what it did.
int shrink_failure(const ExploreCommandOptions& options, const explore::Doc& base, const scenario::Scenario& parsed,
                   const explore::ExploreConfig& config, const explore::FailureSummary& f) {
    const std::size_t index = f.indexes.front();
    const auto variation = explore::vary(base, parsed, config, options.seed, index);
    if (!variation) return exit_fail;
    fmt::print("\nshrinking run {} (seed {}), failing {}:\n", index, variation->seed, f.check);
    explore::RegressionInfo info;
    info.source = options.scenario_path;
    info.explore_seed = options.seed;
    info.run_index = index;
    info.seed = variation->seed;
    info.check = f.check;
    info.before = explore::size_of(explore::parse_doc(variation->doc, "explored").scenario());
    std::size_t step = 0;
    const auto shrunk = explore::shrink(variation->doc, f.check, options.world, options.max_shrink_runs,
                                        [&](const std::string& s) { fmt::print("  {:>3}. {}\n", ++step, s); });
    info.after = explore::size_of(explore::parse_doc(shrunk.doc, "shrunk").scenario());
    info.steps = shrunk.steps;
    info.detail = shrunk.detail;
    const std::string text = explore::regression_text(shrunk.doc, info);

    std::error_code ec;
    std::filesystem::create_directories(options.regressions_dir, ec);
    const std::filesystem::path path =
        std::filesystem::path(options.regressions_dir) / explore::regression_file_name(parsed.name, info);
    std::ofstream out(path, std::ios::binary);
    out << text;
    out.close();
    if (ec || !out) {
        fmt::print(stderr, "routelab: cannot write {}\n", path.string());
        return exit_io_error;
    }
    // What was written is what reruns: read the file back and run it once more.
    std::string error;
    const auto written = explore::read_doc_file(path.string(), error);
    const bool same = written && explore::run_doc(*written, options.world).fails(f.check);
    fmt::print("  {} shrink runs; before: {}\n  after:  {}\n  wrote {} ({})\n", shrunk.trials, info.before.text(),
               info.after.text(), path.string(), same ? "rerun: fails " + f.check : "RERUN DID NOT FAIL THE CHECK");
    return same ? exit_fail : exit_io_error;
}

}  // namespace

int explore_command(const ExploreCommandOptions& options) {
    try {
        // Errors with the file's own lines: the scenario reader on the file and the flags.
        std::vector<scenario::Override> overrides;
        if (auto bad = scenario::parse_overrides(options.overrides, overrides)) {
            fmt::print(stderr, "{}\n", bad->to_string());
            return exit_bad_input;
        }
        const auto checked = scenario::parse_scenario_file(options.scenario_path, overrides);
        if (!checked) {
            fmt::print(stderr, "{}\n", checked.error().to_string());
            return exit_bad_input;
        }
        std::string error;
        auto base = explore::read_doc_file(options.scenario_path, error);
        if (!base) {
            fmt::print(stderr, "{}\n", error);
            return exit_bad_input;
        }
        for (const auto& o : overrides)
            if (!explore::set_dotted(*base, o.key, o.value, error)) {
                fmt::print(stderr, "{}: {}: {}\n", o.flag(), o.key, error);
                return exit_bad_input;
            }
        const auto config = explore::read_explore_config(*base, options.scenario_path, error);
        if (!config) {
            fmt::print(stderr, "{}\n", error);
            return exit_bad_input;
        }
        const auto parsed = explore::parse_doc(*base, options.scenario_path);
        if (!parsed) {
            fmt::print(stderr, "{}\n", parsed.error().to_string());
            return exit_bad_input;
        }

        if (options.print_run) {
            const auto v = explore::vary(*base, parsed.scenario(), *config, options.seed, *options.print_run);
            if (!v) {
                fmt::print(stderr, "routelab: run {} has no valid variation\n", *options.print_run);
                return exit_fail;
            }
            fmt::print("# Run {} of the exploration of {} with seed {}:\n", *options.print_run, options.scenario_path, options.seed);
            for (const auto& change : v->changes) fmt::print("#   {}\n", change);
            fmt::print("\n{}", explore::doc_text(v->doc));
            return exit_pass;
        }

        explore::ExploreOptions eo;
        eo.runs = options.runs;
        eo.seed = options.seed;
        eo.jobs = options.jobs;
        eo.world = options.world;
        const bool bar = options.progress_bar || isatty(STDERR_FILENO) == 1;
        std::size_t failed = 0;
        live::WallStopwatch stopwatch;
        const auto result = explore::explore(*base, parsed.scenario(), *config, eo,
                                             [&](std::size_t done, std::size_t total, const explore::RunResult& r) {
            failed += r.failures.empty() ? 0U : 1U;
            if (bar) {
                fmt::print(stderr, "\rexplore: {}/{} runs, {} failed", done, total, failed);
                if (done == total) fmt::print(stderr, "\n");
                return;
            }
            std::string what = r.valid ? "pass" : "no valid variation";
            if (!r.failures.empty()) {
                what = "FAIL";
                for (const auto& f : r.failures) what += " " + f.check;
            }
            fmt::print(stderr, "explore: run {} ({}/{}, seed {}): {}\n", r.index, done, total, r.seed, what);
        });
        fmt::print("{}", explore::failure_table(result));
        fmt::print("explored {} runs in {:.1f} s (wall)\n", result.runs.size(), stopwatch.elapsed_s());
        if (result.failures.empty()) return exit_pass;
        if (!options.shrink) return exit_fail;
        int code = exit_fail;
        for (const auto& f : result.failures) {
            const int c = shrink_failure(options, *base, parsed.scenario(), *config, f);
            if (c != exit_fail) code = c;
        }
        return code;
    } catch (const std::exception& e) {
        fmt::print(stderr, "routelab: {}\n", e.what());
        return exit_io_error;
    }
}

}  // namespace routelab::cli
