#pragma once
// The client applications a run has: the scenario's [[clients]], or without them one
// client named "default" running [workload] with [driver] from the driver's local
// datacenter (the first datacenter if unset), as routelab always did.
#include <string>
#include <vector>

#include "sim/scenario/model.hpp"

namespace routelab::scenario {

inline constexpr const char* default_client_name = "default";
inline constexpr std::size_t max_clients = 1000;

std::vector<ClientSpec> scenario_clients(const Scenario& scenario);
// The datacenter a client without an explicit one sits in: the driver's local datacenter,
// else the first node's.
std::string default_client_datacenter(const Scenario& scenario, const DriverSpec& driver);

}  // namespace routelab::scenario
