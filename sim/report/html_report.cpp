// The report page: an overview of every run (one row each, linking to its section), the
// figures that compare runs, then one section per run (verdict and checks, summary,
// clients, nodes, faults, figures, scenario file, resolved configuration).
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <tuple>

#include "sim/report/figures.hpp"
#include "sim/report/html_writer.hpp"
#include "sim/report/report.hpp"
#include "sim/report/run_view.hpp"
#include "sim/results/sweep_summary.hpp"
#include "sim/sweep/median_interval.hpp"

namespace routelab::report {
namespace {

using detail::count;
using detail::fixed;
using detail::Html;
using detail::ms;
using detail::percent;
using detail::RunView;

constexpr std::string_view style = R"(<style>
body{font-family:sans-serif;margin:1.5em auto;max-width:1100px;color:#222;line-height:1.35}
h1{font-size:1.5em}h2{font-size:1.25em;border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
h3{font-size:1.05em;margin-top:1.4em}
table{border-collapse:collapse;margin:.5em 0;font-size:.9em}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.num{text-align:right;font-variant-numeric:tabular-nums}
.pass{color:#1a7f37;font-weight:bold}.fail{color:#c62828;font-weight:bold}
pre{background:#f7f7f7;border:1px solid #ddd;padding:.6em;overflow-x:auto;font-size:.85em}
figure{margin:1em 0}figure svg{width:100%;height:auto;border:1px solid #eee}
figcaption{font-size:.9em;color:#555}
nav a{margin-right:1em}.muted{color:#777}
</style>
)";

std::string_view verdict_class(const std::string& verdict) { return verdict == "pass" ? "pass" : "fail"; }

std::string run_title(const RunView& v) {
    std::string overrides;
    for (std::size_t at = 0; at < v.overrides.size();) {
        const auto end = std::min(v.overrides.find('\n', at), v.overrides.size());
        if (end > at) overrides += (overrides.empty() ? "" : "; ") + v.overrides.substr(at, end - at);
        at = end + 1;
    }
    return v.run.scenario_name + ", seed " + std::to_string(v.run.seed) + ", policy " + v.run.policy +
           (overrides.empty() ? "" : " [" + overrides + "]");
}

void cell(Html& h, const std::string& text, bool number = false) {
    h.raw(number ? "<td class=\"num\">" : "<td>").text(text).raw("</td>");
}

void overview(Html& h, const std::vector<RunView>& runs) {
    h.raw("<h2 id=\"overview\">Runs</h2>\n<table>\n");
    h.row({"run", "scenario", "policy", "seed", "verdict", "requests", "p50 (ms)", "p99 (ms)", "p99.9 (ms)", "error rate",
           "load imbalance (max/mean)"},
          true);
    for (const auto& v : runs) {
        h.raw("<tr><td><a href=\"#").raw(v.anchor).raw("\">").text("run " + std::to_string(v.index)).raw("</a></td>");
        cell(h, v.run.scenario_name);
        cell(h, v.run.policy);
        cell(h, std::to_string(v.run.seed), true);
        h.raw("<td class=\"").raw(verdict_class(v.run.verdict)).raw("\">").text(v.run.verdict).raw("</td>");
        cell(h, count(v.run.requests), true);
        cell(h, ms(v.run.p50_ns), true);
        cell(h, ms(v.run.p99_ns), true);
        cell(h, ms(v.run.p999_ns), true);
        cell(h, percent(v.error_rate()), true);
        cell(h, fixed(v.load_imbalance(), 3), true);
        h.raw("</tr>\n");
    }
    h.raw("</table>\n");
}

void figures(Html& h, const std::vector<detail::Figure>& list) {
    for (const auto& f : list) {
        h.raw("<figure>");
        if (f.error.empty()) h.raw(f.svg);
        else h.element("p", "figure not drawn: " + f.error, "fail");
        h.raw("<figcaption>").text(f.caption).raw("</figcaption></figure>\n");
    }
}

void checks_table(Html& h, const RunView& v) {
    h.raw("<h3>Checks</h3>\n");
    if (v.checks.empty()) {
        h.element("p", "No checks recorded.", "muted");
        return;
    }
    h.raw("<table>\n");
    h.row({"check", "id", "scope", "client", "verdict", "measure", "value", "limit", "first broke at (s)", "request", "node",
           "detail"},
          true);
    for (const auto& c : v.checks) {
        h.raw("<tr>");
        cell(h, c.name);
        cell(h, c.label);
        cell(h, c.scope);
        cell(h, c.client);
        h.raw(c.passed ? "<td class=\"pass\">pass</td>" : "<td class=\"fail\">fail</td>");
        cell(h, c.measure);
        cell(h, c.value_text, true);
        cell(h, c.limit_text, true);
        cell(h, c.first_at_s ? fixed(*c.first_at_s, 3) : "", true);
        cell(h, c.first_request ? std::to_string(*c.first_request) : "", true);
        cell(h, c.first_node);
        cell(h, c.detail);
        h.raw("</tr>\n");
    }
    h.raw("</table>\n");
}

void summary_table(Html& h, const RunView& v) {
    const auto& r = v.run;
    h.raw("<h3>Summary</h3>\n<table>\n");
    auto line = [&](const std::string& name, const std::string& value) {
        h.raw("<tr><th>").text(name).raw("</th>");
        cell(h, value, true);
        h.raw("</tr>\n");
    };
    line("requests issued", count(r.requests));
    line("completed", count(r.completed));
    line("errors (timeouts included)", count(r.errors));
    line("client-side timeouts", count(r.timeouts));
    line("lost (never ended)", count(r.lost));
    line("error rate", percent(v.error_rate()));
    line("p50 / p99 / p99.9 / max latency (ms)", ms(r.p50_ns) + " / " + ms(r.p99_ns) + " / " + ms(r.p999_ns) + " / " + ms(r.max_ns));
    line("load imbalance (max/mean per-node requests)", fixed(v.load_imbalance(), 3));
    line("simulated time (s)", fixed(r.simulated_s, 3));
    line("scheduler events", count(r.events_run));
    h.raw("</table>\n");
}

void clients_table(Html& h, const RunView& v) {
    if (v.clients.size() < 2) return;
    h.raw("<h3>Client applications</h3>\n<table>\n");
    h.row({"client", "datacenter", "requests", "errors", "timeouts", "aborted", "sessions", "p50 (ms)", "p99 (ms)", "p99.9 (ms)"}, true);
    for (const auto& c : v.clients) {
        h.raw("<tr>");
        cell(h, c.client);
        cell(h, c.datacenter);
        cell(h, count(c.requests), true);
        cell(h, count(c.errors), true);
        cell(h, count(c.timeouts), true);
        cell(h, count(c.aborted), true);
        cell(h, count(c.sessions), true);
        cell(h, ms(c.p50_ns), true);
        cell(h, ms(c.p99_ns), true);
        cell(h, ms(c.p999_ns), true);
        h.raw("</tr>\n");
    }
    h.raw("</table>\n");
}

void nodes_table(Html& h, const RunView& v) {
    h.raw("<h3>Nodes</h3>\n<table>\n");
    h.row({"node", "address", "datacenter", "rack", "requests coordinated", "share"}, true);
    std::uint64_t total = 0;
    for (const auto& n : v.nodes) total += n.requests_coordinated;
    for (const auto& n : v.nodes) {
        h.raw("<tr>");
        cell(h, n.node);
        cell(h, n.address);
        cell(h, n.datacenter);
        cell(h, n.rack);
        cell(h, count(n.requests_coordinated), true);
        cell(h, total == 0 ? "" : percent(static_cast<double>(n.requests_coordinated) / static_cast<double>(total)), true);
        h.raw("</tr>\n");
    }
    h.raw("</table>\n");
}

void faults_table(Html& h, const RunView& v) {
    h.raw("<h3>Faults</h3>\n");
    if (v.faults.empty()) {
        h.element("p", "No faults were applied.", "muted");
        return;
    }
    h.raw("<table>\n");
    h.row({"from (s)", "to (s)", "fault"}, true);
    for (const auto& f : v.faults) {
        h.raw("<tr>");
        cell(h, fixed(f.start_s, 3), true);
        cell(h, f.end_s < 0 ? "end of run" : fixed(f.end_s, 3), true);
        cell(h, f.description);
        h.raw("</tr>\n");
    }
    h.raw("</table>\n");
}

// Each real transition of a node and, per client, the driver's first mark after it.
void driver_view_table(Html& h, const RunView& v) {
    if (v.transitions.empty()) return;
    h.raw("<h3>Driver's view</h3>\n<table>\n");
    h.row({"node", "really went", "at (s)", "client", "driver marked it at (s)", "detection delay (ms)"}, true);
    std::set<std::string> clients;
    for (const auto& m : v.marks) clients.insert(m.client);
    if (clients.empty()) clients.insert("default");
    for (const auto& t : v.transitions) {
        for (const auto& client : clients) {
            const results::DriverNodeMark* first = nullptr;
            for (const auto& m : v.marks)
                if (m.client == client && m.node == t.node && m.truth_s && *m.truth_s == t.time_s && m.up == t.up) {
                    first = &m;
                    break;
                }
            h.raw("<tr>");
            cell(h, t.node);
            cell(h, t.up ? "up" : "down");
            cell(h, fixed(t.time_s, 3), true);
            cell(h, client);
            if (first != nullptr) {
                cell(h, fixed(first->time_s, 3), true);
                cell(h, fixed((first->time_s - t.time_s) * 1e3, 1), true);
            } else {
                h.raw("<td class=\"fail\">not marked</td><td></td>");
            }
            h.raw("</tr>\n");
        }
    }
    h.raw("</table>\n");
}

void source_sections(Html& h, const RunView& v) {
    h.raw("<h3>Scenario file</h3>\n");
    h.raw("<p>").text(v.run.scenario_path + " (hash " + v.run.scenario_hash + ")").raw("</p>\n");
    if (v.scenario_text.empty()) h.element("p", "The scenario's text is not stored in this database.", "muted");
    else h.raw("<pre>").text(v.scenario_text).raw("</pre>\n");
    h.raw("<details><summary>Resolved configuration</summary>\n<table>\n");
    h.row({"key", "value"}, true);
    for (const auto& e : v.configuration) h.row({e.key, e.value});
    h.raw("</table></details>\n");
}

void run_section(Html& h, const RunView& v, detail::FigureMaker& maker) {
    h.raw("<section id=\"").raw(v.anchor).raw("\">\n<h2>").text("Run " + std::to_string(v.index) + ": " + run_title(v)).raw("</h2>\n");
    h.raw("<p><span class=\"").raw(verdict_class(v.run.verdict)).raw("\">").text(v.run.verdict).raw("</span></p>\n");
    h.raw("<p class=\"muted\">")
        .text(v.db_name + " run_id " + std::to_string(v.run.run_id) + " · build " + v.run.build + " · trace hash " + v.run.trace_hash +
              " (" + count(v.run.trace_events) + " events)")
        .raw("</p>\n");
    checks_table(h, v);
    summary_table(h, v);
    clients_table(h, v);
    nodes_table(h, v);
    faults_table(h, v);
    driver_view_table(h, v);
    h.raw("<h3>Figures</h3>\n");
    figures(h, maker.draw(detail::run_figure_plans(v)));
    source_sections(h, v);
    h.raw("<p><a href=\"#overview\">back to the runs</a></p>\n</section>\n");
}

// A sweep database: one row per grid point (its seeds summarised), linking to the runs'
// sections, and the heat maps.
void sweep_section(Html& h, const std::string& db_path, int sweep_index, const std::vector<RunView>& runs, detail::FigureMaker& maker) {
    const results::SweepSummary sweep = results::summarize_sweep(db_path);
    std::map<std::int64_t, const RunView*> by_id;
    for (const auto& r : runs)
        if (r.db_path == db_path) by_id[r.run.run_id] = &r;
    h.raw("<h2 id=\"sweep-").raw(std::to_string(sweep_index)).raw("\">")
        .text("Sweep: " + std::filesystem::path(db_path).filename().string() + " (" + std::to_string(sweep.points.size()) +
              " grid points)")
        .raw("</h2>\n<table>\n");
    std::vector<std::string> header = sweep.axes;
    for (const char* c : {"seeds", "passed", "p50 (ms)", "p99 (ms)", "p99 median interval (ms, coverage)", "p99.9 (ms)", "error rate",
                          "load imbalance (max/mean)", "runs"})
        header.emplace_back(c);
    h.raw("<tr>");
    for (const auto& c : header) h.raw("<th>").text(c).raw("</th>");
    h.raw("</tr>\n");
    for (const auto& p : sweep.points) {
        h.raw("<tr>");
        for (const auto& axis : sweep.axes) {
            std::string value;
            for (const auto& [k, v] : p.knobs)
                if (k == axis) value = v;
            cell(h, value);
        }
        cell(h, std::to_string(p.run_ids.size()), true);
        cell(h, std::to_string(p.passed) + "/" + std::to_string(p.run_ids.size()), true);
        cell(h, ms(p.p50_ns), true);
        cell(h, ms(p.p99_ns), true);
        {
            std::vector<double> p99s(p.p99_by_seed.begin(), p.p99_by_seed.end());
            const auto interval = sweep::median_interval(p99s);
            cell(h, "[" + ms(static_cast<std::int64_t>(interval.low)) + ", " + ms(static_cast<std::int64_t>(interval.high)) + "] " +
                        fixed(100.0 * interval.coverage, 0) + "%",
                 true);
        }
        cell(h, ms(p.p999_ns), true);
        cell(h, percent(p.error_rate()), true);
        cell(h, fixed(p.load_imbalance, 3), true);
        h.raw("<td>");
        for (const auto id : p.run_ids)
            if (auto it = by_id.find(id); it != by_id.end())
                h.raw("<a href=\"#").raw(it->second->anchor).raw("\">").text("run " + std::to_string(it->second->index)).raw("</a> ");
        h.raw("</td></tr>\n");
    }
    h.raw("</table>\n");
    h.element("p", "Latencies are medians over each point's seeds, the p99's with a distribution-free interval from the "
                   "seeds' order statistics and the probability it covers the true median (95% from 6 seeds on; fewer "
                   "give the range with its lower coverage); the error rate is over all its requests; the load imbalance "
                   "is the mean over its seeds.", "muted");
    figures(h, maker.draw(detail::sweep_figure_plans(db_path)));
}

}  // namespace

std::string render_report(const std::vector<std::string>& db_paths) {
    std::vector<RunView> runs;
    try {
        runs = detail::read_run_views(db_paths);
    } catch (const std::exception& e) {
        throw ReportError(e.what());
    }
    if (runs.empty()) throw ReportError((db_paths.empty() ? std::string("report") : db_paths.front()) + ": no runs to report");
    detail::FigureMaker maker;
    Html h;
    const std::string title = runs.size() == 1 ? "routelab run: " + run_title(runs.front())
                                               : "routelab runs: " + std::to_string(runs.size()) + " runs";
    h.raw("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    h.raw("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n");
    h.raw("<title>").text(title).raw("</title>\n").raw(style).raw("</head>\n<body>\n");
    h.raw("<h1>").text(title).raw("</h1>\n<nav>");
    for (const auto& v : runs) h.raw("<a href=\"#").raw(v.anchor).raw("\">").text("run " + std::to_string(v.index)).raw("</a>");
    h.raw("</nav>\n");
    overview(h, runs);
    int sweeps = 0;
    try {
        for (const auto& path : db_paths)
            if (results::is_sweep_database(path)) sweep_section(h, path, ++sweeps, runs, maker);
    } catch (const results::ResultsError& e) {
        throw ReportError(e.what());
    }
    if (const auto compare = maker.draw(detail::comparison_figure_plans(runs)); !compare.empty()) {
        h.raw("<h2 id=\"comparison\">Comparison</h2>\n");
        figures(h, compare);
    }
    for (const auto& v : runs) run_section(h, v, maker);
    h.raw("</body>\n</html>\n");
    return h.take();
}

void write_report(const std::vector<std::string>& db_paths, const std::string& out_path) {
    const std::string page = render_report(db_paths);
    std::ofstream out(out_path, std::ios::binary | std::ios::trunc);
    if (!out) throw ReportError(out_path + ": cannot write the report");
    out << page;
    out.close();
    if (!out) throw ReportError(out_path + ": writing the report failed");
}

}  // namespace routelab::report
