#pragma once
// Server-pushed events: the event types a connection can REGISTER for (as bit flags), and
// builders for the EVENT messages the cluster pushes (driver/protocol encodes them; they
// travel on stream -1).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "driver/protocol/messages.hpp"
#include "sim/net/endpoint.hpp"

namespace routelab::cluster::events {

using Event = routelab::cql::Event;

// Bit flags, so a connection's registrations fit in one byte.
enum class EventType : std::uint8_t {
    topology_change = 0x01,
    status_change = 0x02,
    schema_change = 0x04,
    client_routes_change = 0x08,   // ScyllaDB extension
};
std::optional<EventType> event_type_from_name(std::string_view name);
EventType type_of(const Event& event);

// `node` is the node's RPC address and native port, as drivers know it.
Event status_change(bool up, net::Endpoint node);
Event topology_change(bool new_node, net::Endpoint node);
Event schema_change(const char* change, const char* target, std::string keyspace, std::string name = {});
// UPDATE_NODES: parallel lists, one entry per changed (connection_id, host_id) key.
Event client_routes_change(std::vector<std::string> connection_ids, std::vector<std::string> host_ids);

}  // namespace routelab::cluster::events
