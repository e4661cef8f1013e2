#pragma once
// `routelab sweep SCENARIO.toml --set KEY=V1,V2,... [--set ...] --seeds N [--first-seed S]
//  [--jobs J] [--shard I/N] [--resume] --out DIR`: runs every (knob values × seed) job of
// the grid as its own `routelab run` process, J at a time, and gathers the runs into
// DIR/sweep.sqlite; prints a comparison per grid point. `routelab merge OUT SLICE...` joins
// the databases of shards.
#include <cstdint>
#include <string>
#include <vector>

namespace routelab::cli {

struct SweepOptions {
    std::string scenario_path;
    std::vector<std::string> axes;   // "KEY=V1,V2,..."
    std::uint64_t seeds = 1;
    std::uint64_t first_seed = 1;
    unsigned jobs = 0;               // 0: the machine's cores
    std::string shard;               // "I/N"; empty: the whole grid
    bool resume = false;
    std::string out_dir;
    bool progress_bar = false;       // force the terminal progress bar
};

// Exit codes: 0 every job of the slice ran (whatever the runs' verdicts), 1 a job could not
// run (crash, signal, I/O), 2 bad input (nothing is written), 3 the results database.
int sweep_command(const SweepOptions& options);

int merge_command(const std::string& out, const std::vector<std::string>& slices);

}  // namespace routelab::cli
