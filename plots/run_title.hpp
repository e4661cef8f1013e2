#pragma once
// Internal to routelab_plots: "scenario <name>, seed <n>, policy <p>" for a stored run.
#include <cstdint>
#include <string>

#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots::detail {

inline std::string run_title(const std::string& db_path, std::int64_t run_id) {
    const results::RunRow run = results::read_run(db_path, run_id);
    return run.scenario_name + ", seed " + std::to_string(run.seed) + ", policy " + run.policy;
}

}  // namespace routelab::plots::detail
