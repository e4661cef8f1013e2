#pragma once
// Whole-world runs for the fault tests: a scenario written inline, run in a World whose
// facts (requests' ends, the drivers' node marks, connects) the test records.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "sim/checks/facts.hpp"
#include "sim/runner/world.hpp"
#include "sim/scenario/parse.hpp"

namespace routelab::test {

// Three nodes in one datacenter (one per rack), RF 3, QUORUM, with `rest` appended.
inline std::string three_nodes(const std::string& rest) {
    return R"(
[scenario]
name = "faults"
[topology]
vnodes = 8
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 1 }, { name = "r2", nodes = 1 }, { name = "r3", nodes = 1 } ]
)" + rest;
}

inline scenario::Scenario parse_inline(const std::string& text) {
    auto parsed = scenario::parse_scenario_text(text, "faults.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    return parsed.scenario();
}

// Everything the drivers did, as facts, with times from the workload's start.
class FactLog final : public checks::FactObserver {
public:
    struct Ended {
        double issued_s, ended_s;
        std::string client;
        checks::ErrorKind error;
    };
    struct Marked {
        double at_s;
        std::uint32_t ip;
        bool up;
    };
    struct Dial {
        double at_s;
        std::uint32_t ip;
    };
    checks::FactMask wants() const override {
        return checks::mask_of(checks::FactKind::request_ended) | checks::mask_of(checks::FactKind::node_marked) |
               checks::mask_of(checks::FactKind::connection);
    }
    void on_workload_start(sim::Time origin) override { origin_ = origin; }
    void on_request_ended(const checks::RequestEnded& e) override {
        ended.push_back({s(e.issued), s(e.ended), std::string(e.client), e.error});
    }
    void on_node_marked(const checks::NodeMarked& m) override { marks.push_back({s(m.at), m.address.ip, m.up}); }
    void on_connection(const checks::ConnectionOpened& c) override { dials.push_back({s(c.at), c.to.ip}); }

    std::vector<Ended> ended;
    std::vector<Marked> marks;
    std::vector<Dial> dials;

private:
    double s(sim::Time t) const { return (t - origin_).seconds(); }
    sim::Time origin_;
};

struct WorldRun {
    explicit WorldRun(const std::string& text, std::uint64_t seed = 1)
        : scenario(parse_inline(text)), world(std::make_unique<runner::World>(scenario, seed, 200'000'000)) {
        world->facts().subscribe(log);
    }
    void run() {
        world->run();
        REQUIRE(world->started());
        world->report(record);
    }
    scenario::Scenario scenario;
    FactLog log;
    std::unique_ptr<runner::World> world;
    results::RunRecord record;
};

}  // namespace routelab::test
