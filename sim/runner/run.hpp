#pragma once
// One run of one scenario with one seed, in virtual time.
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/checks/suite.hpp"
#include "sim/results/run_record.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::runner {

// Keeps the traced events of one range of simulated time (for locating where runs part).
struct TraceCapture {
    sim::Time from;
    sim::Time to;
    std::size_t max_events = 1'000'000;
};

struct RunOptions {
    std::uint64_t seed = 1;
    std::uint64_t max_events = 500'000'000;   // livelock guard
    WorldOptions world{};                     // test seams; empty for scenarios
    std::optional<TraceCapture> capture{};    // RunRecord::captured_events
};

// Builds the World for (scenario, seed), runs it to completion with its checks and
// reports. Never reads the wall clock: the caller measures wall time and fills
// RunRecord::wall_s.
results::RunRecord run_scenario(const scenario::Scenario& scenario, const RunOptions& options);

// The checks a run of the scenario makes: its [[checks]] (plus no_request_lost and
// every_request_ends_once when not listed), or the default set when it lists none.
std::vector<checks::CheckDefinition> check_definitions(const scenario::Scenario& scenario);

}  // namespace routelab::runner
