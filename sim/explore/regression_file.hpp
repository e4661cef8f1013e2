#pragma once
// The file a shrunk failure is kept in: a runnable scenario with comments saying where it
// came from (scenario, exploration seed, run, seed), the check it fails and how, its size
// before and after, and the shrink steps. `routelab run FILE` fails the same check.
#include <string>
#include <vector>

#include "sim/explore/outcome.hpp"

namespace routelab::explore {

struct RegressionInfo {
    std::string source;              // the explored scenario file
    std::uint64_t explore_seed = 0;
    std::size_t run_index = 0;
    std::uint64_t seed = 0;
    std::string check;
    std::string detail;
    Size before, after;
    std::vector<std::string> steps;
};

// The file's text: comments, then the scenario (its [explore] table left out).
std::string regression_text(const Doc& shrunk, const RegressionInfo& info);

// A file name for it: <scenario>-<check>-seed<S>.toml, with only [A-Za-z0-9_.-].
std::string regression_file_name(const std::string& scenario_name, const RegressionInfo& info);

}  // namespace routelab::explore
