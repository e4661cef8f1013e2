#pragma once
// The coordinator operation for a bound user-table statement.
#include "mock_cluster/coordinator/coordinator.hpp"
#include "mock_cluster/cql/binding.hpp"

namespace routelab::cluster {

inline ReplicaOp replica_op(const cql::CompiledStatement& s, const cql::BoundOperation& bound, OpKind kind,
                            Consistency consistency, std::int64_t timestamp_us) {
    ReplicaOp op;
    op.kind = kind;
    op.table = s.table->id;
    op.replicas = &s.keyspace->replicas;
    op.total_rf = s.keyspace->strategy.total_factor();
    if (s.keyspace->strategy.kind == ReplicationStrategy::Kind::network_topology) op.rf_per_dc = &s.keyspace->strategy.factor_per_dc;
    op.token = bound.token;
    op.partition_key = std::string_view(reinterpret_cast<const char*>(bound.partition_key.data()), bound.partition_key.size());
    op.payload = std::string_view(reinterpret_cast<const char*>(bound.payload.data()), bound.payload.size());
    op.timestamp_us = timestamp_us;
    op.consistency = consistency;
    return op;
}

}  // namespace routelab::cluster
