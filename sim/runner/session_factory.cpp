#include "sim/runner/session_factory.hpp"

#include "driver/policy/registry.hpp"
#include "driver/policy/round_robin.hpp"
#include "mock_cluster/coordinator/consistency.hpp"
#include "sim/runner/cluster_setup.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/client_routes_config.hpp"

namespace routelab::runner {

driver::SessionConfig make_session_config(const scenario::Scenario& scenario, const scenario::DriverSpec& d,
                                          const cluster::Cluster& cluster, const sim::Rng& rng, const std::string& streams,
                                          const driver::InFlightProvider& in_flight, std::string& error) {
    driver::SessionConfig session;
    session.contact_points = contact_points(cluster, scenario);
    auto policy = make_policy(d, rng.stream(streams + "driver/policy"), in_flight);
    if (!policy) {
        error = policy.error().to_string();
        policy = driver::Expected<std::unique_ptr<driver::LoadBalancingPolicy>>(std::make_unique<driver::RoundRobinPolicy>());
    }
    session.policy = std::move(policy).value();
    if (auto retry = make_retry(d)) session.retry = retry.value();
    else error = retry.error().to_string();
    auto speculative = driver::PolicyRegistry::create_speculative(
        d.speculative, driver::PolicyOptions(d.speculative_options, "driver.speculative " + d.speculative));
    if (speculative) session.speculative = std::move(speculative).value();
    else error = speculative.error().to_string();
    session.client_timestamps = d.client_timestamps;
    for (const auto& spec : d.profiles) {
        // Each profile's policies are built like the session's, from the client's driver
        // settings with the profile's fields on top; the parser already checked that they build.
        const scenario::DriverSpec pd = scenario::with_profile(d, spec);
        driver::ExecutionProfile profile;
        profile.name = spec.name;
        if (auto p = make_policy(pd, rng.stream(streams + "driver/profile/" + spec.name), in_flight)) profile.policy = std::move(p).value();
        else error = p.error().to_string();
        if (auto r = make_retry(pd)) profile.retry = r.value();
        else error = r.error().to_string();
        if (auto x = driver::PolicyRegistry::create_speculative(pd.speculative, driver::PolicyOptions(pd.speculative_options, "speculative " + pd.speculative)))
            profile.speculative = std::move(x).value();
        else error = x.error().to_string();
        auto cl = [](const std::optional<std::string>& name) -> std::optional<routelab::cql::Consistency> {
            if (!name) return std::nullopt;
            return static_cast<routelab::cql::Consistency>(cluster::consistency_from_name(*name).value_or(cluster::Consistency::one));
        };
        profile.consistency = cl(spec.consistency);
        profile.serial_consistency = cl(spec.serial_consistency);
        profile.request_timeout = sim::Duration::from_ms(pd.request_timeout_ms);
        profile.preferred_dc = spec.prefer_dc;
        profile.preferred_rack = spec.prefer_rack;
        session.profiles.push_back(std::move(profile));
    }
    session.connections_per_node = d.connections_per_node;
    session.connections_per_shard = d.connections_per_shard;
    session.shard_aware_port = d.shard_aware_port;
    if (d.compression == "lz4") session.compression = routelab::cql::Compression::lz4;
    session.request_timeout = sim::Duration::from_ms(d.request_timeout_ms);
    session.heartbeat_interval = sim::Duration::from_ns(static_cast<std::int64_t>(d.heartbeat_interval_s * 1e9));
    session.heartbeat_timeout = sim::Duration::from_ns(static_cast<std::int64_t>(d.heartbeat_timeout_s * 1e9));
    session.connect_timeout = sim::Duration::from_ms(d.connect_timeout_ms);
    session.session_key_payload = d.session_key_payload;
    if (d.client_routes) session.client_routes = scenario::to_client_routes_config(*d.client_routes);
    return session;
}

}  // namespace routelab::runner
