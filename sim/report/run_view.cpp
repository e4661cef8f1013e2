#include "sim/report/run_view.hpp"

#include <algorithm>
#include <filesystem>

#include "sim/results/driver_view_tables.hpp"

namespace routelab::report::detail {

double RunView::error_rate() const {
    return run.requests == 0 ? 0.0 : static_cast<double>(run.errors) / static_cast<double>(run.requests);
}

double RunView::load_imbalance() const {
    if (nodes.empty()) return 0;
    std::uint64_t total = 0, most = 0;
    for (const auto& n : nodes) {
        total += n.requests_coordinated;
        most = std::max(most, n.requests_coordinated);
    }
    if (total == 0) return 0;
    const double mean = static_cast<double>(total) / static_cast<double>(nodes.size());
    return static_cast<double>(most) / mean;
}

namespace {

// A database written before the driver's view was stored has none of its tables.
bool has_driver_view(const std::string& path) {
    try {
        results::read_node_transitions(path, 0);
        return true;
    } catch (const results::ResultsError&) {
        return false;
    }
}

}  // namespace

std::vector<RunView> read_run_views(const std::vector<std::string>& db_paths) {
    std::vector<RunView> out;
    for (const auto& path : db_paths) {
        if (!std::filesystem::is_regular_file(path))
            throw results::ResultsError(path + ": no such results database");
        for (const std::int64_t id : results::read_run_ids(path)) {
            RunView v;
            v.db_path = path;
            v.db_name = std::filesystem::path(path).filename().string();
            v.index = static_cast<int>(out.size()) + 1;
            v.anchor = "run-" + std::to_string(v.index);
            v.run = results::read_run(path, id);
            v.checks = results::read_checks(path, id);
            v.nodes = results::read_node_load(path, id);
            v.clients = results::read_client_load(path, id);
            v.faults = results::read_faults(path, id);
            v.configuration = results::read_configuration(path, id);
            v.scenario_text = results::read_scenario_text(path, id);
            v.overrides = results::read_scenario_overrides(path, id);
            if (has_driver_view(path)) {
                v.transitions = results::read_node_transitions(path, id);
                v.marks = results::read_driver_marks(path, id);
                v.keyed = !results::read_window_affinity(path, id).empty();
            }
            out.push_back(std::move(v));
        }
    }
    return out;
}

}  // namespace routelab::report::detail
