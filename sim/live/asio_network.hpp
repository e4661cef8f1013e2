#pragma once
// The Network contract (sim/net/network.hpp) over real TCP sockets, for live mode.
//
//  - `listen` binds the endpoint's address and port (127.0.0.x: Linux routes all of 127/8
//    to the loopback interface, so every node gets its own address on the same port);
//    false if the bind fails (address taken, or not a local address).
//  - `connect` binds the `from` address (port 0: the kernel picks the port) and connects;
//    failure reasons: refused (nobody listens), unreachable (anything else, or no answer
//    within `connect_timeout`).
//  - Writes are queued and sent in order; bytes written while a send is in flight are
//    merged into the next send. At most 64 MiB may wait: a write beyond that resets the
//    connection (a peer that stopped reading). No write or close runs a handler: every
//    handler runs from an Asio completion on the io_context.
//  - A stream reads only while it has a data handler: clearing the handler pauses reading
//    (bytes wait in the kernel's receive buffer), installing one resumes it.
//  - `close()` stops reading at once, sends what is queued, then closes the socket (FIN):
//    the peer sees its bytes, then peer_close. An error on the socket closes it as a reset.
//    The local end's own close handler never runs after `close()`; after a close handler
//    ran, no handler of that stream runs again. Destroying a Stream closes it.
//
// What differs from the simulation: the two ends of a connection may be in different
// processes, so "the listener's accept handler runs before the connector's" holds only
// for what the connector observes (its first bytes wait in the socket until accepted).
// A peer's close is noticed only while reading. Single-threaded: everything runs on the
// thread running the io_context.
#include <cstdint>
#include <map>
#include <memory>

#include "sim/core/time.hpp"
#include "sim/live/asio.hpp"
#include "sim/net/network.hpp"

namespace routelab::live {

struct AsioNetworkStats {
    std::uint64_t connections_accepted = 0;
    std::uint64_t connections_opened = 0;   // outgoing, completed
    std::uint64_t connects_failed = 0;
};

class AsioNetwork final : public net::Network {
public:
    explicit AsioNetwork(boost::asio::io_context& io);
    ~AsioNetwork() override;
    AsioNetwork(const AsioNetwork&) = delete;
    AsioNetwork& operator=(const AsioNetwork&) = delete;

    bool listen(net::Endpoint at, AcceptHandler on_accept) override;
    void unlisten(net::Endpoint at) override;
    void connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) override;

    // Why the last `listen` returned false (empty after a success).
    const std::string& last_listen_error() const { return last_listen_error_; }
    const AsioNetworkStats& stats() const { return *stats_; }

    static constexpr sim::Duration connect_timeout = sim::Duration::from_s(5);

private:
    struct Listener;
    void accept_next(const std::shared_ptr<Listener>& listener);

    boost::asio::io_context& io_;
    std::map<net::Endpoint, std::shared_ptr<Listener>> listeners_;
    std::shared_ptr<AsioNetworkStats> stats_;
    std::string last_listen_error_;
};

boost::asio::ip::tcp::endpoint to_asio(net::Endpoint endpoint);
net::Endpoint from_asio(const boost::asio::ip::tcp::endpoint& endpoint);

}  // namespace routelab::live
