#pragma once
// A RequestSink for generator tests: records what was issued and when, and — for closed
// loops — answers each request after a drawn service time, telling the generator.
#include <cstdint>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/workload/request_shaper.hpp"
#include "sim/workload/workload.hpp"

namespace routelab::workload::test {

struct Issued {
    std::int64_t at_ns;
    std::uint32_t mix_index;
    std::int64_t key;
    std::uint32_t user;
    std::uint32_t value_bytes;
};

class RecordingSink final : public RequestSink {
public:
    explicit RecordingSink(sim::SimScheduler& scheduler) : scheduler_(scheduler) {}
    void issue(const WorkloadRequest& r) override {
        issued.push_back({scheduler_.now().ns(), r.mix_index, r.key, r.user, r.value_bytes});
        if (generator == nullptr) return;
        if (r.user >= busy.size()) busy.resize(r.user + 1, false);
        if (busy[r.user]) ++double_issues;   // a user with a request in flight issued again
        busy[r.user] = true;
        ++in_flight;
        if (in_flight > max_in_flight) max_in_flight = in_flight;
        const std::uint32_t user = r.user;
        scheduler_.after(sim::sample_duration_us(service_us, service_rng), [this, user] {
            busy[user] = false;
            --in_flight;
            generator->completed(user);
        });
    }

    std::vector<Issued> issued;
    // Closed loop: answer requests and report them to `generator`.
    Generator* generator = nullptr;
    sim::Distribution service_us{sim::dist::Constant{1000.0}};
    sim::RngStream service_rng{77};
    std::vector<bool> busy;
    std::uint32_t in_flight = 0;
    std::uint32_t max_in_flight = 0;
    std::uint32_t double_issues = 0;

private:
    sim::SimScheduler& scheduler_;
};

inline ShapeConfig reads_only(std::int64_t keys = 1000) {
    ShapeConfig shape;
    shape.keys.keys = keys;
    shape.operations.push_back(OperationShape{});
    return shape;
}

}  // namespace routelab::workload::test
