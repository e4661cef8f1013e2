// session_affinity_stable: requests of the same session (workload.sessions) go to the same
// node while the topology holds: the first target of a request's plan — the node the
// driver's policy chose for the session — is the one it chose for the session's previous
// request, unless the topology changed in between (the driver marked a node down or up,
// or a fault stopped, started, moved or cut off nodes), or less than `settle_ms` before.
// Value: moves without a topology change; limit `limit` (default 0). Where: the first.
#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "sim/checks/builtin.hpp"

namespace routelab::checks::builtin {
namespace {

class SessionAffinityStable final : public Checker {
public:
    explicit SessionAffinityStable(const CheckSetup& s)
        : Checker(s), limit_(static_cast<std::uint64_t>(s.params->number("limit", 0))),
          settle_(sim::Duration::from_ns(static_cast<std::int64_t>(s.params->number("settle_ms", 0) * 1e6))) {}
    FactMask wants() const override {
        return mask_of(FactKind::request_ended) | mask_of(FactKind::node_marked) | mask_of(FactKind::fault);
    }
    void on_node_marked(const NodeMarked& f) override { changes_.push_back(f.at); }
    void on_fault(const FaultChanged& f) override {
        if (f.topology) changes_.push_back(f.at);
    }
    void on_request_ended(const RequestEnded& f) override {
        if (f.session < 0 || f.plan.empty() || !counts(f)) return;
        ++keyed_;
        const driver::NodeIndex node = f.plan.front().node;
        auto [it, added] = last_.try_emplace(f.session, Last{node, f.issued});
        if (added) return;
        Last& previous = it->second;
        if (previous.node != node) {
            const sim::Time from = std::min(previous.issued, f.issued) - settle_;
            const sim::Time to = std::max(previous.issued, f.issued);
            const bool changed = std::any_of(changes_.begin(), changes_.end(), [&](sim::Time t) { return t > from && t <= to; });
            if (!changed) {
                ++moves_;
                if (moves_ > limit_)
                    note_breach(f.ended, f.request, node_name(node),
                                fmt::format("session s{} moved from {} with no topology change since its previous request", f.session,
                                            node_name(previous.node)));
            }
        }
        previous = Last{node, f.issued};
    }

private:
    struct Last {
        driver::NodeIndex node;
        sim::Time issued;
    };
    void conclude(sim::Time, results::CheckRecord& out) override {
        out.measure = "session moves without a topology change";
        out.value = static_cast<double>(moves_);
        out.limit = static_cast<double>(limit_);
        out.value_text = fmt::format("{} in {} keyed requests of {} sessions", moves_, keyed_, last_.size());
        out.limit_text = "<= " + std::to_string(limit_);
        out.passed = moves_ <= limit_;
    }

    std::uint64_t limit_;
    sim::Duration settle_;
    std::vector<sim::Time> changes_;   // when the topology changed, in time order
    std::map<std::int64_t, Last> last_;
    std::uint64_t moves_ = 0;
    std::uint64_t keyed_ = 0;
};

}  // namespace

void register_session_affinity_stable(CheckRegistry& registry) {
    CheckerInfo info;
    info.name = "session_affinity_stable";
    info.summary = "a session's requests stay on one node while the topology holds";
    info.params = {integer_param("limit", 0, 1e12, "moves tolerated (default 0)"),
                   number_param("settle_ms", 0, 1e9, "moves this soon after a topology change are not counted (default 0)")};
    info.validate = [](const Params&, const CheckEnv& env) -> std::optional<ParamProblem> {
        if (env.sessions <= 0) return ParamProblem{"", "session_affinity_stable needs requests with session keys (workload.sessions > 0)"};
        return std::nullopt;
    };
    info.create = [](const CheckSetup& s) { return std::make_unique<SessionAffinityStable>(s); };
    registry.add(std::move(info));
}

}  // namespace routelab::checks::builtin
