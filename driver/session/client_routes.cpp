#include "driver/session/client_routes.hpp"

#include <algorithm>
#include <set>

#include "driver/session/row_reader.hpp"

namespace routelab::driver {

namespace {

constexpr const char* select_routes = "SELECT connection_id, host_id, address, port, tls_port FROM system.client_routes";

std::string markers(std::size_t n) {
    std::string s = "(";
    for (std::size_t i = 0; i < n; ++i) s += i == 0 ? "?" : ", ?";
    return s + ")";
}

cql::Value text_value(const std::string& text) { return cql::Value::of(cql::Bytes(text.begin(), text.end())); }

int hex_digit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// "8-4-4-4-12" hex text → 16 bytes; nullopt if malformed.
std::optional<cql::Bytes> uuid_bytes(const std::string& text) {
    cql::Bytes out;
    int high = -1;
    for (char c : text) {
        if (c == '-') continue;
        const int d = hex_digit(c);
        if (d < 0) return std::nullopt;
        if (high < 0) {
            high = d;
        } else {
            out.push_back(static_cast<std::uint8_t>(high * 16 + d));
            high = -1;
        }
    }
    if (out.size() != 16 || high >= 0) return std::nullopt;
    return out;
}

}  // namespace

std::optional<std::string> check_client_routes_config(const ClientRoutesConfig& config, bool tls) {
    if (tls) return std::string("TLS is not supported with client routes: connect without TLS or without client routes");
    if (config.proxies.empty()) return std::string("client routes need at least one connection id");
    std::set<std::string> seen;
    for (const auto& proxy : config.proxies) {
        if (proxy.connection_id.empty()) return std::string("client routes: a connection id is empty");
        if (!seen.insert(proxy.connection_id).second)
            return "client routes: connection id \"" + proxy.connection_id + "\" is given twice";
        if (proxy.hostname_override && !net::parse_ipv4(*proxy.hostname_override))
            return "client routes: hostname override \"" + *proxy.hostname_override + "\" of connection id \"" +
                   proxy.connection_id + "\" is not an IPv4 address (the simulated network has no DNS)";
    }
    return std::nullopt;
}

std::optional<std::string> read_client_routes(const cql::RowsResult& rows, std::vector<ClientRouteRow>& out,
                                              std::size_t& skipped) {
    skipped = 0;
    const std::size_t before = out.size();
    for (std::size_t i = 0; i < rows.rows.size(); ++i) {
        RowReader row(rows, i);
        std::string error;
        ClientRouteRow r;
        r.connection_id = row.text("connection_id", error);
        r.host_id = row.text("host_id", error);
        r.address = row.text("address", error);
        r.port = row.int32("port", error);
        r.tls_port = row.int32("tls_port", error);
        const bool port_ok = r.port && *r.port >= 1 && *r.port <= 65535;
        if (!error.empty() || r.connection_id.empty() || r.host_id.empty() || r.address.empty() || !port_ok) {
            ++skipped;
            continue;
        }
        out.push_back(std::move(r));
    }
    if (!rows.rows.empty() && out.size() == before)
        return "system.client_routes: all " + std::to_string(rows.rows.size()) +
               " rows lack connection_id, host_id, address or a port in 1..65535";
    return std::nullopt;
}

cql::Query client_routes_query(const ClientRoutesConfig& config) {
    cql::Query q;
    q.query = std::string(select_routes) + " WHERE connection_id IN " + markers(config.proxies.size());
    q.parameters.consistency = cql::Consistency::one;
    for (const auto& proxy : config.proxies) q.parameters.values.push_back(text_value(proxy.connection_id));
    return q;
}

std::vector<std::pair<std::string, std::string>> relevant_pairs(const ClientRoutesConfig& config,
                                                                const cql::ClientRoutesChange& event) {
    std::vector<std::pair<std::string, std::string>> out;
    const std::size_t n = std::min(event.connection_ids.size(), event.host_ids.size());
    for (std::size_t i = 0; i < n; ++i) {
        const bool ours = std::any_of(config.proxies.begin(), config.proxies.end(),
                                      [&](const ClientRoutesProxy& p) { return p.connection_id == event.connection_ids[i]; });
        if (ours) out.emplace_back(event.connection_ids[i], event.host_ids[i]);
    }
    return out;
}

std::optional<cql::Query> client_routes_update_query(const ClientRoutesConfig&,
                                                     const std::vector<std::pair<std::string, std::string>>& pairs) {
    std::set<std::string> ids;
    std::set<std::string> hosts;
    std::vector<cql::Bytes> host_bytes;
    for (const auto& [id, host] : pairs) {
        ids.insert(id);
        if (!hosts.insert(host).second) continue;
        auto bytes = uuid_bytes(host);
        if (!bytes) return std::nullopt;   // the server sent a malformed host id
        host_bytes.push_back(std::move(*bytes));
    }
    if (ids.empty()) return std::nullopt;
    cql::Query q;
    q.query = std::string(select_routes) + " WHERE connection_id IN " + markers(ids.size()) + " AND host_id IN " +
              markers(host_bytes.size());
    q.parameters.consistency = cql::Consistency::one;
    for (const auto& id : ids) q.parameters.values.push_back(text_value(id));
    for (auto& bytes : host_bytes) q.parameters.values.push_back(cql::Value::of(std::move(bytes)));
    return q;
}

ClientRouteTable::ClientRouteTable(ClientRoutesConfig config) : config_(std::move(config)) {}

bool ClientRouteTable::configured(const std::string& connection_id) const {
    return std::any_of(config_.proxies.begin(), config_.proxies.end(),
                       [&](const ClientRoutesProxy& p) { return p.connection_id == connection_id; });
}

void ClientRouteTable::replace_all(const std::vector<ClientRouteRow>& rows) {
    routes_.clear();
    for (const auto& row : rows)
        if (configured(row.connection_id)) routes_[{row.connection_id, row.host_id}] = row;
}

void ClientRouteTable::apply_update(const std::vector<std::pair<std::string, std::string>>& pairs,
                                    const std::vector<ClientRouteRow>& rows) {
    for (const auto& pair : pairs) {
        auto row = std::find_if(rows.begin(), rows.end(), [&](const ClientRouteRow& r) {
            return r.connection_id == pair.first && r.host_id == pair.second;
        });
        if (row == rows.end())
            routes_.erase(pair);
        else if (configured(pair.first))
            routes_[pair] = *row;
    }
}

RouteResolution ClientRouteTable::endpoint_of(const ClientRouteRow& row) const {
    RouteResolution r;
    r.connection_id = row.connection_id;
    std::string address = row.address;
    for (const auto& proxy : config_.proxies)
        if (proxy.connection_id == row.connection_id && proxy.hostname_override) address = *proxy.hostname_override;
    const auto ip = net::parse_ipv4(address);
    if (!ip) {
        r.error = "route " + row.connection_id + " of host " + row.host_id + ": address \"" + address +
                  "\" is not an IPv4 address (the simulated network has no DNS)";
        return r;
    }
    r.endpoint = net::Endpoint{*ip, static_cast<std::uint16_t>(*row.port)};
    return r;
}

RouteResolution ClientRouteTable::resolve(const std::string& host_id) {
    if (auto sticky = sticky_.find(host_id); sticky != sticky_.end()) {
        if (auto route = routes_.find({sticky->second, host_id}); route != routes_.end()) return endpoint_of(route->second);
        sticky_.erase(sticky);
    }
    for (const auto& proxy : config_.proxies) {
        auto route = routes_.find({proxy.connection_id, host_id});
        if (route == routes_.end()) continue;
        sticky_[host_id] = proxy.connection_id;
        return endpoint_of(route->second);
    }
    RouteResolution none;
    none.error = "no client route for host " + host_id + " in system.client_routes for the configured connection ids";
    return none;
}

}  // namespace routelab::driver
