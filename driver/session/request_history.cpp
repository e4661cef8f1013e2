#include "driver/session/request_history.hpp"

namespace routelab::driver {

const char* to_string(RequestOutcome outcome) {
    switch (outcome) {
        case RequestOutcome::ok: return "ok";
        case RequestOutcome::server_error: return "server error";
        case RequestOutcome::timeout: return "client timeout";
        case RequestOutcome::no_host_available: return "no host available";
        case RequestOutcome::connection_lost: return "connection lost";
    }
    return "unknown";
}

void SessionMetrics::record(RequestOutcome outcome, sim::Duration latency, std::optional<NodeIndex> node) {
    ++counts_[static_cast<std::size_t>(outcome)];
    if (outcome != RequestOutcome::ok) return;
    overall_ns_.record(latency.ns());
    if (node) {
        if (*node >= by_node_ns_.size()) by_node_ns_.resize(static_cast<std::size_t>(*node) + 1);
        by_node_ns_[*node].record(latency.ns());
    }
}

}  // namespace routelab::driver
