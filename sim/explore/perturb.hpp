#pragma once
// One random variation of a scenario for exploration: a new seed, the fault timeline
// moved (times, durations, targets), faults dropped or added, the rate scaled — each as
// far as [explore] allows. Draws come from a stream derived from the exploration seed and
// the run's index only, so run i is the same scenario however many jobs run it.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/explore/explore_config.hpp"
#include "sim/explore/scenario_doc.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::explore {

struct Variation {
    Doc doc;                          // the scenario to run; its [scenario].seed is the run's seed
    std::uint64_t seed = 0;
    std::vector<std::string> changes; // what was varied, for the failure's file
};

// The variation of run `index`. A draw the scenario reader refuses (e.g. a start_node moved
// before its stop_node) is drawn again, up to 20 times; nullopt if none was valid.
std::optional<Variation> vary(const Doc& base, const scenario::Scenario& parsed, const ExploreConfig& config,
                              std::uint64_t explore_seed, std::size_t index);

}  // namespace routelab::explore
