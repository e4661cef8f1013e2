#pragma once
// One run of one scenario with one seed, in virtual time.
#include <cstdint>

#include "sim/results/run_record.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::runner {

struct RunOptions {
    std::uint64_t seed = 1;
    std::uint64_t max_events = 500'000'000;   // livelock guard
};

// Builds the World for (scenario, seed), runs it to completion and reports. Never reads
// the wall clock: the caller measures wall time and fills RunRecord::wall_s.
results::RunRecord run_scenario(const scenario::Scenario& scenario, const RunOptions& options);

}  // namespace routelab::runner
