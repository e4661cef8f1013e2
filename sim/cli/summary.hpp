#pragma once
// The text `routelab run` prints after a run: one "label: value" line per fact, so it is
// easy to read and to grep.
#include <cstdint>
#include <string>
#include <vector>

#include "sim/results/run_record.hpp"

namespace routelab::cli {

struct SummaryInput {
    const results::RunRecord* run = nullptr;
    std::string db_path;
    std::int64_t run_id = 0;
    std::vector<std::string> plots;          // PNGs written
    std::vector<std::string> plot_errors;    // why a plot is missing
    std::string report;                      // the HTML report written (empty: none)
};

std::string format_summary(const SummaryInput& in);

}  // namespace routelab::cli
