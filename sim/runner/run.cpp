#include "sim/runner/run.hpp"

#include "sim/runner/world.hpp"

namespace routelab::runner {

results::RunRecord run_scenario(const scenario::Scenario& scenario, const RunOptions& options) {
    results::RunRecord record;
    record.scenario_name = scenario.name;
    record.scenario_path = scenario.source_path;
    record.policy = scenario.driver.policy;
    record.seed = options.seed;
    World world(scenario, options.seed, options.max_events);
    const sim::RunStatus status = world.run();
    world.report(record);
    // Invariants a run must keep, whatever the scenario: it started, it did not livelock,
    // and every request the workload issued ended exactly once.
    if (!world.started()) {
        record.verdict = "fail: start-up did not complete: " +
                         (world.startup_error().empty() ? std::string("timed out") : world.startup_error());
    } else if (status == sim::RunStatus::reached_event_limit) {
        record.verdict = "fail: the max-events guard fired after " + std::to_string(record.events_run) + " events (livelock?)";
    } else if (record.lost != 0) {
        record.verdict = "fail: " + std::to_string(record.lost) + " requests never ended";
    } else if (const auto late = world.late_errors(); !late.empty()) {
        record.verdict = "fail: " + late.front();
    }
    return record;
}

}  // namespace routelab::runner
