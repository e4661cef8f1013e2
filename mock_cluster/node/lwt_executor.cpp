#include "mock_cluster/node/lwt_executor.hpp"

#include "mock_cluster/cluster.hpp"
#include "mock_cluster/node/coordinator_error.hpp"
#include "mock_cluster/node/replica_op.hpp"
#include "mock_cluster/storage/mutation.hpp"

namespace routelab::cluster {

namespace {

namespace wire = routelab::cql;


struct Flow {
    Cluster* cluster = nullptr;
    SerialRequest request;
    Respond respond;
    sim::Time queued_at;
    cql::BoundOperation row_read;   // the read of the current row (the slice of the one row)
    std::optional<wire::RowsResult> outcome;

    std::string_view partition_key() const {
        return {reinterpret_cast<const char*>(request.bound->partition_key.data()), request.bound->partition_key.size()};
    }
};
using FlowPtr = std::shared_ptr<Flow>;

void finish(const FlowPtr& flow, const wire::Response& response) {
    flow->cluster->partition_locks().release(flow->request.statement->table->id, flow->partition_key());
    flow->respond(response);
}

void fail(const FlowPtr& flow, CoordinatorResult result) {
    finish(flow, coordinator_error(result));
}

void paxos_round(const FlowPtr& flow, void (*next)(const FlowPtr&)) {
    const auto& r = flow->request;
    ReplicaOp op = replica_op(*r.statement, *r.bound, OpKind::paxos, r.serial, r.timestamp_us);
    op.payload = {};
    op.write_type = WriteType::cas;
    flow->cluster->coordinator().execute(r.coordinator, op, [flow, next](const CoordinatorResult& result) {
        if (result.status != CoordinatorResult::Status::ok) return fail(flow, result);
        next(flow);
    });
}

void commit(const FlowPtr& flow) {
    const auto& r = flow->request;
    ReplicaOp op = replica_op(*r.statement, *r.bound, OpKind::write, r.commit, r.timestamp_us);
    op.write_type = WriteType::cas;
    flow->cluster->coordinator().execute(r.coordinator, op, [flow](const CoordinatorResult& result) {
        if (result.status != CoordinatorResult::Status::ok) return fail(flow, result);
        finish(flow, wire::Result{std::move(*flow->outcome)});
    });
}

void read_current(const FlowPtr& flow) {
    const auto& r = flow->request;
    const Consistency read_level = r.serial == Consistency::local_serial ? Consistency::local_quorum : Consistency::quorum;
    const cql::BoundOperation& read = r.statement->kind == cql::CompiledStatement::Kind::select ? *r.bound : flow->row_read;
    ReplicaOp op = replica_op(*r.statement, read, OpKind::read, read_level, r.timestamp_us);
    flow->cluster->coordinator().execute(r.coordinator, op, [flow](const CoordinatorResult& result) {
        if (result.status != CoordinatorResult::Status::ok) {
            CoordinatorResult as_serial = result;
            as_serial.consistency = flow->request.serial;
            return fail(flow, as_serial);
        }
        const auto& req = flow->request;
        if (req.statement->kind == cql::CompiledStatement::Kind::select)
            return finish(flow, wire::Result{cql::rows_result(*req.statement, *req.bound, result.rows, req.skip_metadata)});
        const bool applied = cql::condition_holds(*req.statement, *req.bound, *result.rows);
        flow->outcome = cql::lwt_result(*req.statement, *req.bound, applied, *result.rows);
        if (!applied) return finish(flow, wire::Result{std::move(*flow->outcome)});
        paxos_round(flow, commit);   // propose, then commit
    });
}

void start(const FlowPtr& flow) {
    Cluster& cluster = *flow->cluster;
    const auto waited = cluster.scheduler().now() - flow->queued_at;
    if (waited > cluster.coordinator().timeouts().write) {
        // Lost the race for the partition for longer than the contention timeout.
        CoordinatorResult timeout;
        timeout.status = CoordinatorResult::Status::write_timeout;
        timeout.consistency = flow->request.serial;
        timeout.write_type = WriteType::cas;
        timeout.required = 1;
        return fail(flow, timeout);
    }
    paxos_round(flow, read_current);   // prepare, then read
}

}  // namespace

std::optional<wire::Error> check_serial_levels(const SerialRequest& request) {
    if (!is_serial(request.serial))
        return wire::Error{wire::error_codes::invalid,
                           "Invalid consistency for conditional update. Must be one of SERIAL or LOCAL_SERIAL", {}};
    if (request.statement->kind != cql::CompiledStatement::Kind::select && is_serial(request.commit))
        return wire::Error{wire::error_codes::invalid,
                           std::string(consistency_name(request.commit)) +
                               " is not supported as conditional update commit consistency. Use ANY if you mean \"make sure "
                               "it is accepted but I don't care how many replicas commit it for non-SERIAL reads\"",
                           {}};
    return std::nullopt;
}

void run_serial(Cluster& cluster, SerialRequest request, Respond respond) {
    auto flow = std::make_shared<Flow>();
    flow->cluster = &cluster;
    flow->request = std::move(request);
    flow->respond = std::move(respond);
    flow->queued_at = cluster.scheduler().now();
    if (flow->request.commit == Consistency::any) flow->request.commit = Consistency::one;
    if (flow->request.statement->kind != cql::CompiledStatement::Kind::select) {
        // The current row: the statement's own row, whole.
        const cql::BoundOperation& b = *flow->request.bound;
        flow->row_read.partition_key = b.partition_key;
        flow->row_read.token = b.token;
        Slice slice;
        if (!b.clustering_key.empty()) slice.lower = slice.upper = b.clustering_key;
        write_slice(flow->row_read.payload, slice);
    }
    cluster.partition_locks().acquire(flow->request.statement->table->id, flow->partition_key(), [flow] { start(flow); });
}

}  // namespace routelab::cluster
