#pragma once
// Policies by name, so scenario files can choose them. Built-in policies are registered
// on first use; user code adds its own with `register_policy` before running scenarios.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver/policy/load_balancing.hpp"

namespace routelab::driver {

using PolicyFactory = std::function<std::unique_ptr<LoadBalancingPolicy>()>;

class PolicyRegistry {
public:
    static PolicyRegistry& instance();
    // Returns false if the name is taken.
    bool register_policy(const std::string& name, PolicyFactory factory);
    std::unique_ptr<LoadBalancingPolicy> create(const std::string& name) const;  // null if unknown
    std::vector<std::string> names() const;

private:
    PolicyRegistry();
    std::map<std::string, PolicyFactory> factories_;
};

}  // namespace routelab::driver
