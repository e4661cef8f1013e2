#pragma once
// The control connection: one connection to some contact point that reads the cluster's
// metadata (system.local, system.peers, system_schema.keyspaces), REGISTERs for events
// and re-reads the metadata when a topology or schema event says it changed, and
// periodically. When its node goes away it moves to the next contact point, then to the
// nodes it knows; once every one failed it starts over after a backoff (exponential with
// jitter), for as long as the session lives.
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "driver/session/connection.hpp"
#include "driver/session/discovery.hpp"
#include "driver/session/reconnection.hpp"

namespace routelab::driver {

class ControlConnection {
public:
    using DiscoveryHandler = std::function<void(const Discovery&)>;
    using FailureHandler = std::function<void(const std::string& why)>;
    using StatusHandler = std::function<void(const net::Endpoint& node, bool up)>;
    // A CLIENT_ROUTES_CHANGE re-read: the changed pairs and the rows now listed for them.
    using RoutesHandler = std::function<void(const std::vector<std::pair<std::string, std::string>>& pairs,
                                             const std::vector<ClientRouteRow>& rows)>;

    // `rng` draws the backoff's jitter; it must outlive the connection.
    ControlConnection(Env& env, std::vector<net::Endpoint> contact_points, sim::Duration refresh_interval,
                      ReconnectionPolicy reconnection, sim::RngStream& rng);
    // With client routes: every metadata read also reads system.client_routes, the
    // connection REGISTERs for CLIENT_ROUTES_CHANGE, and an event re-reads only the changed
    // routes (no full refresh) and hands them to `on_routes`.
    void use_client_routes(ClientRoutesConfig config, RoutesHandler on_routes);
    ~ControlConnection();

    // Connects (trying contact points in order) and reads the metadata; `on_discovered`
    // runs after every successful read, `on_failed` if no contact point could be read at
    // the start (later, it keeps retrying instead).
    void start(DiscoveryHandler on_discovered, FailureHandler on_failed, StatusHandler on_status);
    // Re-reads the metadata (also done on TOPOLOGY_CHANGE and SCHEMA_CHANGE events).
    void refresh();
    std::size_t refreshes() const { return refreshes_; }
    // The nodes to fall back on after the contact points (the session's members).
    // Heartbeats and the connect timeout of the control connection (see Connection);
    // call before start().
    void set_timeouts(sim::Duration heartbeat_interval, sim::Duration heartbeat_timeout, sim::Duration connect_timeout) {
        heartbeat_interval_ = heartbeat_interval;
        heartbeat_timeout_ = heartbeat_timeout;
        connect_timeout_ = connect_timeout;
    }
    void set_known_endpoints(std::vector<net::Endpoint> endpoints) { known_ = std::move(endpoints); }
    std::size_t reconnect_rounds() const { return reconnect_rounds_; }

private:
    void connect_next();
    void arm_refresh();
    void read_metadata();
    void on_event(const cql::Event& event);
    void reread_routes(const cql::ClientRoutesChange& change);

    Env& env_;
    std::vector<net::Endpoint> contact_points_;
    std::vector<net::Endpoint> known_;
    sim::Duration refresh_interval_;
    sim::Duration heartbeat_interval_;
    sim::Duration heartbeat_timeout_;
    sim::Duration connect_timeout_;
    ReconnectionPolicy reconnection_;
    sim::RngStream& rng_;
    bool was_up_ = false;              // connected once: failures retry instead of reporting
    int failed_rounds_ = 0;            // consecutive rounds over every endpoint, for the backoff
    std::size_t reconnect_rounds_ = 0;
    sim::EventId refresh_timer_;
    std::optional<ClientRoutesConfig> client_routes_;
    RoutesHandler on_routes_;
    std::size_t next_contact_ = 0;
    std::unique_ptr<Connection> connection_;
    DiscoveryHandler on_discovered_;
    FailureHandler on_failed_;
    StatusHandler on_status_;
    std::string last_error_;
    bool reading_ = false;
    bool refresh_again_ = false;
    bool closing_ = false;             // in the destructor: pending reads end without effect
    std::size_t refreshes_ = 0;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace routelab::driver
