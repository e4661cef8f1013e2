#include "sim/scenario/clients.hpp"

#include "sim/scenario/nodes.hpp"

namespace routelab::scenario {

std::string default_client_datacenter(const Scenario& scenario, const DriverSpec& driver) {
    if (!driver.local_datacenter.empty()) return driver.local_datacenter;
    const auto nodes = all_nodes(scenario.topology);
    return nodes.empty() ? std::string() : nodes.front().datacenter;
}

std::vector<ClientSpec> scenario_clients(const Scenario& scenario) {
    if (!scenario.clients.empty()) return scenario.clients;
    ClientSpec client;
    client.name = default_client_name;
    client.datacenter = default_client_datacenter(scenario, scenario.driver);
    client.driver = scenario.driver;
    client.workload = scenario.workload;
    return {client};
}

}  // namespace routelab::scenario
