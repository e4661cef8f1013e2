#pragma once
// Everything a live-mode process runs on, behind one object: the io_context, the
// LiveScheduler, the AsioNetwork and (optionally) the HTTP control server. Its header keeps
// Boost.Asio out of the code above sim/live (the CLI only sees the Scheduler and Network
// interfaces). Single-threaded: `serve` runs every handler on the calling thread.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/scheduler.hpp"
#include "sim/live/control_server.hpp"
#include "sim/live/live_limits.hpp"
#include "sim/net/network.hpp"

namespace routelab::live {

enum class StopReason { signal, duration, stopped };

class LiveRuntime {
public:
    // Every connection accepted through `network()` is held to `limits`.
    explicit LiveRuntime(LiveLimits limits = {});
    ~LiveRuntime();
    LiveRuntime(const LiveRuntime&) = delete;
    LiveRuntime& operator=(const LiveRuntime&) = delete;

    sim::Scheduler& scheduler();
    net::Network& network();

    // Every `listen` that failed so far, with the reason ("cannot listen on 127.0.0.2:9042:
    // Address already in use").
    const std::vector<std::string>& listen_errors() const;

    // What the connection limits did so far (frame budget use, connections closed).
    LiveLimitStats limit_stats() const;
    const LiveLimits& limits() const;

    // Starts the HTTP control server on 127.0.0.1:port (0: any free port).
    bool start_control(std::uint16_t port, ControlHandler handler, std::string& error);
    std::uint16_t control_port() const;

    // Serves until SIGINT or SIGTERM arrives, `limit` of wall time passes, or `stop()` is
    // called from a handler. Returns why it stopped; `last_signal()` names the signal.
    StopReason serve(std::optional<sim::Duration> limit);
    void stop();
    int last_signal() const;

    // Runs the loop until `done()` or `limit` of wall time; returns done(). For tests.
    bool run_until(const std::function<bool()>& done, sim::Duration limit);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace routelab::live
