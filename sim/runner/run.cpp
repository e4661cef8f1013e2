#include "sim/runner/run.hpp"

#include <algorithm>

#include "sim/runner/resolved_config.hpp"
#include "sim/scenario/check_env.hpp"

namespace routelab::runner {

std::vector<checks::CheckDefinition> check_definitions(const scenario::Scenario& scenario) {
    if (scenario.checks.empty()) return checks::default_checks();
    std::vector<checks::CheckDefinition> out;
    for (const auto& c : scenario.checks) out.push_back({c.name, c.id, c.params, c.during, c.client});
    for (auto& m : checks::mandatory_checks())
        if (std::none_of(out.begin(), out.end(), [&](const auto& d) { return d.name == m.name && d.client == m.client; }))
            out.push_back(std::move(m));
    return out;
}

results::RunRecord run_scenario(const scenario::Scenario& scenario, const RunOptions& options) {
    results::RunRecord record;
    record.scenario_name = scenario.name;
    record.scenario_path = scenario.source_path;
    record.policy = scenario.driver.policy;
    record.seed = options.seed;
    record.configuration = resolved_configuration(scenario);
    World world(scenario, options.seed, options.max_events, options.world);
    // The trace's checkpoints, one per results window, let `routelab replay` find the window
    // where two runs part; they observe and never change the trace.
    world.trace().checkpoint_every(sim::Duration::from_ns(static_cast<std::int64_t>(scenario.output.window_s * 1e9)));
    if (options.capture) world.trace().capture_between(options.capture->from, options.capture->to, options.capture->max_events);
    checks::CheckSuite suite(check_definitions(scenario), scenario::check_env(scenario));
    suite.subscribe(world.facts(), world.view());
    const sim::RunStatus status = world.run();
    world.trace().finish_checkpoints(world.scheduler().now());
    world.report(record);
    record.trace_checkpoints = world.trace().checkpoints();
    record.captured_events = world.trace().captured();
    record.checks = suite.finish(world.scheduler().now());
    // The run must have started and not livelocked; then its verdict is the conjunction
    // of its checks (one of which is that every request issued ended).
    if (!world.started()) {
        record.verdict = "fail: start-up did not complete: " +
                         (world.startup_error().empty() ? std::string("timed out") : world.startup_error());
    } else if (status == sim::RunStatus::reached_event_limit) {
        record.verdict = "fail: the max-events guard fired after " + std::to_string(record.events_run) + " events (livelock?)";
    } else if (const auto late = world.late_errors(); !late.empty()) {
        record.verdict = "fail: " + late.front();
    } else {
        record.verdict = checks::verdict_of(record.checks);
    }
    return record;
}

}  // namespace routelab::runner
