#pragma once
// Client routes (private networking, as ScyllaDB Cloud's PrivateLink / Private Service
// Connect): nodes are not reachable at the addresses they broadcast, only through proxy
// endpoints that `system.client_routes` lists per (connection id, host id). The driver is
// configured with the connection ids it may use; this file holds that configuration, the
// queries that read the table, and the table of routes the session connects through.
//
// Semantics follow the ScyllaDB Rust driver (where it differs from the Python driver,
// Rust wins and the difference is named):
// - a host without a route is an error for that host: no fallback to its own address
//   (the Python driver falls back; mixed direct/proxied clusters are not supported);
// - each host keeps a sticky connection id while the table still lists it for that host;
//   only when it disappears does another configured id take over;
// - an event names changed (connection id, host id) pairs: only those are re-read, and a
//   pair the answer does not list has been deleted;
// - TLS with client routes is refused; advanced shard awareness (choosing source ports) is
//   off by default, since proxies do not preserve the client's port.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "sim/net/endpoint.hpp"

namespace routelab::driver {

struct ClientRoutesProxy {
    std::string connection_id;
    // Used instead of the table's `address` (as the Rust driver's overridden hostname).
    // The simulated network has no DNS: addresses must be IPv4 literals.
    std::optional<std::string> hostname_override;
};

struct ClientRoutesConfig {
    std::vector<ClientRoutesProxy> proxies;      // at least one
    bool advanced_shard_awareness = false;       // source-port shard selection through proxies
};

// Checks the configuration: at least one proxy, non-empty unique ids, overrides that are
// IPv4 literals, and no TLS (not supported with client routes). The message says why.
std::optional<std::string> check_client_routes_config(const ClientRoutesConfig& config, bool tls);

// One row of system.client_routes, as read.
struct ClientRouteRow {
    std::string connection_id;
    std::string host_id;                  // UUID text
    std::string address;
    std::optional<std::int32_t> port;
    std::optional<std::int32_t> tls_port;
    bool operator==(const ClientRouteRow&) const = default;
};

// Reads rows by column name. Rows lacking connection_id, host_id, address or port, or with
// a port outside 1..65535, are skipped and counted in `skipped`; if rows came back and
// every one was bad, that is an error (the store is not wiped by a bad answer).
std::optional<std::string> read_client_routes(const cql::RowsResult& rows, std::vector<ClientRouteRow>& out,
                                              std::size_t& skipped);

// The QUERY that reads every route of the configured ids (one bind marker per id, as the
// Python driver sends it: no PREPARE round trip on the control connection).
cql::Query client_routes_query(const ClientRoutesConfig& config);
// The QUERY that re-reads the changed pairs an event named (cross product of the ids and
// hosts; extra rows are ignored when merging). Nullopt if no pair concerns our ids.
std::optional<cql::Query> client_routes_update_query(const ClientRoutesConfig& config,
                                                     const std::vector<std::pair<std::string, std::string>>& pairs);
// The pairs of an event that concern the configured connection ids.
std::vector<std::pair<std::string, std::string>> relevant_pairs(const ClientRoutesConfig& config,
                                                                const cql::ClientRoutesChange& event);

// Where a host is reached, or why it cannot be.
struct RouteResolution {
    std::optional<net::Endpoint> endpoint;
    std::string connection_id;            // the route used
    std::string error;                    // when no endpoint
};

class ClientRouteTable {
public:
    explicit ClientRouteTable(ClientRoutesConfig config);

    // A full read: the rows replace every route.
    void replace_all(const std::vector<ClientRouteRow>& rows);
    // An event's re-read: each pair is set from its row, or deleted when no row lists it.
    // Rows for pairs that were not asked about are ignored.
    void apply_update(const std::vector<std::pair<std::string, std::string>>& pairs,
                      const std::vector<ClientRouteRow>& rows);

    // The endpoint of a host: its sticky route if still listed, else the first configured
    // id (in configuration order) that lists it. Sticks to the chosen id.
    RouteResolution resolve(const std::string& host_id);
    std::size_t size() const { return routes_.size(); }
    const ClientRoutesConfig& config() const { return config_; }

private:
    bool configured(const std::string& connection_id) const;
    RouteResolution endpoint_of(const ClientRouteRow& row) const;

    ClientRoutesConfig config_;
    // (connection id, host id) → row. Ordered: resolution never depends on hash order.
    std::map<std::pair<std::string, std::string>, ClientRouteRow> routes_;
    std::map<std::string, std::string> sticky_;   // host id → connection id
};

}  // namespace routelab::driver
