#include "sim/cli/summary.hpp"

#include <fmt/format.h>

#include "sim/checks/suite.hpp"
#include "sim/results/sqlite_sink.hpp"

namespace routelab::cli {
namespace {

double ms(std::int64_t ns) { return static_cast<double>(ns) / 1e6; }

}  // namespace

std::string format_summary(const SummaryInput& in) {
    const results::RunRecord& r = *in.run;
    std::string out;
    auto line = [&out](std::string_view label, const std::string& value) {
        out += fmt::format("{:<20} {}\n", fmt::format("{}:", label), value);
    };
    line("scenario", r.scenario_name + (r.scenario_path.empty() ? "" : " (" + r.scenario_path + ")"));
    line("seed", fmt::format("{}", r.seed));
    line("policy", r.policy);
    line("verdict", r.verdict);
    line("requests", fmt::format("{}", r.requests));
    line("completed", fmt::format("{}", r.completed));
    line("errors", fmt::format("{}", r.errors));
    line("timeouts", fmt::format("{}", r.timeouts));
    line("lost", fmt::format("{}", r.lost));
    for (const auto& c : r.checks) line("check", std::string(c.passed ? "pass " : "FAIL ") + checks::describe(c));
    line("latency p50", fmt::format("{:.3f} ms", ms(r.latency_ns.quantile(0.5))));
    line("latency p99", fmt::format("{:.3f} ms", ms(r.latency_ns.quantile(0.99))));
    line("latency p99.9", fmt::format("{:.3f} ms", ms(r.latency_ns.quantile(0.999))));
    line("latency max", fmt::format("{:.3f} ms", ms(r.latency_ns.max())));
    if (const auto& a = r.affinity; a.keyed_requests > 0) {
        const auto repeat = a.same_node + a.moved;
        line("session affinity", fmt::format("{:.2f}% of {} repeat requests of {} sessions on the session's previous node ({} moved)",
                                             repeat ? 100.0 * static_cast<double>(a.same_node) / static_cast<double>(repeat) : 100.0,
                                             repeat, a.sessions, a.moved));
    }
    // One line per client application when the scenario declares them ([[clients]]).
    if (r.clients.size() > 1 || (r.clients.size() == 1 && r.clients.front().client != "default"))
        for (const auto& c : r.clients)
            line("client " + c.client,
                 fmt::format("{} requests, {} errors ({} timeouts, {} aborted), p99 {:.3f} ms, {} in {}", c.requests, c.errors, c.timeouts,
                             c.aborted, ms(c.latency_ns.quantile(0.99)), c.address, c.datacenter));
    line("simulated", fmt::format("{:.3f} s", r.simulated_s));
    line("wall", fmt::format("{:.3f} s", r.wall_s));
    line("sim requests/wall s",
         r.wall_s > 0 ? fmt::format("{:.0f}", static_cast<double>(r.requests) / r.wall_s) : std::string("n/a"));
    line("trace hash", results::hex16(r.trace_hash));
    line("trace events", fmt::format("{}", r.trace_events));
    line("scheduler events", fmt::format("{}", r.events_run));
    line("results db", fmt::format("{} (run_id {})", in.db_path, in.run_id));
    for (const auto& p : in.plots) line("plot", p);
    if (!in.report.empty()) line("report", in.report);
    for (const auto& e : in.plot_errors) line("plot not written", e);
    return out;
}

}  // namespace routelab::cli
