#pragma once
// `routelab explore SCENARIO.toml --runs N [--seed S] [--jobs J] [--set KEY=VALUE]...
// [--regressions DIR] [--no-shrink]`: runs N random variations of the scenario (within its
// [explore] table), prints a table of the checks that failed with the runs and seeds, and
// shrinks the first failing run of each failed check to a runnable scenario file in DIR.
// `--print-run I` prints the scenario run I would run (TOML), and runs nothing.
// Exit 0 when every run passed, 1 when some failed, 2 on bad input, 3 when DIR cannot be written.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/runner/world.hpp"

namespace routelab::cli {

struct ExploreCommandOptions {
    std::string scenario_path;
    std::size_t runs = 100;
    std::uint64_t seed = 1;
    unsigned jobs = 1;
    std::vector<std::string> overrides;          // --set KEY=VALUE, explore.* keys included
    bool shrink = true;
    std::size_t max_shrink_runs = 300;           // per failed check
    std::string regressions_dir = "scenarios/regressions";
    bool progress_bar = false;                   // draw it even when stderr is not a terminal
    std::optional<std::size_t> print_run;        // --print-run I: print run I's scenario text, run nothing
    runner::WorldOptions world{};                // test seams (tests/explore's planted bugs)
};

int explore_command(const ExploreCommandOptions& options);

}  // namespace routelab::cli
