#pragma once
// Policies by name, so scenario files can choose them, with string options
// (PolicyOptions). Built-in policies are registered on first use; user code adds its own
// before running scenarios.
//
// Load balancing: round_robin, default, dc_aware_round_robin, power_of_two_choices,
// single_target, session_affinity. Retry: default, downgrading_consistency, fallthrough.
// Speculative execution: none, constant, percentile. Options per name: README.md.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/policy/default_policy.hpp"
#include "driver/policy/in_flight.hpp"
#include "driver/policy/load_balancing.hpp"
#include "driver/policy/options.hpp"
#include "driver/policy/retry.hpp"
#include "driver/policy/speculative.hpp"
#include "sim/core/rng.hpp"

namespace routelab::driver {

// What a policy may need from the session besides options.
struct PolicyContext {
    sim::RngStream rng{0};       // the policy's own stream, e.g. env.rng.fork("lbp")
    InFlightProvider in_flight;  // power_of_two_choices (required), session_affinity bounded (optional)
};

using PolicyFactory = std::function<std::unique_ptr<LoadBalancingPolicy>()>;
using ConfigurablePolicyFactory =
    std::function<Expected<std::unique_ptr<LoadBalancingPolicy>>(const PolicyOptions&, PolicyContext&)>;

class PolicyRegistry {
public:
    static PolicyRegistry& instance();
    // Returns false if the name is taken.
    bool register_policy(const std::string& name, PolicyFactory factory);
    bool register_configurable(const std::string& name, ConfigurablePolicyFactory factory);
    // No options, a stream seeded from the name: null if unknown or if the policy needs
    // options or context it cannot have (e.g. single_target, power_of_two_choices).
    std::unique_ptr<LoadBalancingPolicy> create(const std::string& name) const;
    Expected<std::unique_ptr<LoadBalancingPolicy>> create(const std::string& name, const PolicyOptions& options,
                                                          PolicyContext context) const;
    std::vector<std::string> names() const;

    static Expected<RetryPolicy> create_retry(const std::string& name, const PolicyOptions& options);
    static Expected<std::unique_ptr<SpeculativeExecutionPolicy>> create_speculative(const std::string& name,
                                                                                    const PolicyOptions& options);
    static std::vector<std::string> retry_names();
    // Adds a retry policy by name (options: retries_max); false if the name is taken.
    static bool register_retry(const std::string& name, RetryDecider decider);
    static std::vector<std::string> speculative_names();

private:
    PolicyRegistry();
    std::map<std::string, ConfigurablePolicyFactory> factories_;
};

// The DefaultPolicy configuration an option set describes (exposed for tests and docs).
Expected<DefaultPolicyConfig> default_policy_config(const PolicyOptions& options);

}  // namespace routelab::driver
