#include "sim/cli/command_compare.hpp"

#include <algorithm>
#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "sim/cli/command_run.hpp"
#include "sim/cli/command_sweep.hpp"
#include "sim/compare/compare.hpp"
#include "sim/compare/junit.hpp"
#include "sim/results/case_json.hpp"
#include "sim/results/case_reader.hpp"

namespace routelab::cli {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> apply_allowances(const CompareOptions& o, compare::Thresholds& t) {
    if (!o.thresholds_path.empty())
        if (auto bad = compare::read_thresholds(o.thresholds_path, t)) return bad;
    auto set = [&](const std::string& text, bool relative) -> std::optional<std::string> {
        const std::string flag = std::string(relative ? "--relative " : "--absolute ") + text;
        const auto eq = text.find('=');
        if (eq == std::string::npos) return flag + ": expected FIGURE=NUMBER";
        const std::string name = text.substr(0, eq);
        if (name != "p50_ms" && name != "p99_ms" && name != "p999_ms" && name != "error_rate")
            return flag + ": unknown figure (known: p50_ms, p99_ms, p999_ms, error_rate)";
        double v = 0;
        try {
            std::size_t used = 0;
            v = std::stod(text.substr(eq + 1), &used);
            if (used != text.size() - eq - 1) throw std::invalid_argument("trailing");
        } catch (const std::exception&) {
            return flag + ": expected a number after '='";
        }
        if (!std::isfinite(v) || v < 0) return flag + ": expected a finite number >= 0";
        (relative ? t.figures[name].relative : t.figures[name].absolute) = v;
        return std::nullopt;
    };
    for (const auto& r : o.relative)
        if (auto bad = set(r, true)) return bad;
    for (const auto& a : o.absolute)
        if (auto bad = set(a, false)) return bad;
    if (o.noise >= 0) t.noise = o.noise;
    return std::nullopt;
}

std::string cell(const std::optional<double>& v, const std::string& figure) {
    if (!v) return "-";
    return figure == "error_rate" ? fmt::format("{:.4f}%", *v * 100) : fmt::format("{:.3f}", *v);
}

void print_rows(const std::vector<compare::Row>& rows) {
    fmt::print("{:<20} {:<40} {:<28} {:>12} {:>12} {:>12} {:>8}  {}\n", "scenario", "knobs", "figure / check", "baseline",
               "candidate", "limit", "change", "verdict");
    for (const auto& r : rows) {
        std::string change = "-";
        if (r.baseline && r.candidate && *r.baseline != 0) change = fmt::format("{:+.1f}%", (*r.candidate / *r.baseline - 1) * 100);
        const bool figure = r.name.rfind("check: ", 0) != 0;
        fmt::print("{:<20} {:<40} {:<28} {:>12} {:>12} {:>12} {:>8}  {}\n", r.scenario, r.knobs.empty() ? "-" : r.knobs,
                   r.name, figure ? cell(r.baseline, r.name) : "-", figure ? cell(r.candidate, r.name) : "-",
                   figure ? cell(r.limit, r.name) : "-", change, r.passed ? "pass" : "FAIL: " + r.message);
    }
}

// Compares, prints, writes JUnit; returns the exit code.
int finish(const std::vector<compare::Row>& rows, const std::string& junit_path) {
    print_rows(rows);
    const auto failed = static_cast<std::size_t>(std::count_if(rows.begin(), rows.end(), [](const auto& r) { return !r.passed; }));
    if (!junit_path.empty()) {
        std::string error;
        if (!compare::write_junit(junit_path, rows, error)) {
            fmt::print(stderr, "routelab: {}\n", error);
            return exit_io_error;
        }
    }
    fmt::print("compare: {} of {} passed{}{}\n", rows.size() - failed, rows.size(), failed == 0 ? "" : " — FAIL",
               junit_path.empty() ? "" : "; JUnit: " + junit_path);
    return failed == 0 ? exit_pass : exit_fail;
}

// A scenario's baseline: <name>.json when present (or asked for when recording), else <name>.sqlite.
fs::path baseline_of(const fs::path& dir, const fs::path& scenario, bool compact) {
    const fs::path json = dir / (scenario.stem().string() + ".json");
    return compact || fs::exists(json) ? json : dir / (scenario.stem().string() + ".sqlite");
}

}  // namespace

