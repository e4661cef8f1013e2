#include "driver/policy/registry.hpp"

#include <algorithm>

#include "driver/policy/consistent_hash.hpp"
#include "driver/policy/power_of_two.hpp"
#include "driver/policy/round_robin.hpp"
#include "driver/policy/session_affinity.hpp"
#include "driver/policy/single_target.hpp"

namespace routelab::driver {

namespace {

using PolicyPtr = std::unique_ptr<LoadBalancingPolicy>;

// Unwraps an Expected into `out`, or returns its error from the enclosing function.
#define ROUTELAB_TRY(out, expr)            \
    auto out##_result = (expr);            \
    if (!out##_result) return out##_result.error(); \
    auto out = std::move(out##_result).value()

Expected<PolicyPtr> make_default(const PolicyOptions& options, PolicyContext& context) {
    ROUTELAB_TRY(config, default_policy_config(options));
    return PolicyPtr(std::make_unique<DefaultPolicy>(std::move(config), context.rng));
}

Expected<PolicyPtr> make_dc_aware_round_robin(const PolicyOptions& options, PolicyContext& context) {
    // Node.js legacy DCAwareRoundRobinPolicy(localDc): prefer the DC, no failover, token-unaware.
    if (auto e = options.reject_unknown({"local_dc"})) return *e;
    ROUTELAB_TRY(dc, options.get_string("local_dc", ""));
    DefaultPolicyConfig config;
    config.preference = dc.empty() ? LocationPreference::any() : LocationPreference::dc(dc);
    config.token_aware = false;
    return PolicyPtr(std::make_unique<DefaultPolicy>(std::move(config), context.rng));
}

Expected<PolicyPtr> make_p2c(const PolicyOptions& options, PolicyContext& context) {
    if (auto e = options.reject_unknown({"local_dc", "token_aware", "permit_dc_failover"})) return *e;
    PowerOfTwoChoicesConfig config;
    ROUTELAB_TRY(dc, options.get_string("local_dc", ""));
    ROUTELAB_TRY(token_aware, options.get_bool("token_aware", true));
    ROUTELAB_TRY(failover, options.get_bool("permit_dc_failover", false));
    config.local_dc = dc;
    config.token_aware = token_aware;
    config.permit_dc_failover = failover;
    if (!context.in_flight)
        return options.error("(context)", "power_of_two_choices needs the session's in-flight counts");
    return PolicyPtr(std::make_unique<PowerOfTwoChoices>(std::move(config), context.rng, context.in_flight));
}

Expected<PolicyPtr> make_single_target(const PolicyOptions& options, PolicyContext&) {
    if (auto e = options.reject_unknown({"target"})) return *e;
    ROUTELAB_TRY(target, options.get_string("target", ""));
    if (target.empty()) return options.error("target", "required: \"ip:port\" or a host id");
    return PolicyPtr(std::make_unique<SingleTarget>(target));
}

Expected<PolicyPtr> make_session_affinity(const PolicyOptions& options, PolicyContext& context) {
    if (auto e = options.reject_unknown({"scheme", "local_dc", "virtual_nodes", "table_size", "balance_factor"}))
        return *e;
    SessionAffinityConfig config;
    ROUTELAB_TRY(scheme, options.get_choice("scheme", "ring", {"ring", "maglev", "bounded"}));
    ROUTELAB_TRY(dc, options.get_string("local_dc", ""));
    ROUTELAB_TRY(ring_size, options.get_int("virtual_nodes", 256, 1, 65536));
    ROUTELAB_TRY(table_size, options.get_int("table_size", static_cast<std::int64_t>(MaglevTable::default_table_size),
                                             2, 5'000'011));
    ROUTELAB_TRY(factor, options.get_double("balance_factor", 1.25, 1.0, 100.0));
    if (!is_prime(static_cast<std::uint64_t>(table_size))) return options.error("table_size", "must be prime");
    config.scheme = scheme == "ring" ? AffinityScheme::ring_hash
                    : scheme == "maglev" ? AffinityScheme::maglev
                                         : AffinityScheme::bounded_load;
    config.local_dc = dc;
    config.virtual_nodes = static_cast<std::size_t>(ring_size);
    config.maglev_table_size = static_cast<std::uint64_t>(table_size);
    config.balance_factor = factor;
    return PolicyPtr(std::make_unique<SessionAffinity>(std::move(config), context.rng, context.in_flight));
}

Expected<int> executions_option(const PolicyOptions& options) {
    if (options.has("max_retry_count") && options.has("max_executions"))
        return options.error("max_executions", "give max_retry_count (extra executions) or max_executions (total), not both");
    if (options.has("max_executions")) {
        ROUTELAB_TRY(total, options.get_int("max_executions", 1, 1, 64));
        return static_cast<int>(total - 1);
    }
    ROUTELAB_TRY(extra, options.get_int("max_retry_count", 1, 0, 63));
    return static_cast<int>(extra);
}

}  // namespace

Expected<DefaultPolicyConfig> default_policy_config(const PolicyOptions& options) {
    if (auto e = options.reject_unknown({"local_dc", "prefer_datacenter", "local_rack", "prefer_rack",
                                         "prefer_no_datacenter", "token_aware", "permit_dc_failover",
                                         "shuffle_replicas", "enable_shuffling_replicas", "allow_list",
                                         "local_consistency_blocks_failover", "latency_awareness",
                                         "exclusion_threshold", "retry_period", "update_rate",
                                         "minimum_measurements", "scale"}))
        return *e;
    DefaultPolicyConfig config;
    auto alias = [&](std::string_view a, std::string_view b) -> Expected<std::string> {
        if (options.has(a) && options.has(b))
            return options.error(b, "same as '" + std::string(a) + "'; give one");
        return options.get_string(options.has(b) ? b : a, "");
    };
    ROUTELAB_TRY(dc, alias("local_dc", "prefer_datacenter"));
    ROUTELAB_TRY(rack, alias("local_rack", "prefer_rack"));
    ROUTELAB_TRY(no_dc, options.get_bool("prefer_no_datacenter", false));
    if (!rack.empty() && dc.empty()) return options.error("local_rack", "a rack preference needs local_dc");
    if (no_dc && !dc.empty()) return options.error("prefer_no_datacenter", "contradicts local_dc");
    if (!rack.empty()) config.preference = LocationPreference::dc_and_rack(dc, rack);
    else if (!dc.empty()) config.preference = LocationPreference::dc(dc);
    else if (no_dc) config.preference = LocationPreference::any();
    ROUTELAB_TRY(token_aware, options.get_bool("token_aware", true));
    ROUTELAB_TRY(failover, options.get_bool("permit_dc_failover", false));
    if (options.has("shuffle_replicas") && options.has("enable_shuffling_replicas"))
        return options.error("enable_shuffling_replicas", "same as 'shuffle_replicas'; give one");
    ROUTELAB_TRY(shuffle, options.get_bool(options.has("enable_shuffling_replicas") ? "enable_shuffling_replicas"
                                                                                     : "shuffle_replicas",
                                           true));
    ROUTELAB_TRY(allow, options.get_list("allow_list"));
    ROUTELAB_TRY(local_cl, options.get_bool("local_consistency_blocks_failover", false));
    config.token_aware = token_aware;
    config.permit_dc_failover = failover;
    config.shuffle_replicas = shuffle;
    config.allow_list = std::move(allow);
    config.local_consistency_blocks_failover = local_cl;

    ROUTELAB_TRY(latency, options.get_bool("latency_awareness", false));
    const bool knobs = options.has("exclusion_threshold") || options.has("retry_period") ||
                       options.has("update_rate") || options.has("minimum_measurements") || options.has("scale");
    if (knobs && !latency)
        return options.error("latency_awareness", "latency knobs given but latency_awareness is not true");
    if (latency) {
        LatencyAwarenessConfig la;
        ROUTELAB_TRY(threshold, options.get_double("exclusion_threshold", la.exclusion_threshold, 1.0, 1e6));
        ROUTELAB_TRY(retry_period, options.get_duration("retry_period", la.retry_period));
        ROUTELAB_TRY(update_rate, options.get_duration("update_rate", la.update_rate, sim::Duration::from_ns(1)));
        ROUTELAB_TRY(minimum, options.get_int("minimum_measurements", static_cast<std::int64_t>(la.minimum_measurements),
                                              0, 1'000'000'000));
        ROUTELAB_TRY(scale, options.get_duration("scale", la.scale, sim::Duration::from_ns(1)));
        la.exclusion_threshold = threshold;
        la.retry_period = retry_period;
        la.update_rate = update_rate;
        la.minimum_measurements = static_cast<std::uint64_t>(minimum);
        la.scale = scale;
        config.latency_awareness = la;
    }
    return config;
}

PolicyRegistry::PolicyRegistry() {
    register_policy("round_robin", [] { return std::make_unique<RoundRobinPolicy>(); });
    register_configurable("default", make_default);
    register_configurable("dc_aware_round_robin", make_dc_aware_round_robin);
    register_configurable("power_of_two_choices", make_p2c);
    register_configurable("single_target", make_single_target);
    register_configurable("session_affinity", make_session_affinity);
}

PolicyRegistry& PolicyRegistry::instance() {
    static PolicyRegistry registry;
    return registry;
}

bool PolicyRegistry::register_policy(const std::string& name, PolicyFactory factory) {
    return register_configurable(name, [name, factory = std::move(factory)](const PolicyOptions& options,
                                                                           PolicyContext&) -> Expected<PolicyPtr> {
        if (auto e = options.reject_unknown({})) return *e;
        return factory();
    });
}

bool PolicyRegistry::register_configurable(const std::string& name, ConfigurablePolicyFactory factory) {
    return factories_.emplace(name, std::move(factory)).second;
}

std::unique_ptr<LoadBalancingPolicy> PolicyRegistry::create(const std::string& name) const {
    auto made = create(name, PolicyOptions{}, PolicyContext{sim::RngStream(sim::fnv1a64(name)), {}});
    return made ? std::move(made).value() : nullptr;
}

Expected<std::unique_ptr<LoadBalancingPolicy>> PolicyRegistry::create(const std::string& name,
                                                                      const PolicyOptions& options,
                                                                      PolicyContext context) const {
    auto it = factories_.find(name);
    if (it == factories_.end()) {
        std::string known;
        for (const auto& [n, f] : factories_) known += (known.empty() ? "" : ", ") + n;
        return InputError{"policy '" + name + "'", "unknown load-balancing policy (known: " + known + ")"};
    }
    PolicyOptions named = options;
    named.set_context("policy " + name);
    return it->second(named, context);
}

std::vector<std::string> PolicyRegistry::names() const {
    std::vector<std::string> out;
    for (const auto& [name, factory] : factories_) out.push_back(name);
    return out;
}

namespace {
std::map<std::string, RetryDecider>& registered_retries() {
    static std::map<std::string, RetryDecider> retries;
    return retries;
}
}  // namespace

bool PolicyRegistry::register_retry(const std::string& name, RetryDecider decider) {
    const auto builtin = retry_names();
    if (std::find(builtin.begin(), builtin.end(), name) != builtin.end()) return false;
    return registered_retries().emplace(name, std::move(decider)).second;
}

Expected<RetryPolicy> PolicyRegistry::create_retry(const std::string& name, const PolicyOptions& options) {
    PolicyOptions named = options;
    named.set_context("retry policy " + name);
    if (auto e = named.reject_unknown({"retries_max"})) return *e;
    ROUTELAB_TRY(retries_max, named.get_int("retries_max", 10, 0, 1000));
    const int max = static_cast<int>(retries_max);
    if (name == "default") return RetryPolicy(RetryPolicyKind::default_policy, max);
    if (name == "downgrading_consistency") return RetryPolicy(RetryPolicyKind::downgrading_consistency, max);
    if (name == "fallthrough") return RetryPolicy(RetryPolicyKind::fallthrough, max);
    if (const auto it = registered_retries().find(name); it != registered_retries().end())
        return RetryPolicy(name, it->second, max);
    return InputError{"retry policy '" + name + "'", "unknown (known: default, downgrading_consistency, fallthrough)"};
}

Expected<std::unique_ptr<SpeculativeExecutionPolicy>> PolicyRegistry::create_speculative(const std::string& name,
                                                                                        const PolicyOptions& options) {
    using Ptr = std::unique_ptr<SpeculativeExecutionPolicy>;
    PolicyOptions named = options;
    named.set_context("speculative policy " + name);
    if (name == "none") {
        if (auto e = named.reject_unknown({})) return *e;
        return Ptr(std::make_unique<NoSpeculativeExecution>());
    }
    if (name == "constant") {
        if (auto e = named.reject_unknown({"max_retry_count", "max_executions", "delay"})) return *e;
        ROUTELAB_TRY(extra, executions_option(named));
        ROUTELAB_TRY(delay, named.get_duration("delay", sim::Duration::from_ms(100)));
        return Ptr(std::make_unique<ConstantSpeculativeExecution>(extra, delay));
    }
    if (name == "percentile") {
        if (auto e = named.reject_unknown({"max_retry_count", "max_executions", "percentile"})) return *e;
        ROUTELAB_TRY(extra, executions_option(named));
        ROUTELAB_TRY(percentile, named.get_double("percentile", 99.0, 0.0, 100.0));
        return Ptr(std::make_unique<PercentileSpeculativeExecution>(extra, percentile));
    }
    return InputError{"speculative policy '" + name + "'", "unknown (known: none, constant, percentile)"};
}

std::vector<std::string> PolicyRegistry::retry_names() { return {"default", "downgrading_consistency", "fallthrough"}; }
std::vector<std::string> PolicyRegistry::speculative_names() { return {"none", "constant", "percentile"}; }

}  // namespace routelab::driver
