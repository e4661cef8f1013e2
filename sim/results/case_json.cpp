#include "sim/results/case_json.hpp"

#include <fstream>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

namespace routelab::results {
namespace {

using nlohmann::json;

constexpr const char* format_name = "routelab-case-runs";
constexpr int format_version = 1;

json run_to_json(const CaseRun& r) {
    json checks = json::array();
    for (const auto& c : r.checks)
        checks.push_back({{"label", c.label}, {"verdict", c.verdict}, {"value", c.value_text}, {"limit", c.limit_text}, {"detail", c.detail}});
    return {{"scenario", r.scenario_name}, {"knobs", r.knobs}, {"seed", r.seed}, {"verdict", r.verdict},
            {"requests", r.requests}, {"errors", r.errors}, {"p50_ns", r.p50_ns}, {"p99_ns", r.p99_ns},
            {"p999_ns", r.p999_ns}, {"checks", checks}};
}

[[noreturn]] void bad(const std::string& origin, const std::string& where, const std::string& what) {
    throw ResultsError(origin + ": " + where + ": " + what);
}

const json& field(const json& object, const char* name, const std::string& origin, const std::string& where) {
    if (!object.is_object()) bad(origin, where, "expected an object");
    const auto it = object.find(name);
    if (it == object.end()) bad(origin, where + "." + name, "missing");
    return *it;
}

std::string text(const json& object, const char* name, const std::string& origin, const std::string& where) {
    const json& v = field(object, name, origin, where);
    if (!v.is_string()) bad(origin, where + "." + name, "expected a string");
    return v.get<std::string>();
}

std::uint64_t count(const json& object, const char* name, const std::string& origin, const std::string& where) {
    const json& v = field(object, name, origin, where);
    if (!v.is_number_unsigned()) bad(origin, where + "." + name, "expected an integer >= 0");
    return v.get<std::uint64_t>();
}

std::int64_t nanoseconds(const json& object, const char* name, const std::string& origin, const std::string& where) {
    const json& v = field(object, name, origin, where);
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())))
        bad(origin, where + "." + name, "expected a 64-bit integer");
    return v.get<std::int64_t>();
}

}  // namespace

std::string case_runs_to_json(const std::vector<CaseRun>& runs) {
    std::string out = std::string("{\"format\": \"") + format_name + "\", \"version\": " + std::to_string(format_version) + ", \"runs\": [";
    for (std::size_t i = 0; i < runs.size(); ++i) out += (i == 0 ? "\n  " : ",\n  ") + run_to_json(runs[i]).dump();
    out += runs.empty() ? "]}\n" : "\n]}\n";
    return out;
}

std::vector<CaseRun> case_runs_from_json(const std::string& source, const std::string& origin) {
    const json doc = json::parse(source, nullptr, false);
    if (doc.is_discarded()) bad(origin, "(document)", "not JSON");
    if (text(doc, "format", origin, "(document)") != format_name) bad(origin, "format", std::string("expected \"") + format_name + "\"");
    const json& version = field(doc, "version", origin, "(document)");
    if (!version.is_number_integer() || version.get<std::int64_t>() != format_version)
        bad(origin, "version", "expected " + std::to_string(format_version));
    const json& list = field(doc, "runs", origin, "(document)");
    if (!list.is_array()) bad(origin, "runs", "expected an array");
    std::vector<CaseRun> runs;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string where = "runs[" + std::to_string(i) + "]";
        const json& r = list[i];
        CaseRun run;
        run.scenario_name = text(r, "scenario", origin, where);
        run.knobs = text(r, "knobs", origin, where);
        run.seed = count(r, "seed", origin, where);
        run.verdict = text(r, "verdict", origin, where);
        run.requests = count(r, "requests", origin, where);
        run.errors = count(r, "errors", origin, where);
        if (run.errors > run.requests) bad(origin, where + ".errors", "more errors than requests");
        run.p50_ns = nanoseconds(r, "p50_ns", origin, where);
        run.p99_ns = nanoseconds(r, "p99_ns", origin, where);
        run.p999_ns = nanoseconds(r, "p999_ns", origin, where);
        const json& checks = field(r, "checks", origin, where);
        if (!checks.is_array()) bad(origin, where + ".checks", "expected an array");
        for (std::size_t k = 0; k < checks.size(); ++k) {
            const std::string cw = where + ".checks[" + std::to_string(k) + "]";
            run.checks.push_back(CaseCheck{text(checks[k], "label", origin, cw), text(checks[k], "verdict", origin, cw),
                                           text(checks[k], "value", origin, cw), text(checks[k], "limit", origin, cw),
                                           text(checks[k], "detail", origin, cw)});
        }
        runs.push_back(std::move(run));
    }
    return runs;
}

void write_case_runs_json(const std::string& path, const std::vector<CaseRun>& runs) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << case_runs_to_json(runs);
    out.close();
    if (!out) throw ResultsError(path + ": cannot write the baseline");
}

}  // namespace routelab::results
