#pragma once
// EVENT bodies pushed on stream -1 to connections that REGISTERed for them.
#include <string>
#include <variant>
#include <vector>

#include "driver/protocol/messages/results.hpp"
#include "driver/protocol/primitives.hpp"

namespace routelab::cql {

namespace event_types {
constexpr const char* topology_change = "TOPOLOGY_CHANGE";
constexpr const char* status_change = "STATUS_CHANGE";
constexpr const char* schema_change = "SCHEMA_CHANGE";
constexpr const char* client_routes_change = "CLIENT_ROUTES_CHANGE";  // ScyllaDB
}  // namespace event_types

struct TopologyChange {
    std::string change;                  // NEW_NODE, REMOVED_NODE (MOVED_NODE on old servers)
    Inet node;                           // native address and port
    bool operator==(const TopologyChange&) const = default;
};
struct StatusChange {
    std::string change;                  // UP, DOWN
    Inet node;
    bool operator==(const StatusChange&) const = default;
};
// ScyllaDB: parallel lists, one (connection_id, host_id) pair per changed route.
struct ClientRoutesChange {
    std::string change = "UPDATE_NODES";
    std::vector<std::string> connection_ids;
    std::vector<std::string> host_ids;
    bool operator==(const ClientRoutesChange&) const = default;
};

struct Event {
    std::variant<TopologyChange, StatusChange, SchemaChange, ClientRoutesChange> change;
    bool operator==(const Event&) const = default;
};

}  // namespace routelab::cql
