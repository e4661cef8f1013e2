#pragma once
// `routelab replay RESULTS.sqlite [--run N] [--set KEY=VALUE]...`: reruns a stored run from
// the database alone (its scenario text, overrides and seed) and says `replayed: same trace
// hash`, or where the runs part: the first window whose trace checkpoint differs, then —
// by two more runs that capture only that window — the first differing traced event.
// With --set, the replay changes a setting and shows where that change first shows.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace routelab::cli {

struct ReplayOptions {
    std::string db_path;
    std::optional<std::int64_t> run_id;   // default: the latest run
    std::vector<std::string> overrides;   // KEY=VALUE over the stored scenario
};

// 0 same trace hash, 1 diverged, 2 bad input (no such run, no stored scenario).
int replay_command(const ReplayOptions& options);

}  // namespace routelab::cli
