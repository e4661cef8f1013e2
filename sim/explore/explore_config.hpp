#pragma once
// The scenario's [explore] table: what exploration may vary and how far
// (scenarios/README.md, "[explore]"). Flags change it through `--set explore.KEY=VALUE`.
#include <optional>
#include <string>

#include "sim/explore/scenario_doc.hpp"

namespace routelab::explore {

struct ExploreConfig {
    bool vary_seed = true;             // seeds: each run gets its own [scenario].seed
    double fault_shift_s = 1.0;        // fault_shift_s: at_s moves by up to ± this
    double duration_scale_min = 0.5;   // fault_duration_scale = [min, max]: duration_s × U[min, max]
    double duration_scale_max = 2.0;
    bool retarget_faults = true;       // retarget_faults: a fault aimed at a node may hit another node
    double drop_fault_chance = 0.2;    // drop_fault_chance: each fault is left out with this chance
    int add_faults = 1;                // add_faults: up to this many copies of the faults at random times and nodes
    double rate_scale_min = 0.5;       // rate_scale = [min, max]: workload.rate_per_s × U[min, max]
    double rate_scale_max = 1.5;
};

// Reads doc's [explore] (defaults for missing keys). An error names the place as the
// scenario reader does: "file:line: explore.key: message".
std::optional<ExploreConfig> read_explore_config(const Doc& doc, const std::string& file, std::string& error);

}  // namespace routelab::explore
