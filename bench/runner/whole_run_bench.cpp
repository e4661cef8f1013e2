// Simulated requests per wall second through every layer (workload, driver, simulated
// network, mock cluster) for the quickstart's shape: 3 nodes, RF 3, QUORUM, 90% reads.
// Reports requests/s as a rate counter and instructions are best compared with callgrind.
#include <benchmark/benchmark.h>

#include "sim/runner/run.hpp"

using namespace routelab;

namespace {

scenario::Scenario quickstart_shape(double rate_per_s, double duration_s) {
    scenario::Scenario s;
    s.name = "bench";
    s.topology.datacenters = {{"dc1", {{"r1", 1}, {"r2", 1}, {"r3", 1}}}};
    s.topology.vnodes = 16;
    s.topology.shards = 2;
    s.cluster.replication_factor = 3;
    s.workload.rate_per_s = rate_per_s;
    s.workload.duration_s = duration_s;
    s.workload.consistency = "QUORUM";
    return s;
}

void BM_WholeRun(benchmark::State& state) {
    const auto scenario = quickstart_shape(static_cast<double>(state.range(0)), 20);
    std::uint64_t requests = 0;
    for (auto _ : state) {
        const auto record = runner::run_scenario(scenario, {42});
        requests += record.requests;
        benchmark::DoNotOptimize(record.trace_hash);
    }
    state.counters["requests_per_s"] = benchmark::Counter(static_cast<double>(requests), benchmark::Counter::kIsRate);
}

}  // namespace

BENCHMARK(BM_WholeRun)->Arg(2000)->Arg(5000)->Unit(benchmark::kMillisecond);
