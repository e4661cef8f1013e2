#pragma once
// Runs a scenario document once and says which of its checks failed. A failure is named
// by its check's `id`, else its checker's name (what `routelab run` prints); a run that
// failed without a failed check (start-up, the event guard) is named by its verdict.
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "sim/explore/scenario_doc.hpp"
#include "sim/runner/world.hpp"

namespace routelab::explore {

struct Failure {
    std::string check;    // id or checker name, or "verdict: ..." for a run that failed otherwise
    std::string detail;   // the check's value against its limit and first breach
};

struct Outcome {
    bool valid = false;           // the scenario reader accepted the document
    std::string error;            // why not
    std::string verdict;
    std::vector<Failure> failures;
    bool fails(const std::string& check) const;
};

// The size of a scenario, for reporting what shrinking achieved.
struct Size {
    std::size_t datacenters = 0, racks = 0, nodes = 0, faults = 0, clients = 0;
    double duration_s = 0, rate_per_s = 0;
    std::string text() const;
};
Size size_of(const scenario::Scenario& s);

// Runs whatever World seams the caller plants (tests); empty for real scenarios.
Outcome run_doc(const Doc& doc, const runner::WorldOptions& world);

}  // namespace routelab::explore
