#include "sim/runner/driver_view.hpp"

namespace routelab::runner {

bool DriverViewRecorder::serving(std::size_t node) const {
    return cluster_.node_state(node).up && cluster_.is_member(node);
}

void DriverViewRecorder::on_workload_start(sim::Time origin) {
    origin_ = origin;
    started_ = true;
    const std::size_t n = cluster_.topology().nodes().size();
    serving_.assign(n, true);
    // Every node serves unless it says otherwise at the start (e.g. one that has not joined yet).
    for (std::size_t i = 0; i < n; ++i)
        if (!serving(i)) {
            serving_[i] = false;
            transitions_.push_back({0.0, cluster_.topology().node(i).name, false});
        }
}

void DriverViewRecorder::on_fault(const checks::FaultChanged& f) {
    if (!started_) return;
    for (std::size_t i = 0; i < serving_.size(); ++i) {
        const bool now = serving(i);
        if (now == serving_[i]) continue;
        serving_[i] = now;
        transitions_.push_back({since_origin(f.at), cluster_.topology().node(i).name, now});
    }
}

void DriverViewRecorder::on_node_marked(const checks::NodeMarked& f) {
    if (!started_) return;
    auto node = world_.node_at(f.address);
    if (!node) node = world_.node_of(f.node);
    // A node the world cannot name (an address no node has) still counts, by its address.
    std::string name = node ? world_.node_name(*node) : f.address.to_string();
    marks_.push_back({std::string(f.client), std::move(name), since_origin(f.at), f.up, std::nullopt});
}

std::optional<double> truth_of(const results::DriverNodeMark& mark, const std::vector<results::NodeTransition>& transitions) {
    const results::NodeTransition* latest = nullptr;
    for (const auto& t : transitions)
        if (t.node == mark.node && t.time_s <= mark.time_s) latest = &t;
    if (latest == nullptr || latest->up != mark.up) return std::nullopt;
    return latest->time_s;
}

void DriverViewRecorder::report(results::RunRecord& record) const {
    record.node_transitions = transitions_;
    record.driver_marks = marks_;
    for (auto& m : record.driver_marks) m.truth_s = truth_of(m, transitions_);
}

}  // namespace routelab::runner
