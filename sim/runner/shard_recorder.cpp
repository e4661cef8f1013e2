#include "sim/runner/shard_recorder.hpp"

#include <algorithm>

namespace routelab::runner {

namespace {

void each_shard(const cluster::Cluster& cluster, auto&& f) {
    for (std::size_t n = 0; n < cluster.topology().size(); ++n)
        for (std::size_t s = 0; s < cluster.node_state(n).shards.size(); ++s) f(n, s, cluster.shard_queue(n, s));
}

}  // namespace

void ShardRecorder::on_workload_start(sim::Time origin) {
    origin_ = origin;
    admitted_at_start_.clear();
    each_shard(cluster_, [&](std::size_t, std::size_t, const cluster::ShardQueue& q) { admitted_at_start_.push_back(q.admitted()); });
}

void ShardRecorder::sample(std::size_t index, results::RunRecord& into, std::vector<std::uint64_t>& admitted) const {
    const double start_s = static_cast<double>(index) * window_.seconds();
    const sim::Time now = scheduler_.now();
    std::size_t i = 0;
    each_shard(cluster_, [&](std::size_t n, std::size_t s, const cluster::ShardQueue& q) {
        const std::uint64_t before = i < admitted.size() ? admitted[i] : 0;
        const double backlog_us = q.next_free() > now ? static_cast<double>((q.next_free() - now).ns()) / 1e3 : 0.0;
        into.window_shard_load.push_back({start_s, cluster_.topology().node(n).name, static_cast<int>(s), q.admitted() - before, backlog_us});
        if (i < admitted.size()) admitted[i] = q.admitted();
        else admitted.push_back(q.admitted());
        ++i;
    });
    for (std::size_t n = 0; n < cluster_.topology().size(); ++n)
        into.window_connections.push_back({start_s, cluster_.topology().node(n).name, cluster_.open_connections(n)});
}

void ShardRecorder::on_request_ended(const checks::RequestEnded& f) {
    const auto index = static_cast<std::size_t>(std::max<std::int64_t>((f.ended - origin_).ns(), 0) / window_.ns());
    if (!any_ended_) {
        any_ended_ = true;
        current_index_ = index;
        return;
    }
    if (index <= current_index_) return;
    sample(current_index_, closed_, admitted_at_start_);
    current_index_ = index;
}

void ShardRecorder::report(results::RunRecord& record) const {
    record.window_shard_load = closed_.window_shard_load;
    record.window_connections = closed_.window_connections;
    if (!any_ended_) return;
    auto admitted = admitted_at_start_;
    sample(current_index_, record, admitted);
}

}  // namespace routelab::runner
