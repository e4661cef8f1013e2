#include "sim/runner/client_workload.hpp"

#include <cmath>

#include "sim/workload/closed_loop.hpp"
#include "sim/workload/open_loop.hpp"

namespace routelab::runner {
namespace {

workload::Operation operation_of(scenario::OperationKind kind) {
    using K = scenario::OperationKind;
    using O = workload::Operation;
    switch (kind) {
        case K::read: return O::read;
        case K::write: return O::write;
        case K::paged_read: return O::paged_read;
        case K::row_write: return O::row_write;
        case K::lwt_insert: return O::lwt_insert;
        case K::lwt_update: return O::lwt_update;
        case K::batch: return O::batch;
    }
    return O::read;
}

workload::KeyConfig key_config(const scenario::WorkloadSpec& w) {
    using K = scenario::KeyDistributionSpec::Kind;
    const auto& d = w.key_distribution;
    workload::KeyConfig k;
    k.keys = w.keys;
    switch (d.kind) {
        case K::uniform: k.kind = workload::KeyConfig::Kind::uniform; break;
        case K::zipf:
            k.kind = workload::KeyConfig::Kind::zipf;
            k.zipf_exponent = d.s;
            break;
        case K::hot_set:
            k.kind = workload::KeyConfig::Kind::hot_set;
            k.hot_keys = std::llround(static_cast<double>(w.keys) * d.hot_keys);
            k.hot_per_million = static_cast<std::uint64_t>(std::llround(d.hot_traffic * 1e6));
            break;
        case K::sequential:
            k.kind = workload::KeyConfig::Kind::sequential;
            k.first = d.first;
            break;
        case K::list:
            k.kind = workload::KeyConfig::Kind::list;
            k.list = d.list;
            break;
    }
    return k;
}

workload::ShapeConfig shape_config(const scenario::WorkloadSpec& w, const std::vector<scenario::OperationSpec>& mix) {
    workload::ShapeConfig shape;
    shape.keys = key_config(w);
    shape.rows_per_partition = w.rows_per_partition;
    for (const auto& op : mix) {
        workload::OperationShape s;
        s.operation = operation_of(op.kind);
        s.weight = op.weight;
        s.statements = static_cast<std::uint32_t>(op.statements);
        s.rows = op.rows;
        // The operation's size, else the workload's (drawn or fixed).
        if (op.value_bytes) s.value_bytes = static_cast<std::uint32_t>(*op.value_bytes);
        else if (op.value_size) s.value_size = op.value_size;
        else if (w.value_size) s.value_size = w.value_size;
        else s.value_bytes = static_cast<std::uint32_t>(w.value_bytes);
        shape.operations.push_back(std::move(s));
    }
    return shape;
}

}  // namespace

std::vector<scenario::OperationSpec> operation_mix(const scenario::WorkloadSpec& w) {
    if (!w.operations.empty()) return w.operations;
    const auto reads = static_cast<double>(static_cast<std::uint64_t>(w.read_fraction * 1e6 + 0.5));
    scenario::OperationSpec read;
    read.kind = scenario::OperationKind::read;
    read.weight = reads;
    scenario::OperationSpec write;
    write.kind = scenario::OperationKind::write;
    write.weight = 1e6 - reads;
    return {read, write};
}

std::unique_ptr<workload::Generator> make_generator(const scenario::WorkloadSpec& w, const std::vector<scenario::OperationSpec>& mix,
                                                    sim::Scheduler& scheduler, const sim::Rng& rng, const std::string& streams,
                                                    workload::RequestSink& sink) {
    const auto picks = rng.stream(streams + "workload/keys");
    const auto shapes = rng.stream(streams + "workload/shapes");
    if (w.kind == scenario::WorkloadKind::closed_loop) {
        workload::ClosedLoopConfig config;
        config.users = static_cast<std::uint32_t>(w.users);
        config.think_time_us = w.think_time_us;
        config.shape = shape_config(w, mix);
        return std::make_unique<workload::ClosedLoopWorkload>(scheduler, rng.stream(streams + "workload/think"), picks, shapes,
                                                              std::move(config), sink);
    }
    workload::OpenLoopConfig config;
    std::vector<workload::RatePoint> points;
    for (const auto& [at, rate] : scenario::rate_points(w)) points.push_back({at, rate});
    config.schedule = workload::RateSchedule(std::move(points));
    config.arrivals = w.arrivals == scenario::ArrivalKind::constant ? workload::Arrivals::constant : workload::Arrivals::poisson;
    config.shape = shape_config(w, mix);
    return std::make_unique<workload::OpenLoopWorkload>(scheduler, rng.stream(streams + "workload/arrivals"), picks, shapes,
                                                        std::move(config), sink);
}

}  // namespace routelab::runner
