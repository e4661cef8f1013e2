#pragma once
// A compact text form of what `routelab compare` reads from a run or sweep database (one
// CaseRun per run: scenario, knobs, seed, verdict, requests, errors, p50/p99/p99.9 and the
// checks' results), for baselines kept in a repository: a sweep database holds every
// table of every run (windows, histograms, trace checkpoints) and weighs hundreds of KB,
// this holds the few numbers compared and reads well in a diff.
//
//   {"format": "routelab-case-runs", "version": 1,
//    "runs": [{"scenario": "...", "knobs": "", "seed": 1, "verdict": "pass",
//              "requests": 10000, "errors": 0, "p50_ns": 1, "p99_ns": 2, "p999_ns": 3,
//              "checks": [{"label": "...", "verdict": "pass", "value": "...", "limit": "...",
//                          "detail": ""}]}]}
#include <string>
#include <vector>

#include "sim/results/case_reader.hpp"

namespace routelab::results {

// The runs as JSON text (one run per line, so a changed run is a changed line).
std::string case_runs_to_json(const std::vector<CaseRun>& runs);

// Parses that text; throws ResultsError naming `origin` and what is wrong (a missing or
// mistyped field, another format or version).
std::vector<CaseRun> case_runs_from_json(const std::string& text, const std::string& origin);

// Writes case_runs_to_json(runs) to `path`; throws ResultsError.
void write_case_runs_json(const std::string& path, const std::vector<CaseRun>& runs);

}  // namespace routelab::results
