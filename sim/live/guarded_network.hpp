#pragma once
// A Network decorator that puts every accepted connection under the live limits
// (live_limits.hpp): each one is wrapped in a ConnectionGuard sharing one frame budget,
// and at most `max_connections_per_node` are open per listening address at once. One
// more is not handed to the listener: it gets an Overloaded ERROR in answer to its first
// frame and is closed (at most `max_refusing_per_address` such connections wait for their
// first frame at once; beyond that they are closed without an answer). Outgoing
// connections pass through unguarded (they are the process's own).
#include <map>
#include <memory>

#include "sim/live/asio.hpp"
#include "sim/live/live_limits.hpp"
#include "sim/net/network.hpp"

namespace routelab::live {

struct GuardShared;
class ConnectionGuard;

class GuardedNetwork final : public net::Network {
public:
    GuardedNetwork(boost::asio::io_context& io, net::Network& inner, LiveLimits limits);
    ~GuardedNetwork() override;
    GuardedNetwork(const GuardedNetwork&) = delete;
    GuardedNetwork& operator=(const GuardedNetwork&) = delete;

    bool listen(net::Endpoint at, AcceptHandler on_accept) override;
    void unlisten(net::Endpoint at) override;
    void connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) override;

    LiveLimitStats stats() const;
    const LiveLimits& limits() const;

    static constexpr std::size_t max_refusing_per_address = 64;

private:
    struct State;
    void accept(net::Endpoint at, net::StreamPtr stream, const AcceptHandler& on_accept);

    net::Network& inner_;
    std::shared_ptr<GuardShared> shared_;
    std::shared_ptr<State> state_;
};

}  // namespace routelab::live
