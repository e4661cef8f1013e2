#pragma once
// Internal to routelab_plots: "scenario <name>, seed <n>, policy <p>" for a stored run,
// followed by its --set overrides when it had any ("[token_aware=false, ...]", each key
// by its last dotted part), so the runs of a sweep are told apart.
#include <cstdint>
#include <sstream>
#include <string>

#include "sim/results/sqlite_reader.hpp"

namespace routelab::plots::detail {

inline std::string overrides_suffix(const std::string& overrides) {
    std::istringstream lines(overrides);
    std::string line, out;
    while (std::getline(lines, line)) {
        const auto eq = line.find(" = ");
        if (eq == std::string::npos) continue;
        std::string key = line.substr(0, eq);
        if (const auto dot = key.rfind('.'); dot != std::string::npos) key = key.substr(dot + 1);
        out += (out.empty() ? "" : ", ") + key + "=" + line.substr(eq + 3);
    }
    return out.empty() ? "" : " [" + out + "]";
}

inline std::string run_title(const std::string& db_path, std::int64_t run_id) {
    const results::RunRow run = results::read_run(db_path, run_id);
    return run.scenario_name + ", seed " + std::to_string(run.seed) + ", policy " + run.policy +
           overrides_suffix(results::read_scenario_overrides(db_path, run_id));
}

}  // namespace routelab::plots::detail
