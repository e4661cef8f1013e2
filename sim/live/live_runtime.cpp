#include "sim/live/live_runtime.hpp"

#include <csignal>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/signal_set.hpp>

#include "sim/live/asio_network.hpp"
#include "sim/live/guarded_network.hpp"
#include "sim/live/live_scheduler.hpp"

namespace routelab::live {

namespace {

// Forwards to the AsioNetwork and remembers why listens failed: the mock cluster's
// servers do not report it, and `serve` must refuse to run half a cluster.
class RecordingNetwork final : public net::Network {
public:
    RecordingNetwork(AsioNetwork& inner, std::vector<std::string>& errors) : inner_(inner), errors_(errors) {}
    bool listen(net::Endpoint at, AcceptHandler on_accept) override {
        const bool ok = inner_.listen(at, std::move(on_accept));
        if (!ok) errors_.push_back(inner_.last_listen_error());
        return ok;
    }
    void unlisten(net::Endpoint at) override { inner_.unlisten(at); }
    void connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) override {
        inner_.connect(from, to, std::move(on_connected));
    }

private:
    AsioNetwork& inner_;
    std::vector<std::string>& errors_;
};

}  // namespace

struct LiveRuntime::Impl {
    explicit Impl(LiveLimits limits) : guarded(io, recording, std::move(limits)) {}

    // Declared first, destroyed last: everything below holds handlers on it.
    boost::asio::io_context io{1};
    LiveScheduler scheduler{io};
    AsioNetwork network{io};
    std::vector<std::string> listen_errors;
    RecordingNetwork recording{network, listen_errors};
    GuardedNetwork guarded;   // what the cluster sees: accepted connections under the limits
    std::unique_ptr<ControlServer> control;
    bool stop_requested = false;
    int last_signal = 0;
};

LiveRuntime::LiveRuntime(LiveLimits limits) : impl_(std::make_unique<Impl>(std::move(limits))) {}

LiveRuntime::~LiveRuntime() = default;

sim::Scheduler& LiveRuntime::scheduler() { return impl_->scheduler; }

net::Network& LiveRuntime::network() { return impl_->guarded; }

LiveLimitStats LiveRuntime::limit_stats() const { return impl_->guarded.stats(); }

const LiveLimits& LiveRuntime::limits() const { return impl_->guarded.limits(); }

const std::vector<std::string>& LiveRuntime::listen_errors() const { return impl_->listen_errors; }

bool LiveRuntime::start_control(std::uint16_t port, ControlHandler handler, std::string& error) {
    impl_->control = std::make_unique<ControlServer>(impl_->io, std::move(handler));
    if (impl_->control->start(port, error)) return true;
    impl_->control.reset();
    return false;
}

std::uint16_t LiveRuntime::control_port() const { return impl_->control ? impl_->control->port() : std::uint16_t{0}; }

StopReason LiveRuntime::serve(std::optional<sim::Duration> limit) {
    auto& io = impl_->io;
    impl_->stop_requested = false;
    std::optional<StopReason> reason;
    boost::asio::signal_set signals(io, SIGINT, SIGTERM);
    signals.async_wait([&](const boost::system::error_code& ec, int signal_number) {
        if (ec) return;
        impl_->last_signal = signal_number;
        if (!reason) reason = StopReason::signal;
        io.stop();
    });
    boost::asio::steady_timer deadline(io);
    if (limit) {
        deadline.expires_after(std::chrono::nanoseconds(limit->ns()));
        deadline.async_wait([&](const boost::system::error_code& ec) {
            if (ec) return;
            if (!reason) reason = StopReason::duration;
            io.stop();
        });
    }
    auto work = boost::asio::make_work_guard(io);
    io.restart();
    while (!reason && !impl_->stop_requested) {
        io.run_one();
        if (io.stopped() && !reason && !impl_->stop_requested) io.restart();
    }
    // The signal set and the timer are cancelled here, while the loop no longer runs;
    // their aborted handlers are dropped with the io_context or run by a later serve.
    signals.cancel();
    deadline.cancel();
    io.restart();
    io.poll();   // let the aborted handlers go, so nothing refers to this frame's locals
    return reason.value_or(StopReason::stopped);
}

void LiveRuntime::stop() { impl_->stop_requested = true; }

int LiveRuntime::last_signal() const { return impl_->last_signal; }

bool LiveRuntime::run_until(const std::function<bool()>& done, sim::Duration limit) {
    return impl_->scheduler.run_until(done, limit);
}

}  // namespace routelab::live
