// max_sessions_moved: the share of sessions (workload.sessions) whose requests did not all
// start at one node — the first target of the plan, the node the driver's policy chose —
// stays at or below `limit`, whatever the cause. Over a membership change this is the
// share of keys a hashing scheme remaps (consistent hashing: about 1/N when one of N
// nodes leaves, and the same keys back when it returns; a modulo hash would move most).
// Sessions with fewer than two requests in scope are not counted. Where: the first move
// past the limit's count, judged against the sessions seen by the end.
//
// Its mirror min_sessions_moved (registered here too) passes when at least `limit` of
// the sessions moved — the costly side of a comparison.
#include <cmath>
#include <map>

#include <fmt/format.h>

#include "sim/checks/builtin.hpp"

namespace routelab::checks::builtin {
namespace {

class SessionsMoved final : public Checker {
public:
    SessionsMoved(const CheckSetup& s, bool lower_bound) : Checker(s), lower_(lower_bound), limit_(s.params->number("limit", 0)) {}
    FactMask wants() const override { return mask_of(FactKind::request_ended); }
    void on_request_ended(const RequestEnded& f) override {
        if (f.session < 0 || f.plan.empty() || !counts(f)) return;
        const driver::NodeIndex node = f.plan.front().node;
        auto [it, added] = sessions_.try_emplace(f.session, Session{node, false, false});
        Session& s = it->second;
        if (added) return;
        if (!s.repeated) {
            s.repeated = true;
            ++repeated_;
        }
        if (node != s.node && !s.moved) {
            s.moved = true;
            moves_.push_back(Move{f.ended, f.request, node_name(node)});
        }
        s.node = node;
    }

private:
    struct Session {
        driver::NodeIndex node;
        bool repeated;  // seen at least twice in scope
        bool moved;
    };
    struct Move {
        sim::Time at;
        std::uint64_t request;
        std::string node;
    };
    void conclude(sim::Time, results::CheckRecord& out) override {
        const double share = repeated_ == 0 ? 0.0 : static_cast<double>(moves_.size()) / static_cast<double>(repeated_);
        out.measure = "share of sessions moved";
        out.value = share;
        out.limit = limit_;
        out.value_text = percent(share) + fmt::format(" ({} of {} sessions with repeat requests)", moves_.size(), repeated_);
        out.limit_text = (lower_ ? ">= " : "<= ") + percent(limit_);
        out.passed = repeated_ == 0 || (lower_ ? share >= limit_ : share <= limit_);
        if (out.passed) return;
        if (lower_) {
            if (!moves_.empty()) note_breach(moves_.back().at, moves_.back().request, moves_.back().node, "the last session to move");
            return;
        }
        // The move that took the count past what the limit allows of the sessions seen.
        const auto allowed = static_cast<std::size_t>(std::floor(limit_ * static_cast<double>(repeated_)));
        const Move& m = moves_[std::min(allowed, moves_.size() - 1)];
        note_breach(m.at, m.request, m.node, fmt::format("session move number {} (the limit allows {})", std::min(allowed, moves_.size() - 1) + 1, allowed));
    }

    bool lower_;
    double limit_;
    std::map<std::int64_t, Session> sessions_;
    std::uint64_t repeated_ = 0;
    std::vector<Move> moves_;   // each session's first move, in time order
};

CheckerInfo sessions_moved_info(bool lower_bound) {
    CheckerInfo info;
    info.name = lower_bound ? "min_sessions_moved" : "max_sessions_moved";
    info.summary = lower_bound ? "at least a share of the sessions moved to another node (the costly side of a comparison)"
                               : "at most a share of the sessions moved to another node, whatever the cause";
    info.params = {number_param("limit", 0, 1, "the share of sessions (with repeat requests in scope)", true)};
    info.validate = [](const Params&, const CheckEnv& env) -> std::optional<ParamProblem> {
        if (env.sessions <= 0) return ParamProblem{"", "the sessions-moved checks need requests with session keys (workload.sessions > 0)"};
        return std::nullopt;
    };
    info.create = [lower_bound](const CheckSetup& s) { return std::make_unique<SessionsMoved>(s, lower_bound); };
    return info;
}

}  // namespace

void register_max_sessions_moved(CheckRegistry& registry) {
    registry.add(sessions_moved_info(false));
    registry.add(sessions_moved_info(true));
}

}  // namespace routelab::checks::builtin
