#pragma once
// The CI verdict: compares each case (scenario × knob values) of a candidate database with
// the same case of a baseline, figure by figure, against thresholds, and carries each run's
// checks. A figure over several seeds is their median; the baseline's spread over seeds
// (max − min) widens the limit by `noise` times itself, so seed-to-seed noise is not taken
// for a regression. Pure: databases in, rows out.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "sim/results/case_reader.hpp"

namespace routelab::compare {

// How much worse a figure may get: limit = baseline × (1 + relative) + absolute + noise × spread.
struct Allowance {
    double relative = 0;
    double absolute = 0;  // in the figure's unit (ms, or a fraction for error_rate)
};

struct Thresholds {
    // Figures: p50_ms, p99_ms, p999_ms, error_rate (errors / requests).
    std::map<std::string, Allowance> figures{
        {"p50_ms", {0.10, 0.0}}, {"p99_ms", {0.10, 0.0}}, {"p999_ms", {0.20, 0.0}}, {"error_rate", {0.0, 0.001}}};
    double noise = 1.0;
};

struct Row {
    std::string scenario;
    std::string knobs;     // "" outside a sweep
    std::string name;      // figure ("p99_ms") or "check: <label>"
    bool passed = true;
    std::optional<double> baseline;  // figures only
    std::optional<double> candidate;
    std::optional<double> limit;
    std::string message;   // one line: what was measured against what
};

// Every figure of every candidate case against the baseline's (a case missing from the
// baseline fails with a reason), then every check of the candidate's runs.
std::vector<Row> compare(const std::vector<results::CaseRun>& candidate, const std::vector<results::CaseRun>& baseline,
                         const Thresholds& thresholds);

// Reads thresholds from a TOML file: `[figures] p99_ms = { relative = 0.1, absolute = 0.5 }`
// and `noise = 1.0`; returns the error as "file:line: field: message".
std::optional<std::string> read_thresholds(const std::string& path, Thresholds& out);

}  // namespace routelab::compare
