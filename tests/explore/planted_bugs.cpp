#include "tests/explore/planted_bugs.hpp"

#include <memory>

#include "driver/policy/registry.hpp"
#include "driver/policy/round_robin.hpp"
#include "mock_cluster/cluster.hpp"

namespace routelab::test {
namespace {

class NamesTwiceSometimes final : public driver::LoadBalancingPolicy {
public:
    std::optional<driver::Target> pick(const driver::RoutingInfo& r, const driver::ClusterState& c) override { return inner_.pick(r, c); }
    void fallback(const driver::RoutingInfo& r, const driver::ClusterState& c, driver::Plan& out) override {
        inner_.fallback(r, c, out);
        // "Sometimes": for one token in four (or every 4th plan of a request without one).
        const bool sometimes = r.token ? (static_cast<std::uint64_t>(*r.token) >> 7) % 4 == 0 : ++plans_ % 4 == 0;
        if (!out.empty() && sometimes) out.insert(out.begin() + 1, out.front());
    }
    std::string_view name() const override { return "test_names_twice_sometimes"; }

private:
    driver::RoundRobinPolicy inner_;
    std::uint64_t plans_ = 0;
};

driver::RetryDecision repeats_writes(const driver::RetryInput& input) {
    if (!input.is_idempotent && driver::may_have_applied(input.error) && input.state.retries == 0)
        return {driver::RetryAction::retry_next_target, std::nullopt};
    return driver::decide_default(input);
}

}  // namespace

void register_planted_bugs() {
    static const bool done = [] {
        driver::PolicyRegistry::instance().register_policy("test_names_twice_sometimes",
                                                           [] { return std::make_unique<NamesTwiceSometimes>(); });
        driver::PolicyRegistry::register_retry("test_repeats_writes", repeats_writes);
        return true;
    }();
    (void)done;
}

runner::WorldOptions planted_world(std::uint32_t drop_one_write_in) {
    runner::WorldOptions world;
    if (drop_one_write_in > 0)
        world.adjust_cluster = [drop_one_write_in](cluster::Cluster& c) { c.plant_write_drops(0, drop_one_write_in); };
    return world;
}

}  // namespace routelab::test