int compare_command(const CompareOptions& options) {
    compare::Thresholds thresholds;
    if (auto bad = apply_allowances(options, thresholds)) {
        fmt::print(stderr, "routelab: {}\n", *bad);
        return exit_bad_input;
    }
    std::vector<results::CaseRun> candidate, baseline;
    try {
        candidate = results::read_case_runs(options.candidate);
        baseline = results::read_case_runs(options.baseline);
    } catch (const results::ResultsError& e) {
        fmt::print(stderr, "routelab: {}\n", e.what());
        return exit_bad_input;
    }
    if (candidate.empty()) {
        fmt::print(stderr, "routelab: {}: holds no run\n", options.candidate);
        return exit_bad_input;
    }
    return finish(compare::compare(candidate, baseline, thresholds), options.junit_path);
}

int ci_command(const CiOptions& options) {
    compare::Thresholds thresholds;
    if (auto bad = apply_allowances(options.compare, thresholds)) {
        fmt::print(stderr, "routelab: {}\n", *bad);
        return exit_bad_input;
    }
    std::error_code ec;
    std::vector<fs::path> scenarios;
    for (const auto& entry : fs::directory_iterator(options.scenario_dir, ec))
        if (entry.is_regular_file() && entry.path().extension() == ".toml") scenarios.push_back(entry.path());
    if (ec || scenarios.empty()) {
        fmt::print(stderr, "routelab: {}: {}\n", options.scenario_dir, ec ? ec.message() : "holds no scenario (*.toml)");
        return exit_bad_input;
    }
    std::sort(scenarios.begin(), scenarios.end());
    const fs::path baselines = options.baseline_dir.empty() ? fs::path(options.scenario_dir) / "baselines" : fs::path(options.baseline_dir);
    if (!options.update_baseline) {
        for (const auto& s : scenarios)
            if (!fs::exists(baseline_of(baselines, s, false))) {
                fmt::print(stderr, "routelab: no baseline {} (or .json) for {} (record baselines with --update-baseline)\n",
                           (baselines / (s.stem().string() + ".sqlite")).string(), s.string());
                return exit_bad_input;
            }
    }
    std::vector<compare::Row> rows;
    bool could_not_run = false;
    for (const auto& s : scenarios) {
        const fs::path out = fs::path(options.out_dir) / s.stem();
        fs::remove_all(out, ec);
        SweepOptions sweep;
        sweep.scenario_path = s.string();
        sweep.seeds = options.seeds;
        sweep.jobs = options.jobs;
        sweep.out_dir = out.string();
        fmt::print("ci: {} ({} seeds)\n", s.string(), options.seeds);
        const int rc = sweep_command(sweep);
        if (rc == exit_bad_input) return exit_bad_input;
        if (rc != exit_pass) {
            could_not_run = true;
            continue;
        }
        const fs::path db = out / "sweep.sqlite";
        const fs::path base = baseline_of(baselines, s, options.update_baseline && options.compact_baseline);
        if (options.update_baseline) {
            fs::create_directories(baselines, ec);
            if (base.extension() == ".json") {
                try {
                    results::write_case_runs_json(base.string(), results::read_case_runs(db.string()));
                } catch (const results::ResultsError& e) {
                    fmt::print(stderr, "routelab: cannot record {}: {}\n", base.string(), e.what());
                    return exit_io_error;
                }
            } else {
                fs::copy_file(db, base, fs::copy_options::overwrite_existing, ec);
            }
            if (ec) {
                fmt::print(stderr, "routelab: cannot record {}: {}\n", base.string(), ec.message());
                return exit_io_error;
            }
            fmt::print("ci: recorded baseline {}\n", base.string());
            continue;
        }
        try {
            auto part = compare::compare(results::read_case_runs(db.string()), results::read_case_runs(base.string()), thresholds);
            rows.insert(rows.end(), part.begin(), part.end());
        } catch (const results::ResultsError& e) {
            fmt::print(stderr, "routelab: {}\n", e.what());
            return exit_bad_input;
        }
    }
    if (options.update_baseline) return could_not_run ? exit_fail : exit_pass;
    const int rc = finish(rows, options.compare.junit_path);
    return could_not_run ? exit_fail : rc;
}

}  // namespace routelab::cli
