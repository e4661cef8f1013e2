#pragma once
// A TCP proxy endpoint: listens at one address and forwards every connection it accepts
// to a target endpoint, opening the upstream connection from its own address (so the
// target sees the proxy, as behind a PrivateLink endpoint or a load balancer). Bytes
// are piped both ways unchanged; bytes a client sends before the upstream is connected
// wait. When either side closes or fails, the other side is closed.
//
// Written against net::Network, so the same forwarder runs in simulation and in live
// mode. Changing the target affects new connections only; open ones stay where they are.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

#include "sim/core/scheduler.hpp"
#include "sim/net/network.hpp"

namespace routelab::cluster {

class Forwarder {
public:
    // Chooses the target for a new connection (nullopt: refuse it, closing the client).
    using TargetFor = std::function<std::optional<net::Endpoint>(const net::Stream& client)>;

    Forwarder(sim::Scheduler& scheduler, net::Network& network, net::Endpoint at, TargetFor target_for);
    ~Forwarder();
    Forwarder(const Forwarder&) = delete;
    Forwarder& operator=(const Forwarder&) = delete;

    bool listening() const { return listening_; }
    net::Endpoint endpoint() const { return at_; }
    std::size_t open_connections() const { return pairs_.size(); }
    std::uint64_t accepted() const { return accepted_; }

    // Closes every forwarded connection (both sides).
    void close_all();

private:
    struct Pair {
        net::StreamPtr client;
        net::StreamPtr upstream;
        std::vector<std::uint8_t> waiting;   // client bytes before the upstream connected
    };
    void accept(net::StreamPtr client);
    void drop(std::uint64_t id);

    sim::Scheduler& scheduler_;
    net::Network& network_;
    net::Endpoint at_;
    TargetFor target_for_;
    bool listening_ = false;
    std::uint64_t next_id_ = 0;
    std::uint64_t accepted_ = 0;
    std::map<std::uint64_t, std::shared_ptr<Pair>> pairs_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);   // connects finishing after destruction
};

}  // namespace routelab::cluster
