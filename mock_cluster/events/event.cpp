#include "mock_cluster/events/event.hpp"

#include <cassert>
#include <utility>

namespace routelab::cluster::events {

namespace {

namespace wire = routelab::cql;

constexpr std::pair<std::string_view, EventType> names[] = {
    {wire::event_types::topology_change, EventType::topology_change},
    {wire::event_types::status_change, EventType::status_change},
    {wire::event_types::schema_change, EventType::schema_change},
    {wire::event_types::client_routes_change, EventType::client_routes_change},
};

wire::Inet inet_of(net::Endpoint at) {
    wire::Inet inet;
    inet.address = wire::InetAddress::v4(static_cast<std::uint8_t>(at.ip >> 24), static_cast<std::uint8_t>(at.ip >> 16),
                                         static_cast<std::uint8_t>(at.ip >> 8), static_cast<std::uint8_t>(at.ip));
    inet.port = at.port;
    return inet;
}

}  // namespace

std::optional<EventType> event_type_from_name(std::string_view name) {
    for (const auto& [n, type] : names)
        if (n == name) return type;
    return std::nullopt;
}

EventType type_of(const Event& event) {
    // Alternatives in the order of wire::Event::change.
    constexpr EventType by_index[] = {EventType::topology_change, EventType::status_change, EventType::schema_change,
                                      EventType::client_routes_change};
    static_assert(std::is_same_v<std::variant_alternative_t<0, decltype(Event::change)>, wire::TopologyChange>);
    static_assert(std::is_same_v<std::variant_alternative_t<1, decltype(Event::change)>, wire::StatusChange>);
    static_assert(std::is_same_v<std::variant_alternative_t<2, decltype(Event::change)>, wire::SchemaChange>);
    static_assert(std::is_same_v<std::variant_alternative_t<3, decltype(Event::change)>, wire::ClientRoutesChange>);
    return by_index[event.change.index()];
}

Event status_change(bool up, net::Endpoint node) { return Event{wire::StatusChange{up ? "UP" : "DOWN", inet_of(node)}}; }

Event topology_change(bool new_node, net::Endpoint node) {
    return Event{wire::TopologyChange{new_node ? "NEW_NODE" : "REMOVED_NODE", inet_of(node)}};
}

Event schema_change(const char* change, const char* target, std::string keyspace, std::string name) {
    wire::SchemaChange c;
    c.change_type = change;
    c.target = target;
    c.keyspace = std::move(keyspace);
    c.name = std::move(name);
    return Event{std::move(c)};
}

Event client_routes_change(std::vector<std::string> connection_ids, std::vector<std::string> host_ids) {
    assert(connection_ids.size() == host_ids.size());
    wire::ClientRoutesChange c;
    c.connection_ids = std::move(connection_ids);
    c.host_ids = std::move(host_ids);
    return Event{std::move(c)};
}

}  // namespace routelab::cluster::events
