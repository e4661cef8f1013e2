// The service model against queueing theory, end to end: whole seeded runs (open-loop
// Poisson client, the real driver, the mock cluster) whose client-side latencies must
// match the textbook sojourn times of the queues the scenario describes. The network is
// set to zero latency, so a request's latency is its time in the shard queues alone (the
// first test checks that nothing else adds time).
//
// Tolerances: the mean sojourn within 5 %, the 99th percentile within 10 % (sampling
// error of ~100 000 correlated sojourns is a few percent for the mean, more for the tail;
// the histogram's buckets add < 0.8 %). Seeds are fixed, so the figures are reproducible;
// six other seeds per case stayed within 2.8 % (mean) and 4.6 % (p99) of theory.
#include <catch2/catch.hpp>

#include <cmath>
#include <functional>
#include <iostream>
#include <string>

#include "sim/runner/run.hpp"
#include "sim/scenario/parse.hpp"

using namespace routelab;

namespace {

constexpr double mean_tolerance = 0.05;
constexpr double p99_tolerance = 0.10;

// One datacenter `dc1`, rack `r1`, clients in rack `client`: every link (client to node,
// node to node) takes no time. `topology` and `rest` fill in nodes, cluster, workload and
// driver.
std::string scenario_text(const std::string& topology, const std::string& rest) {
    return R"(
[scenario]
name = "queueing"
[topology]
vnodes = 1
shards = 1
)" + topology + R"(
[network]
same_rack = { kind = "constant", value = 0 }
same_dc = { kind = "constant", value = 0 }
cross_dc = { kind = "constant", value = 0 }
)" + rest + R"(
[output]
window_s = 1
)";
}

const std::string one_node = R"(
[[topology.datacenters]]
name = "dc1"
racks = [ { name = "r1", nodes = 1 } ]
)";

results::RunRecord run(const std::string& text, std::uint64_t seed) {
    auto parsed = scenario::parse_scenario_text(text, "queueing.toml");
    INFO((parsed ? std::string() : parsed.error().to_string()));
    REQUIRE(parsed.ok());
    runner::RunOptions options;
    options.seed = seed;
    results::RunRecord record = runner::run_scenario(parsed.scenario(), options);
    REQUIRE(record.errors == 0);
    REQUIRE(record.lost == 0);
    REQUIRE(record.latency_ns.count() == record.completed);
    return record;
}

double us(std::int64_t ns) { return static_cast<double>(ns) / 1000.0; }

// The t with survival(t) = 1 - q, for a decreasing survival function (bisection).
double quantile_of(const std::function<double(double)>& survival, double q) {
    double lo = 0, hi = 1;
    while (survival(hi) > 1 - q) hi *= 2;
    for (int i = 0; i < 200; ++i) {
        const double mid = (lo + hi) / 2;
        (survival(mid) > 1 - q ? lo : hi) = mid;
    }
    return (lo + hi) / 2;
}

// Compares the run's latency mean and p99 (µs) with theory, printing both.
void expect_sojourn(const char* what, const results::RunRecord& record, double mean_us, double p99_us) {
    const double measured_mean = record.latency_ns.mean() / 1000.0;
    const double measured_p99 = us(record.latency_ns.quantile(0.99));
    std::cout << what << ": " << record.latency_ns.count() << " requests; mean " << measured_mean << " us (theory "
              << mean_us << "), p99 " << measured_p99 << " us (theory " << p99_us << ")\n";
    INFO(what << ": mean " << measured_mean << " us vs " << mean_us << ", p99 " << measured_p99 << " us vs " << p99_us);
    CHECK(measured_mean == Approx(mean_us).epsilon(mean_tolerance));
    CHECK(measured_p99 == Approx(p99_us).epsilon(p99_tolerance));
}

}  // namespace

