// Session::close(): the session of an application that shuts down or restarts. Kept apart
// from session.cpp, which runs requests; here they are ended.
#include "driver/session/session.hpp"

namespace routelab::driver {

void Session::close() {
    if (closed_) return;
    closed_ = true;
    // Requests first, so the connections failing under them below find them ended. A
    // callback may start a request: it ends from an event (see start_request).
    for (std::uint32_t slot = 0; slot < requests_.size(); ++slot) {
        if (!requests_[slot].active) continue;
        finish(slot, RequestResult{RequestOutcome::connection_lost, nullptr, 0, std::nullopt, requests_[slot].attempts, {}, {}, {}});
    }
    for (auto& pool : pools_) {
        for (auto& reconnect : pool.reconnects)
            if (reconnect) {
                env_.scheduler.cancel(*reconnect);
                reconnect.reset();
            }
        for (auto& connection : pool.connections)
            if (connection) connection->close();
    }
    control_.reset();
}

}  // namespace routelab::driver
