#pragma once
// The driver's client-routes configuration from a scenario's [driver.client_routes].
#include "driver/session/client_routes.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::scenario {

inline driver::ClientRoutesConfig to_client_routes_config(const ClientRoutesSpec& spec) {
    driver::ClientRoutesConfig config;
    for (const auto& id : spec.connection_ids) {
        driver::ClientRoutesProxy proxy{id, std::nullopt};
        if (auto o = spec.hostname_overrides.find(id); o != spec.hostname_overrides.end()) proxy.hostname_override = o->second;
        config.proxies.push_back(std::move(proxy));
    }
    config.advanced_shard_awareness = spec.advanced_shard_awareness;
    return config;
}

}  // namespace routelab::scenario
