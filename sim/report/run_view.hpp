#pragma once
// Internal to routelab_report: one stored run as the report shows it, read from a results
// database alone, with the figures a reader compares runs by (error rate, load imbalance).
#include <cstdint>
#include <string>
#include <vector>

#include "sim/results/sqlite_reader.hpp"

namespace routelab::report::detail {

struct RunView {
    std::string db_path;          // where it was read from (never printed: paths differ between machines)
    std::string db_name;          // the database's file name, printed
    std::string anchor;           // "run-<k>", unique in the report
    int index = 0;                // k: 1, 2, ... in the order the report lists runs
    results::RunRow run;
    std::vector<results::CheckRecord> checks;
    std::vector<results::NodeLoad> nodes;
    std::vector<results::ClientLoadRow> clients;
    std::vector<results::FaultWindow> faults;
    std::vector<results::ConfigEntry> configuration;
    std::string scenario_text;
    std::string overrides;        // the run's --set overrides, one "KEY = VALUE" line each
    std::vector<results::NodeTransition> transitions;   // the driver's view (empty in a database from before it)
    std::vector<results::DriverNodeMark> marks;
    bool keyed = false;                                 // requests carried session keys (window_affinity rows)

    // errors / requests (0 with no requests).
    double error_rate() const;
    // max / mean of the requests each node coordinated (1: perfectly even; 0: no load).
    double load_imbalance() const;
};

// Every run of every database, in argument order then run_id order. Throws
// results::ResultsError naming the database.
std::vector<RunView> read_run_views(const std::vector<std::string>& db_paths);

}  // namespace routelab::report::detail
