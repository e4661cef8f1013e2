#include "sim/runner/window_recorder.hpp"

#include <algorithm>

namespace routelab::runner {

void WindowRecorder::close_current() {
    flush(closed_, current_index_, current_);
    // Keep the vectors' capacity: a new window allocates nothing once the first grew them.
    std::fill(current_.errors.begin(), current_.errors.end(), 0);
    for (auto& n : current_.nodes) {
        n.attempts = n.answered = 0;
        n.latency_ns.clear();
    }
    for (auto& c : current_.clients) {
        c.requests = c.errors = 0;
        c.latency_ns.clear();
    }
    std::fill(current_.positions.begin(), current_.positions.end(), 0);
    current_.requests = current_.attempts = current_.retries = current_.speculative = 0;
    current_.in_flight_max = in_flight_;
}

void WindowRecorder::advance_to(sim::Time t) {
    const auto index = static_cast<std::size_t>(std::max<std::int64_t>((t - origin_).ns(), 0) / window_.ns());
    while (current_index_ < index) {
        close_current();
        ++current_index_;
    }
}

void WindowRecorder::on_request_issued(const checks::RequestIssued& f) {
    advance_to(f.at);
    ++in_flight_;
    current_.in_flight_max = std::max(current_.in_flight_max, in_flight_);
}

void WindowRecorder::on_request_ended(const checks::RequestEnded& f) {
    advance_to(f.ended);
    if (in_flight_ > 0) --in_flight_;
    Window& w = current_;
    ++w.requests;
    ++w.errors[static_cast<std::size_t>(f.error)];
    w.attempts += static_cast<std::uint64_t>(f.history.size());
    w.retries += static_cast<std::uint64_t>(checks::retries_of(f.history));
    w.speculative += static_cast<std::uint64_t>(checks::speculative_of(f.history));
    if (w.nodes.size() < world_.node_count()) w.nodes.resize(world_.node_count());
    for (const auto& a : f.history)
        if (auto node = world_.node_of(a.node); node && *node < w.nodes.size()) ++w.nodes[*node].attempts;
    if (f.answered)
        if (auto node = world_.node_of(*f.answered); node && *node < w.nodes.size()) {
            ++w.nodes[*node].answered;
            w.nodes[*node].latency_ns.record(f.latency().ns());
        }
    ClientCounts& c = w.clients[client_index(f.client)];
    ++c.requests;
    if (f.ok()) c.latency_ns.record(f.latency().ns());
    else ++c.errors;
    if (f.answered_position >= 0) {
        const auto position = static_cast<std::size_t>(f.answered_position);
        if (w.positions.size() <= position) w.positions.resize(position + 1);
        ++w.positions[position];
    }
}

std::size_t WindowRecorder::client_index(std::string_view client) {
    for (std::size_t i = 0; i < client_names_.size(); ++i)
        if (client_names_[i] == client) return i;
    client_names_.emplace_back(client);
    current_.clients.resize(client_names_.size());
    return client_names_.size() - 1;
}

void WindowRecorder::flush(results::RunRecord& record, std::size_t index, const Window& w) const {
    if (w.requests == 0) return;
    const double start_s = static_cast<double>(index) * window_.seconds();
    for (std::size_t k = 0; k < w.errors.size(); ++k)
        if (k != static_cast<std::size_t>(checks::ErrorKind::none) && w.errors[k] != 0)
            record.window_errors.push_back({start_s, std::string(checks::to_string(static_cast<checks::ErrorKind>(k))), w.errors[k]});
    for (std::size_t n = 0; n < w.nodes.size(); ++n)
        if (w.nodes[n].attempts != 0 || w.nodes[n].answered != 0)
            record.window_node_load.push_back({start_s, world_.node_name(n), w.nodes[n].attempts, w.nodes[n].answered});
    for (std::size_t n = 0; n < w.nodes.size(); ++n) {
        const auto& h = w.nodes[n].latency_ns;
        if (h.count() != 0)
            record.window_node_latency.push_back(
                {start_s, world_.node_name(n), h.count(), h.quantile(0.5), h.quantile(0.99), h.quantile(0.999), h.max()});
    }
    for (std::size_t i = 0; i < w.clients.size(); ++i) {
        const auto& c = w.clients[i];
        if (c.requests == 0) continue;
        const auto& h = c.latency_ns;
        record.window_client_load.push_back(
            {start_s, client_names_[i], c.requests, c.errors, h.quantile(0.5), h.quantile(0.99), h.quantile(0.999), h.max()});
    }
    record.window_attempts.push_back({start_s, w.requests, w.attempts, w.retries, w.speculative, w.in_flight_max});
    for (std::size_t p = 0; p < w.positions.size(); ++p)
        if (w.positions[p] != 0) record.window_plan_positions.push_back({start_s, static_cast<int>(p), w.positions[p]});
}

void WindowRecorder::report(results::RunRecord& record) const {
    record.window_errors = closed_.window_errors;
    record.window_node_load = closed_.window_node_load;
    record.window_attempts = closed_.window_attempts;
    record.window_plan_positions = closed_.window_plan_positions;
    record.window_node_latency = closed_.window_node_latency;
    record.window_client_load = closed_.window_client_load;
    flush(record, current_index_, current_);
}

}  // namespace routelab::runner
