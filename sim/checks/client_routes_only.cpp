// client_routes_only: every connection the driver opens goes to an endpoint that
// system.client_routes lists for one of the configured connection ids (the driver's
// [driver.client_routes], or `connection_ids`), with the driver's hostname overrides
// applied — never to a node's own address. An endpoint delisted less than `grace_ms`
// before still counts (the driver learns of a route change by an event). With
// allow_contact_points, the contact points are allowed too. The whole-run scope includes
// start-up. Value: connections elsewhere; limit 0. Where: the first.
#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "sim/checks/builtin.hpp"

namespace routelab::checks::builtin {
namespace {

class ClientRoutesOnly final : public Checker {
public:
    explicit ClientRoutesOnly(const CheckSetup& s)
        : Checker(s), ids_(s.params->has("connection_ids") ? s.params->list("connection_ids") : s.env->route_ids),
          grace_(sim::Duration::from_ns(static_cast<std::int64_t>(s.params->number("grace_ms", 1000) * 1e6))),
          allow_contact_points_(s.params->flag("allow_contact_points", false)) {}
    FactMask wants() const override { return mask_of(FactKind::connection) | mask_of(FactKind::fault); }
    void on_fault(const FaultChanged& f) override { refresh(f.at); }
    void on_connection(const ConnectionOpened& f) override {
        refresh(f.at);
        if (!in_scope(f.at)) return;
        ++connections_;
        if (listed_.count(f.to) != 0) return;
        if (auto it = delisted_.find(f.to); it != delisted_.end() && f.at - it->second <= grace_) return;
        if (allow_contact_points_) {
            const auto& points = world().contact_points();
            if (std::find(points.begin(), points.end(), f.to) != points.end()) return;
        }
        ++outside_;
        const auto node = world().node_at(f.to);
        note_breach(f.at, std::nullopt, node ? world().node_name(*node) : "",
                    "the driver connected to " + endpoint_name(f.to) + ", which no route of " + ids_text() + " lists");
    }

private:
    std::string ids_text() const {
        std::string out;
        for (const auto& id : ids_) out += (out.empty() ? "" : ", ") + id;
        return out;
    }
    // The endpoints listed now; those no longer listed remember when they went.
    void refresh(sim::Time now) {
        std::set<net::Endpoint> listed;
        for (const auto& route : world().listed_routes()) {
            if (std::find(ids_.begin(), ids_.end(), route.connection_id) == ids_.end()) continue;
            const auto override_it = env().hostname_overrides.find(route.connection_id);
            const std::string& address = override_it != env().hostname_overrides.end() ? override_it->second : route.address;
            const auto ip = net::parse_ipv4(address);
            if (!ip || route.port <= 0 || route.port > 65535) continue;
            listed.insert(net::Endpoint{*ip, static_cast<std::uint16_t>(route.port)});
        }
        for (const auto& e : listed_)
            if (listed.count(e) == 0) delisted_[e] = now;
        for (const auto& e : listed) delisted_.erase(e);
        listed_ = std::move(listed);
    }
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = "connections outside the client routes";
        out.value = static_cast<double>(outside_);
        out.value_text = fmt::format("{} of {}", outside_, connections_);
        out.limit_text = "0";
        out.passed = outside_ == 0;
    }

    std::vector<std::string> ids_;
    sim::Duration grace_;
    bool allow_contact_points_;
    std::set<net::Endpoint> listed_;
    std::map<net::Endpoint, sim::Time> delisted_;
    std::uint64_t connections_ = 0;
    std::uint64_t outside_ = 0;
};

}  // namespace

void register_client_routes_only(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "client_routes_only";
    info.summary = "every connection goes to an endpoint system.client_routes lists for the configured connection ids";
    info.params = {list_param("connection_ids", "the ids whose routes count (default: [driver.client_routes].connection_ids)"),
                   number_param("grace_ms", 0, 1e9, "how long a delisted endpoint still counts (default 1000)"),
                   boolean_param("allow_contact_points", "connections to the contact points are allowed (default false)")};
    info.validate = [](const Params& p, const CheckEnv& env) -> std::optional<ParamProblem> {
        if (p.has("connection_ids") ? p.list("connection_ids").empty() : env.route_ids.empty())
            return ParamProblem{p.has("connection_ids") ? "connection_ids" : "",
                                "client_routes_only needs connection ids: configure [driver.client_routes] or give connection_ids"};
        return std::nullopt;
    };
    info.create = [](const CheckSetup& s) { return std::make_unique<ClientRoutesOnly>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