TEST_CASE("with no work and no network latency a request takes no simulated time") {
    const auto record = run(scenario_text(one_node, R"(
[cluster]
replication_factor = 1
service_time = { kind = "constant", value = 0 }
coordinator_time = { kind = "constant", value = 0 }
[workload]
duration_s = 1
rate_per_s = 2000
read_fraction = 0.5
)"), 3);
    REQUIRE(record.completed > 1500);
    CHECK(record.latency_ns.max() == 0);
}

TEST_CASE("constant work: a request costs its coordinator step plus its replica step, nothing else") {
    const auto record = run(scenario_text(one_node, R"(
[cluster]
replication_factor = 1
service_time = { kind = "constant", value = 40 }
coordinator_time = { kind = "constant", value = 15 }
[workload]
duration_s = 1
rate_per_s = 100
arrivals = "constant"
)"), 3);
    REQUIRE(record.completed == 100);
    // Arrivals 10 ms apart never queue: each takes exactly 15 + 40 µs.
    CHECK(record.latency_ns.min() == 55'000);
    CHECK(record.latency_ns.max() == 55'000);
}

TEST_CASE("M/M/1: one node, RF 1, exponential service, Poisson arrivals") {
    // lambda = 5000/s, mean service 100 us (mu = 10000/s), rho = 0.5. The sojourn is
    // exponential with rate mu - lambda: mean 1/(mu - lambda) = 200 us,
    // p99 = ln(100)/(mu - lambda) = 921 us.
    const auto record = run(scenario_text(one_node, R"(
[cluster]
replication_factor = 1
service_time = { kind = "exponential", mean = 100 }
coordinator_time = { kind = "constant", value = 0 }
[workload]
duration_s = 20
rate_per_s = 5000
read_fraction = 0.9
)"), 11);
    const double theta = 10'000.0 - 5'000.0;   // mu - lambda, per second
    expect_sojourn("M/M/1", record, 1e6 / theta, 1e6 * std::log(100.0) / theta);
}

TEST_CASE("M/M/c: slots_per_shard = 4 serve one FIFO queue as four servers (Erlang C)") {
    // lambda = 30000/s, mean service 100 us (mu = 10000/s), c = 4: offered load a = 3,
    // rho = 0.75. Erlang C gives the chance to wait, C = (a^c/c! * c/(c-a)) /
    // (sum_{k<c} a^k/k! + a^c/c! * c/(c-a)); the mean wait is C/(c mu - lambda), the
    // mean sojourn that plus 1/mu. A request waits with chance C, and then for an
    // Exp(c mu - lambda) time; here c mu - lambda = mu, so wait plus service is
    // Erlang(2, mu) and P(T > t) = (1 - C) e^{-mu t} + C e^{-mu t} (1 + mu t)
    // = e^{-mu t} (1 + C mu t).
    const auto record = run(scenario_text(one_node, R"(
[cluster]
replication_factor = 1
slots_per_shard = 4
service_time = { kind = "exponential", mean = 100 }
coordinator_time = { kind = "constant", value = 0 }
[workload]
duration_s = 5
rate_per_s = 30000
read_fraction = 0.9
)"), 12);
    const double lambda = 30'000, mu = 10'000, a = lambda / mu;
    const int c = 4;
    double below = 0, term = 1;
    for (int k = 0; k < c; ++k) {
        below += term;
        term *= a / (k + 1);
    }
    const double top = term * c / (c - a);   // a^c/c! * c/(c-a)
    const double erlang_c = top / (below + top);
    const double theta = c * mu - lambda;
    REQUIRE(theta == Approx(mu));   // the closed form of the survival below needs it
    const double mean_s = erlang_c / theta + 1 / mu;
    const double p99_s = quantile_of([&](double t) { return std::exp(-mu * t) * (1 + erlang_c * mu * t); }, 0.99);
    std::cout << "M/M/4: Erlang C = " << erlang_c << ", mean wait " << 1e6 * erlang_c / theta << " us\n";
    expect_sojourn("M/M/4", record, 1e6 * mean_s, 1e6 * p99_s);
}

TEST_CASE("tandem: a coordinator's queue, then another node's replica queue (sum of two M/M/1 sojourns)") {
    // Node `a` coordinates every request (single_target) and owns (almost) no data: its
    // one token sits just after `b`'s, so `b` owns every other token. The coordinator
    // step is Exp(mean 50 us) on a's shard, the replica step Exp(mean 100 us) on b's:
    // two M/M/1 queues in series at lambda = 5000/s. By Burke's theorem the first
    // queue's departures are Poisson, and a request's two sojourns are independent
    // (Reich), Exp(theta1 = 15000/s) and Exp(theta2 = 5000/s): mean 1/theta1 + 1/theta2
    // = 266.7 us, P(T > t) = (theta1 e^{-theta2 t} - theta2 e^{-theta1 t})/(theta1 - theta2).
    const auto record = run(scenario_text(R"(
[[topology.nodes]]
name = "a"
datacenter = "dc1"
rack = "r1"
tokens = [9223372036854775807]
[[topology.nodes]]
name = "b"
datacenter = "dc1"
rack = "r1"
tokens = [9223372036854775806]
)", R"(
[cluster]
replication_factor = 1
service_time = { kind = "exponential", mean = 100 }
coordinator_time = { kind = "exponential", mean = 50 }
[workload]
duration_s = 20
rate_per_s = 5000
read_fraction = 0.9
[driver]
policy = "single_target"
policy_options = { target = "127.0.0.1" }
)"), 13);
    REQUIRE(record.nodes.size() == 2);
    CHECK(record.nodes[0].replica_ops == 0);                               // a does no replica work
    CHECK(record.nodes[1].requests_coordinated == 0);                      // b coordinates nothing
    const double theta1 = 20'000.0 - 5'000.0, theta2 = 10'000.0 - 5'000.0;
    const double p99_s = quantile_of(
        [&](double t) { return (theta1 * std::exp(-theta2 * t) - theta2 * std::exp(-theta1 * t)) / (theta1 - theta2); }, 0.99);
    expect_sojourn("tandem", record, 1e6 * (1 / theta1 + 1 / theta2), 1e6 * p99_s);
}
