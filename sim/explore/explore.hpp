#pragma once
// `routelab explore`: runs N variations of a scenario (perturb.hpp), checks each run's
// [[checks]] and gathers what failed, how often and under which seeds. With jobs > 1 the
// runs are spread over forked worker processes; run i is the same scenario either way.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "sim/explore/explore_config.hpp"
#include "sim/explore/outcome.hpp"
#include "sim/explore/perturb.hpp"

namespace routelab::explore {

struct ExploreOptions {
    std::size_t runs = 100;
    std::uint64_t seed = 1;       // the exploration's seed: decides every variation
    unsigned jobs = 1;
    runner::WorldOptions world{}; // test seams, for every run
};

struct RunResult {
    std::size_t index = 0;
    std::uint64_t seed = 0;       // the run's [scenario].seed
    bool valid = true;            // false: no valid variation was drawn, or it was refused
    std::vector<Failure> failures;
};

struct FailureSummary {
    std::string check;
    std::size_t runs = 0;             // how many runs failed it
    std::vector<std::size_t> indexes; // those runs, in index order
    std::vector<std::uint64_t> seeds;
    std::string first_detail;
};

struct ExploreResult {
    std::vector<RunResult> runs;            // in index order
    std::vector<FailureSummary> failures;   // most frequent first, then by name
    std::size_t invalid = 0;
};

// `progress(done, total, result)` is called as each run ends (in the order runs end).
ExploreResult explore(const Doc& base, const scenario::Scenario& parsed, const ExploreConfig& config,
                      const ExploreOptions& options,
                      const std::function<void(std::size_t, std::size_t, const RunResult&)>& progress);

// The table `routelab explore` prints.
std::string failure_table(const ExploreResult& result);

}  // namespace routelab::explore
