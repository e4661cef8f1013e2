#include "driver/policy/registry.hpp"

#include "driver/policy/round_robin.hpp"

namespace routelab::driver {

PolicyRegistry::PolicyRegistry() {
    factories_.emplace("round_robin", [] { return std::make_unique<RoundRobinPolicy>(); });
}

PolicyRegistry& PolicyRegistry::instance() {
    static PolicyRegistry registry;
    return registry;
}

bool PolicyRegistry::register_policy(const std::string& name, PolicyFactory factory) {
    return factories_.emplace(name, std::move(factory)).second;
}

std::unique_ptr<LoadBalancingPolicy> PolicyRegistry::create(const std::string& name) const {
    auto it = factories_.find(name);
    return it == factories_.end() ? nullptr : it->second();
}

std::vector<std::string> PolicyRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, factory] : factories_) out.push_back(name);
    return out;
}

}  // namespace routelab::driver
