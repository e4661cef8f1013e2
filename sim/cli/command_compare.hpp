#pragma once
// `routelab compare CANDIDATE.sqlite --baseline BASE.sqlite [--thresholds FILE.toml]
//  [--relative FIGURE=R] [--absolute FIGURE=A] [--noise K] [--junit FILE.xml]`: the CI
// verdict of a run or sweep against a baseline (sim/compare). `routelab ci DIR` runs a
// directory of scenarios and compares each with its recorded baseline.
#include <cstdint>
#include <string>
#include <vector>

namespace routelab::cli {

struct CompareOptions {
    std::string candidate;
    std::string baseline;
    std::string thresholds_path;
    std::vector<std::string> relative;  // FIGURE=R
    std::vector<std::string> absolute;  // FIGURE=A
    double noise = -1;                  // < 0: the thresholds' (default 1)
    std::string junit_path;
};

// 0 every figure within its limit and every check passed, 1 otherwise, 2 bad input.
int compare_command(const CompareOptions& options);

struct CiOptions {
    std::string scenario_dir;
    std::string baseline_dir;    // default: <scenario_dir>/baselines
    std::string out_dir = "out/ci";
    std::uint64_t seeds = 3;
    unsigned jobs = 0;
    bool update_baseline = false;
    // Baselines as <name>.json (sim/results/case_json.hpp: only what compare reads) rather
    // than the sweep's whole <name>.sqlite. Reading needs no flag: <name>.json is used when
    // present; recording writes .json with this flag or where a .json baseline exists.
    bool compact_baseline = false;
    CompareOptions compare;      // thresholds, allowances, junit; candidate/baseline unused
};

int ci_command(const CiOptions& options);

}  // namespace routelab::cli
