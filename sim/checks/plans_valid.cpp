// plans_valid: every request's plan (as far as the driver built it) keeps the routing
// rules the driver is configured with:
//  * no node appears twice;
//  * every target is enabled (the snapshot's host filter) and on the allow list, if any;
//  * no target outside the local datacenter unless DC failover is permitted;
//  * with token awareness, the first target is a live replica of the local datacenter
//    whenever the snapshot the plan was built over has one.
// The rules' settings default to what the workload's driver policy says (local_dc,
// permit_dc_failover, token_aware, latency_awareness, allow_list) and can be set here.
// Value: requests with an invalid plan; limit 0. Where: the first one.
#include <algorithm>

#include <fmt/format.h>

#include "driver/metadata/cluster_builder.hpp"
#include "driver/policy/options.hpp"
#include "sim/checks/builtin.hpp"

namespace routelab::checks::builtin {
namespace {

struct Rules {
    std::string local_dc;        // empty: every datacenter is local
    bool dc_failover = true;
    bool replica_first = false;
    std::vector<std::string> allow_list;   // empty: every node
};

// What the driver's policy configuration implies.
Rules rules_of_policy(const std::string& policy, const std::map<std::string, std::string>& policy_options) {
    Rules r;
    const driver::PolicyOptions options(policy_options, "policy " + policy);
    // The parser built the policy from these options, so they read cleanly.
    auto text = [&](const char* key) {
        auto v = options.get_string(key, "");
        return v ? v.value() : std::string();
    };
    auto flag = [&](const char* key, bool fallback) {
        auto v = options.get_bool(key, fallback);
        return v ? v.value() : fallback;
    };
    if (policy == "default") {
        r.local_dc = !text("local_dc").empty() ? text("local_dc") : text("prefer_datacenter");
        if (flag("prefer_no_datacenter", false)) r.local_dc.clear();
        r.dc_failover = flag("permit_dc_failover", false);
        // Latency awareness may move a slow replica to the end of the plan.
        r.replica_first = flag("token_aware", true) && !flag("latency_awareness", false);
        if (auto list = options.get_list("allow_list")) r.allow_list = list.value();
    } else if (policy == "power_of_two_choices") {
        r.local_dc = text("local_dc");
        r.dc_failover = flag("permit_dc_failover", false);
        r.replica_first = flag("token_aware", true);
    } else if (policy == "dc_aware_round_robin") {
        r.local_dc = text("local_dc");
        r.dc_failover = false;
    }
    return r;
}

class PlansValid final : public Checker {
public:
    explicit PlansValid(const CheckSetup& s) : Checker(s), params_(s.params) {
        rules_ = with_params(rules_of_policy(s.env->policy, s.env->policy_options));
        // Each client application is judged by its own policy's settings.
        for (const auto& [client, cp] : s.env->client_policies) per_client_[client] = with_params(rules_of_policy(cp.policy, cp.policy_options));
    }
    Rules with_params(Rules r) const {
        const Params& p = *params_;
        if (p.has("local_dc")) r.local_dc = p.text("local_dc", "");
        if (p.has("dc_failover")) r.dc_failover = p.flag("dc_failover", true);
        if (p.has("replica_first")) r.replica_first = p.flag("replica_first", false);
        if (p.has("allow_list")) r.allow_list = p.list("allow_list");
        return r;
    }
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (!counts(f) || f.cluster == nullptr || f.plan.empty()) return;
        const auto it = per_client_.find(std::string(f.client));
        if (auto why = invalid(f, it == per_client_.end() ? rules_ : it->second)) {
            ++invalid_;
            note_breach(f.ended, f.request, node_name(why->first), why->second);
        }
    }

private:
    // The first broken rule: the node to blame and why.
    std::optional<std::pair<driver::NodeIndex, std::string>> invalid(const RequestEnded& f, const Rules& rules) const {
        const auto& nodes = f.cluster->nodes;
        for (std::size_t i = 0; i < f.plan.size(); ++i) {
            const driver::NodeIndex n = f.plan[i].node;
            if (n >= nodes.size()) return std::make_pair(n, fmt::format("plan position {} names a node the snapshot lacks", i));
            for (std::size_t j = 0; j < i; ++j)
                if (f.plan[j].node == n) return std::make_pair(n, fmt::format("the node is in the plan twice (positions {} and {})", j, i));
            if (!nodes[n].enabled) return std::make_pair(n, fmt::format("plan position {} is a disabled node", i));
            if (!allowed(nodes[n], rules)) return std::make_pair(n, fmt::format("plan position {} is not on the allow list", i));
            if (!rules.dc_failover && !rules.local_dc.empty() && nodes[n].datacenter != rules.local_dc)
                return std::make_pair(n, fmt::format("plan position {} is in datacenter {}, outside {}, without DC failover", i,
                                                     nodes[n].datacenter, rules.local_dc));
        }
        if (rules.replica_first && f.routing != nullptr && f.routing->token) {
            const auto* keyspace = f.cluster->keyspace(f.routing->keyspace);
            if (keyspace != nullptr && keyspace->replicas) {
                const auto replicas = f.cluster->replicas(*keyspace, *f.routing->token);
                bool any_live = false;
                bool first_is = false;
                for (const driver::NodeIndex r : replicas.grouped) {
                    const auto& node = nodes[r];
                    if (!rules.local_dc.empty() && node.datacenter != rules.local_dc) continue;
                    if (!node.up || !node.enabled || !allowed(node, rules)) continue;
                    any_live = true;
                    first_is = first_is || r == f.plan.front().node;
                }
                if (any_live && !first_is)
                    return std::make_pair(f.plan.front().node,
                                          "the first target is not a live " + std::string(rules.local_dc.empty() ? "" : "local ") +
                                              "replica of the token, though one is up");
            }
        }
        return std::nullopt;
    }
    bool allowed(const driver::NodeInfo& node, const Rules& rules) const {
        if (rules.allow_list.empty()) return true;
        return std::any_of(rules.allow_list.begin(), rules.allow_list.end(),
                           [&](const std::string& entry) { return driver::allow_list_matches(entry, node.address, node.host_id); });
    }
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = "requests with an invalid plan";
        out.value = static_cast<double>(invalid_);
        out.value_text = std::to_string(invalid_);
        out.limit_text = "0";
        out.passed = invalid_ == 0;
    }

    const Params* params_;
    Rules rules_;
    std::map<std::string, Rules> per_client_;
    std::uint64_t invalid_ = 0;
};

}  // namespace

void register_plans_valid(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "plans_valid";
    info.summary = "plans name no node twice, keep the allow list and the local DC, and start at a live local replica";
    ParamSpec local_dc;
    local_dc.name = "local_dc";
    local_dc.type = ParamType::text;
    local_dc.help = "the local datacenter (default: the policy's local_dc; \"\" for none)";
    info.params = {local_dc, boolean_param("dc_failover", "remote datacenters allowed (default: the policy's permit_dc_failover)"),
                   boolean_param("replica_first", "the first target must be a live local replica (default: token-aware policies)"),
                   list_param("allow_list", "ip:port, ip or host ids the plans may name (default: the policy's allow_list)")};
    info.validate = [](const Params& p, const CheckEnv& env) -> std::optional<ParamProblem> {
        const std::string dc = p.text("local_dc", "");
        if (!dc.empty() && std::find(env.datacenters.begin(), env.datacenters.end(), dc) == env.datacenters.end())
            return ParamProblem{"local_dc", "unknown datacenter \"" + dc + "\""};
        return std::nullopt;
    };
    info.create = [](const CheckSetup& s) { return std::make_unique<PlansValid>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
