#pragma once
// The checks of one run: built from the scenario's [[checks]] (or the default set),
// subscribed to the World's facts, and concluded into one result each and the run's
// verdict — the conjunction of them all.
#include <memory>
#include <string>
#include <vector>

#include "sim/checks/checker.hpp"
#include "sim/checks/params.hpp"

namespace routelab::checks {

struct CheckDefinition {
    std::string name;      // the checker
    std::string label;     // the check's id; may be empty
    Params params;
    ScopeSpec during;
    std::string client;   // empty: every client application
};

// The checks a scenario without [[checks]] runs.
std::vector<CheckDefinition> default_checks();
// Checks that always run (a lost request always fails a run); added when not listed.
std::vector<CheckDefinition> mandatory_checks();

// The instants of a scope, given the run's fault windows.
Scope resolve_scope(const ScopeSpec& spec, const std::vector<Interval>& fault_windows);
// Sorted, overlapping or touching intervals merged.
std::vector<Interval> merge_intervals(std::vector<Interval> intervals);

class CheckSuite {
public:
    // Precondition: every name is registered and every parameter set passed the parser's
    // checks (an unknown name throws std::invalid_argument).
    CheckSuite(const std::vector<CheckDefinition>& definitions, CheckEnv env);
    CheckSuite(const CheckSuite&) = delete;
    CheckSuite& operator=(const CheckSuite&) = delete;

    void subscribe(FactBus& bus, const WorldView& world);
    std::vector<results::CheckRecord> finish(sim::Time end);
    std::size_t size() const { return checkers_.size(); }

private:
    CheckEnv env_;                 // the checkers keep a reference to it
    std::vector<Params> params_;   // likewise
    std::vector<std::unique_ptr<Checker>> checkers_;
};

// "pass", or "fail: " + the first failed check's one-line reason (and how many more failed).
std::string verdict_of(const std::vector<results::CheckRecord>& results);
// One line: "max_error_rate [id]: error rate 45.2%, limit <= 1% (first broke at 10.004 s, request 20013, node dc1-r1-n1)".
std::string describe(const results::CheckRecord& result);

}  // namespace routelab::checks
