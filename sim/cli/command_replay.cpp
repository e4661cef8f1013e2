#include "sim/cli/command_replay.hpp"

#include <algorithm>
#include <sstream>

#include <fmt/format.h>

#include "sim/cli/command_run.hpp"
#include "sim/core/trace.hpp"
#include "sim/results/sqlite_reader.hpp"
#include "sim/results/sqlite_sink.hpp"
#include "sim/results/trace_tables.hpp"
#include "sim/runner/run.hpp"
#include "sim/scenario/parse.hpp"

namespace routelab::cli {
namespace {

// The stored overrides ("KEY = VALUE" per line) back into overrides.
std::vector<scenario::Override> stored_overrides(const std::string& text) {
    std::vector<scenario::Override> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        const auto eq = line.find(" = ");
        if (eq == std::string::npos) continue;
        out.push_back(scenario::Override{line.substr(0, eq), line.substr(eq + 3)});
    }
    return out;
}

std::string event_text(const sim::TraceEvent& e) {
    return fmt::format("{:.9f} s {} a={} b={}", e.when.seconds(), sim::trace_kind_name(e.kind), e.a, e.b);
}

// The first index where two checkpoint lists differ; nullopt when they agree throughout.
std::optional<std::size_t> first_difference(const std::vector<sim::TraceCheckpoint>& a,
                                            const std::vector<sim::TraceCheckpoint>& b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i)
        if (a[i].hash != b[i].hash || a[i].events != b[i].events || a[i].end_ns != b[i].end_ns) return i;
    if (a.size() != b.size()) return n;
    return std::nullopt;
}

}  // namespace

int replay_command(const ReplayOptions& options) {
    try {
        const std::int64_t run_id = options.run_id ? *options.run_id : results::read_latest_run_id(options.db_path);
        const results::RunRow stored = results::read_run(options.db_path, run_id);
        const std::string text = results::read_scenario_text(options.db_path, run_id);
        if (text.empty()) {
            fmt::print(stderr, "routelab: {}: run {} stored no scenario text (written by an older routelab); rerun it with routelab run\n",
                       options.db_path, run_id);
            return exit_bad_input;
        }
        const auto base = stored_overrides(results::read_scenario_overrides(options.db_path, run_id));
        auto changed = base;
        if (auto bad = scenario::parse_overrides(options.overrides, changed)) {
            fmt::print(stderr, "{}\n", bad->to_string());
            return exit_bad_input;
        }
        const std::string name = fmt::format("{}#run{}", options.db_path, run_id);
        const auto parsed = scenario::parse_scenario_text(text, name, changed);
        if (!parsed) {
            fmt::print(stderr, "{}\n", parsed.error().to_string());
            return exit_bad_input;
        }
        fmt::print("replay: run {} of {} (scenario {}, seed {}, stored by build {})\n", run_id, options.db_path,
                   stored.scenario_name, stored.seed, stored.build);
        runner::RunOptions run_options;
        run_options.seed = stored.seed;
        const results::RunRecord replayed = runner::run_scenario(parsed.scenario(), run_options);
        const std::string replayed_hash = results::hex16(replayed.trace_hash);
        if (replayed_hash == stored.trace_hash) {
            fmt::print("replayed: same trace hash {} ({} events)\n", replayed_hash, replayed.trace_events);
            return exit_pass;
        }
        fmt::print("diverged: trace hash {} ({} events), stored {} ({} events)\n", replayed_hash, replayed.trace_events,
                   stored.trace_hash, stored.trace_events);
        const auto checkpoints = results::read_trace_checkpoints(options.db_path, run_id);
        const auto at = first_difference(checkpoints, replayed.trace_checkpoints);
        if (checkpoints.empty() || !at) {
            fmt::print("the stored run kept no trace checkpoints to locate the divergence\n");
            return exit_fail;
        }
        const sim::Time from = *at == 0 ? sim::Time::zero() : sim::Time::from_ns(checkpoints[*at - 1].end_ns);
        const sim::Time to = sim::Time::from_ns(*at < checkpoints.size() ? checkpoints[*at].end_ns : from.ns() + 1);
        const std::uint64_t events_before = *at == 0 ? 0 : checkpoints[*at - 1].events;
        fmt::print("first differing window: [{:.3f}, {:.3f}) s of simulated time, after {} identical events\n", from.seconds(),
                   to.seconds(), events_before);

        // The stored configuration, rerun here with the window captured, stands in for the
        // stored run's events (which are not kept); it is only a stand-in if it replays
        // to the stored hash, i.e. when the divergence comes from --set, not from the build.
        const auto original = scenario::parse_scenario_text(text, name, base);
        if (!original) {
            fmt::print(stderr, "{}\n", original.error().to_string());
            return exit_bad_input;
        }
        run_options.capture = runner::TraceCapture{from, to};
        const results::RunRecord reference = runner::run_scenario(original.scenario(), run_options);
        const results::RunRecord candidate = runner::run_scenario(parsed.scenario(), run_options);
        if (results::hex16(reference.trace_hash) != stored.trace_hash) {
            fmt::print("this build does not reproduce the stored run (stored by {}), so the stored events cannot be "
                       "recomputed; the replay's first events in that window:\n",
                       stored.build);
            for (std::size_t i = 0; i < std::min<std::size_t>(5, candidate.captured_events.size()); ++i)
                fmt::print("  #{} {}\n", events_before + i, event_text(candidate.captured_events[i]));
            return exit_fail;
        }
        const auto& a = reference.captured_events;
        const auto& b = candidate.captured_events;
        std::size_t i = 0;
        while (i < a.size() && i < b.size() && a[i].when == b[i].when && a[i].kind == b[i].kind && a[i].a == b[i].a &&
               a[i].b == b[i].b)
            ++i;
        fmt::print("first differing event: #{} of the run\n", events_before + i);
        fmt::print("  stored: {}\n", i < a.size() ? event_text(a[i]) : std::string("(none: the window ends)"));
        fmt::print("  replay: {}\n", i < b.size() ? event_text(b[i]) : std::string("(none: the window ends)"));
        return exit_fail;
    } catch (const results::ResultsError& e) {
        fmt::print(stderr, "routelab: {}\n", e.what());
        return exit_bad_input;
    }
}

}  // namespace routelab::cli
