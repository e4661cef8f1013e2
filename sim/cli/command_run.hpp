#pragma once
// `routelab run SCENARIO.toml [--seed N] [--set KEY=VALUE]... [--out DIR] [--quiet]`: parse, simulate, store the
// results database and plots in DIR, print a summary.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/runner/world.hpp"

namespace routelab::cli {

// Exit codes of `routelab run`.
inline constexpr int exit_pass = 0;         // the run's verdict is "pass"
inline constexpr int exit_fail = 1;         // the run's verdict is anything else
inline constexpr int exit_bad_input = 2;    // bad command line or scenario file
inline constexpr int exit_io_error = 3;     // could not create DIR or write the results database

struct RunCommandOptions {
    std::string scenario_path;
    std::optional<std::uint64_t> seed;      // overrides [scenario].seed
    std::string out_dir;                    // empty: out/<scenario name>-seed<N>
    std::vector<std::string> overrides;     // "KEY=VALUE" (--set), applied in order
    bool quiet = false;
    bool plots = true;                      // false (--no-plots): the database only                     // no summary (errors and a failing verdict still print)
    runner::WorldOptions world{};           // test seams (a test binary's planted bugs); empty for routelab
};

// Runs the command; returns the process exit code. Never throws.
int run_command(const RunCommandOptions& options);

}  // namespace routelab::cli
