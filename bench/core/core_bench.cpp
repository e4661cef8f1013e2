// Micro-benchmarks for sim/core: scheduler throughput with ~10k pending events where each
// event schedules one more (steady state), the same with a cancelled timeout per event, the
// cost of next_u64 and a lognormal draw, and allocations per event. Global operator new is
// replaced in this binary so every heap allocation is counted; the scheduler's design goal
// is 0 allocations per event once its pools have grown.
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <new>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/sim_scheduler.hpp"

namespace {
std::atomic<std::uint64_t> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void* operator new[](std::size_t size) { return operator new(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
    g_allocations.fetch_add(1, std::memory_order_relaxed);
    return std::malloc(size == 0 ? 1 : size);
}
void* operator new[](std::size_t size, const std::nothrow_t& tag) noexcept { return operator new(size, tag); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace {

using routelab::sim::Duration;
using routelab::sim::SimScheduler;

// An event that, when run, schedules its successor a pseudo-random 1..1024 ns later, so
// the number of pending events stays constant and the heap keeps being reordered.
struct Reschedule {
    SimScheduler* scheduler;
    std::uint64_t* state;
    void operator()() const {
        std::uint64_t x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        scheduler->after(Duration::from_ns(static_cast<std::int64_t>(1 + (x & 1023))), Reschedule{scheduler, state});
    }
};

// Like Reschedule, but each event also arms a timeout far in the future and cancels the
// previous one: the common "request with a deadline" pattern.
struct RescheduleWithTimeout {
    SimScheduler* scheduler;
    std::uint64_t* state;
    routelab::sim::EventId* timeout;
    void operator()() const {
        std::uint64_t x = *state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *state = x;
        scheduler->cancel(*timeout);
        *timeout = scheduler->after(Duration::from_s(10), [] {});
        scheduler->after(Duration::from_ns(static_cast<std::int64_t>(1 + (x & 1023))),
                         RescheduleWithTimeout{scheduler, state, timeout});
    }
};

void report_allocations(benchmark::State& state, std::uint64_t before) {
    const std::uint64_t allocations = g_allocations.load(std::memory_order_relaxed) - before;
    state.counters["allocs_per_event"] =
        benchmark::Counter(static_cast<double>(allocations) / static_cast<double>(state.iterations()));
    state.counters["events/s"] = benchmark::Counter(static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
    state.SetItemsProcessed(state.iterations());
}

void BM_SchedulerSteadyState(benchmark::State& state) {
    const auto pending = static_cast<int>(state.range(0));
    SimScheduler scheduler;
    std::uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
    for (int i = 0; i < pending; ++i) Reschedule{&scheduler, &rng_state}();
    // Warm up so the slot pool and heap have reached their peak size.
    for (int i = 0; i < pending; ++i) scheduler.step();
    const std::uint64_t before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) scheduler.step();
    report_allocations(state, before);
    state.counters["pending"] = static_cast<double>(scheduler.pending());
}
BENCHMARK(BM_SchedulerSteadyState)->Arg(10'000)->Arg(100);

void BM_SchedulerWithCancelledTimeouts(benchmark::State& state) {
    const auto pending = static_cast<int>(state.range(0));
    SimScheduler scheduler;
    std::uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
    std::vector<routelab::sim::EventId> timeouts(static_cast<std::size_t>(pending));
    for (int i = 0; i < pending; ++i) RescheduleWithTimeout{&scheduler, &rng_state, &timeouts[static_cast<std::size_t>(i)]}();
    for (int i = 0; i < pending; ++i) scheduler.step();
    const std::uint64_t before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) scheduler.step();
    report_allocations(state, before);
    state.counters["pending"] = static_cast<double>(scheduler.pending());
}
BENCHMARK(BM_SchedulerWithCancelledTimeouts)->Arg(10'000);

// Control: one heap allocation per iteration, so allocs_per_event reads 1 here and the
// counter is known to see allocations (the scheduler figures above are meant to read 0).
void BM_AllocationCounterControl(benchmark::State& state) {
    const std::uint64_t before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) {
        auto* p = new std::uint64_t(42);
        benchmark::DoNotOptimize(p);
        delete p;
    }
    report_allocations(state, before);
}
BENCHMARK(BM_AllocationCounterControl);

void BM_RngNextU64(benchmark::State& state) {
    routelab::sim::RngStream rng = routelab::sim::Rng(42).stream("bench");
    for (auto _ : state) benchmark::DoNotOptimize(rng.next_u64());
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngNextU64);

void BM_RngBelow(benchmark::State& state) {
    routelab::sim::RngStream rng = routelab::sim::Rng(42).stream("bench");
    for (auto _ : state) benchmark::DoNotOptimize(rng.below(1000));
    state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RngBelow);

void BM_LogNormalSample(benchmark::State& state) {
    routelab::sim::RngStream rng = routelab::sim::Rng(42).stream("bench");
    const routelab::sim::Distribution d{routelab::sim::dist::LogNormal{150.0, 0.25}};
    const std::uint64_t before = g_allocations.load(std::memory_order_relaxed);
    for (auto _ : state) benchmark::DoNotOptimize(d.sample(rng));
    state.SetItemsProcessed(state.iterations());
    state.counters["allocs_per_draw"] = benchmark::Counter(
        static_cast<double>(g_allocations.load(std::memory_order_relaxed) - before) / static_cast<double>(state.iterations()));
}
BENCHMARK(BM_LogNormalSample);

}  // namespace
