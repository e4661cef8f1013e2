#include "sim/checks/registry.hpp"

#include "sim/checks/builtin.hpp"

namespace routelab::checks {

CheckRegistry& CheckRegistry::instance() {
    static CheckRegistry registry;
    return registry;
}

CheckRegistry::CheckRegistry() {
    builtin::register_no_request_lost(*this);
    builtin::register_every_request_ends_once(*this);
    builtin::register_max_error_rate(*this);
    builtin::register_min_availability(*this);
    builtin::register_max_availability(*this);
    builtin::register_max_latency(*this);
    builtin::register_max_load_share(*this);
    builtin::register_plans_valid(*this);
    builtin::register_client_routes_only(*this);
    builtin::register_session_affinity_stable(*this);
    builtin::register_max_sessions_moved(*this);
    builtin::register_read_your_writes(*this);
    builtin::register_max_retries_per_request(*this);
    builtin::register_max_speculative_overhead(*this);
    builtin::register_max_retry_overhead(*this);
    builtin::register_non_idempotent_never_repeated(*this);
}

bool CheckRegistry::add(CheckerInfo info) {
    const std::string name = info.name;
    return checkers_.emplace(name, std::move(info)).second;
}

const CheckerInfo* CheckRegistry::find(std::string_view name) const {
    const auto it = checkers_.find(name);
    return it == checkers_.end() ? nullptr : &it->second;
}

std::vector<std::string> CheckRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, info] : checkers_) out.push_back(name);
    return out;
}

ParamSpec number_param(std::string name, double min, double max, std::string help, bool required) {
    ParamSpec p;
    p.name = std::move(name);
    p.type = ParamType::number;
    p.min = min;
    p.max = max;
    p.help = std::move(help);
    p.required = required;
    return p;
}

ParamSpec integer_param(std::string name, double min, double max, std::string help, bool required) {
    ParamSpec p = number_param(std::move(name), min, max, std::move(help), required);
    p.type = ParamType::integer;
    return p;
}

ParamSpec choice_param(std::string name, std::vector<std::string> choices, std::string help) {
    ParamSpec p;
    p.name = std::move(name);
    p.type = ParamType::choice;
    p.choices = std::move(choices);
    p.help = std::move(help);
    return p;
}

ParamSpec boolean_param(std::string name, std::string help) {
    ParamSpec p;
    p.name = std::move(name);
    p.type = ParamType::boolean;
    p.help = std::move(help);
    return p;
}

ParamSpec list_param(std::string name, std::string help) {
    ParamSpec p;
    p.name = std::move(name);
    p.type = ParamType::list;
    p.help = std::move(help);
    return p;
}

}  // namespace routelab::checks
