#include "sim/live/guarded_network.hpp"

#include <set>

#include "sim/live/connection_guard.hpp"

namespace routelab::live {

namespace {

// The net::Stream the listener receives; the guard behind it outlives it while one of
// its completions is running.
class GuardedStream final : public net::Stream {
public:
    explicit GuardedStream(std::shared_ptr<ConnectionGuard> guard) : guard_(std::move(guard)) {}
    ~GuardedStream() override { guard_->close(); }

    void on_data(DataHandler handler) override { guard_->on_data(std::move(handler)); }
    void on_close(CloseHandler handler) override { guard_->on_close(std::move(handler)); }
    void write(std::span<const std::uint8_t> bytes) override { guard_->write(bytes); }
    void close() override { guard_->close(); }
    bool open() const override { return guard_->open(); }
    net::Endpoint local() const override { return guard_->local(); }
    net::Endpoint remote() const override { return guard_->remote(); }

private:
    std::shared_ptr<ConnectionGuard> guard_;
};

}  // namespace

struct GuardedNetwork::State {
    std::map<std::uint32_t, std::size_t> open_per_address;
    std::map<std::uint32_t, std::size_t> refusing_per_address;
    // Connections over the cap, waiting for their first frame; they belong to nobody else.
    std::map<std::uint64_t, std::shared_ptr<ConnectionGuard>> refusing;
    std::uint64_t next_refusing = 0;
    std::set<std::uint32_t> own_sources;   // addresses this process connects from
};

GuardedNetwork::GuardedNetwork(boost::asio::io_context& io, net::Network& inner, LiveLimits limits)
    : inner_(inner), shared_(std::make_shared<GuardShared>(io, std::move(limits))), state_(std::make_shared<State>()) {}

GuardedNetwork::~GuardedNetwork() {
    auto refusing = std::move(state_->refusing);
    state_->refusing.clear();
    for (auto& [id, guard] : refusing) guard->close();
}

bool GuardedNetwork::listen(net::Endpoint at, AcceptHandler on_accept) {
    // The runtime destroys this before the inner network, with the loop stopped, and the
    // inner network drops its listeners' pending accepts: no accept runs after `this` is gone.
    return inner_.listen(at, [this, at, on_accept = std::move(on_accept)](net::StreamPtr stream) {
        accept(at, std::move(stream), on_accept);
    });
}

void GuardedNetwork::unlisten(net::Endpoint at) { inner_.unlisten(at); }

void GuardedNetwork::connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) {
    if (from.ip != 0) state_->own_sources.insert(from.ip);
    inner_.connect(from, to, std::move(on_connected));
}

void GuardedNetwork::accept(net::Endpoint at, net::StreamPtr stream, const AcceptHandler& on_accept) {
    const std::uint32_t ip = at.ip;
    std::size_t& open = state_->open_per_address[ip];
    if (open >= shared_->limits.max_connections_per_node) {
        ++shared_->stats.refused_over_connection_cap;
        const std::string message = "Too many connections to " + net::format_ipv4(ip) + ": at most " +
                                    std::to_string(shared_->limits.max_connections_per_node) +
                                    " per node (--max-connections-per-node)";
        std::size_t& refusing = state_->refusing_per_address[ip];
        if (refusing >= max_refusing_per_address) {
            shared_->log(stream->remote().to_string() + " -> " + stream->local().to_string() + ": " + message +
                         "; closed without an answer (too many refused connections waiting)");
            return stream->close();
        }
        ++refusing;
        const std::uint64_t id = state_->next_refusing++;
        std::weak_ptr<State> weak_state = state_;
        boost::asio::io_context& io = shared_->io;
        auto guard = std::make_shared<ConnectionGuard>(shared_, std::move(stream), message, [weak_state, ip, id, &io] {
            auto state = weak_state.lock();
            if (!state) return;
            --state->refusing_per_address[ip];
            // Dropped from a later completion: the guard may be running right now.
            boost::asio::post(io, [weak_state, id] {
                if (auto s = weak_state.lock()) s->refusing.erase(id);
            });
        });
        state_->refusing.emplace(id, guard);
        guard->start();
        return;
    }
    ++open;
    ++shared_->stats.connections_open;
    std::weak_ptr<State> weak_state = state_;
    std::weak_ptr<GuardShared> weak_shared = shared_;
    const bool internal = state_->own_sources.count(stream->remote().ip) != 0;
    auto guard = std::make_shared<ConnectionGuard>(shared_, std::move(stream), std::string(), [weak_state, weak_shared, ip] {
        if (auto state = weak_state.lock()) --state->open_per_address[ip];
        if (auto shared = weak_shared.lock()) --shared->stats.connections_open;
    });
    if (internal) guard->exempt_from_idle_timeout();
    guard->start();
    on_accept(std::make_unique<GuardedStream>(guard));
}

LiveLimitStats GuardedNetwork::stats() const {
    LiveLimitStats out = shared_->stats;
    out.frame_bytes_buffered = shared_->budget.used();
    out.frame_bytes_buffered_peak = shared_->budget.peak();
    return out;
}

const LiveLimits& GuardedNetwork::limits() const { return shared_->limits; }

}  // namespace routelab::live
