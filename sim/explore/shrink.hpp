#pragma once
// Shrinking a failing scenario: greedy passes over the document — drop faults, clients,
// other checks, datacenters and racks; fewer nodes per rack, a lower replication factor,
// fewer vnodes and shards; a shorter timeline, a lower rate, fewer users; constant or
// default distributions — each step kept only if the scenario still parses and still
// fails the same check, until no step applies (a fixpoint) or the trial budget is spent.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/explore/outcome.hpp"

namespace routelab::explore {

struct ShrinkResult {
    Doc doc;                         // the smallest failing scenario found
    std::vector<std::string> steps;  // the steps kept, in order
    std::size_t trials = 0;          // runs made
    std::string detail;              // the check's failure in the shrunk scenario
};

// `failing` must fail `check` (the caller ran it). `on_step(step)` is called for each kept step.
ShrinkResult shrink(const Doc& failing, const std::string& check, const runner::WorldOptions& world,
                    std::size_t max_trials, const std::function<void(const std::string&)>& on_step);

}  // namespace routelab::explore
