// The cluster's client-transport and identity faults: blackhole, connection reset, node
// replacement, and DDL applied from the fault timeline (see cluster.hpp).
#include "mock_cluster/cluster.hpp"

#include "mock_cluster/cql/compiled_statement.hpp"
#include "mock_cluster/cql/statement.hpp"
#include "mock_cluster/node/cql_server.hpp"
#include "mock_cluster/node/schema_change_executor.hpp"

namespace routelab::cluster {

namespace {
// Trace codes of these faults (the other control-surface codes are in cluster.cpp).
constexpr std::uint64_t trace_blackhole_on = 24;
constexpr std::uint64_t trace_blackhole_off = 25;
constexpr std::uint64_t trace_reset = 26;
constexpr std::uint64_t trace_replace = 27;
constexpr std::uint64_t trace_schema_change = 28;
}  // namespace

void Cluster::blackhole_node(std::size_t index, bool on) {
    if (index >= servers_.size() || servers_[index]->blackholed() == on) return;
    servers_[index]->set_blackhole(on);
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, on ? trace_blackhole_on : trace_blackhole_off, index);
}

bool Cluster::blackholed(std::size_t index) const { return index < servers_.size() && servers_[index]->blackholed(); }

void Cluster::reset_connections(std::size_t index) {
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, trace_reset, index);
    if (index < servers_.size()) servers_[index]->drop_connections();
}

std::size_t Cluster::client_connections(std::size_t index) const {
    return index < servers_.size() ? servers_[index]->open_connections() : 0;
}

std::optional<std::uint32_t> Cluster::replace_node(std::size_t index, std::optional<std::uint32_t> address) {
    const std::uint32_t generation = replacements_ + 1;
    const std::uint32_t ip = address.value_or(net::ipv4(127, 4, static_cast<std::uint8_t>(generation >> 8),
                                                        static_cast<std::uint8_t>(generation & 0xff)));
    for (const auto& n : topology_.nodes())
        if (n.ip == ip) return std::nullopt;
    replacements_ = generation;
    const bool member = ring_.member(index);
    // The old node is gone for good: it stops serving, a pending DOWN is moot.
    cancel_pending_down(index);
    if (nodes_[index].up) {
        nodes_[index].up = false;
        coordinator_.node_down(static_cast<std::uint16_t>(index));
    }
    if (index < servers_.size()) {
        servers_[index]->stop(env_.network);
        servers_[index]->clear_prepared();   // a new node knows no prepared statement
        servers_[index]->set_blackhole(false);
    }
    const net::Endpoint old_endpoint = cql_endpoint(index);
    const NodeIdentity& node = topology_.node(index);
    env_.links.place(ip, {node.datacenter, node.rack});
    topology_.replace_identity(index, ip, replacement_host_id(topology_.config().cluster_name, node.name, generation));
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, trace_replace, (std::uint64_t{ip} << 16) | index);
    publish(events::topology_change(false, old_endpoint), index);
    if (!member) return ip;   // outside the ring: it joins later (join_node) at its new address
    nodes_[index].up = true;
    coordinator_.node_up(static_cast<std::uint16_t>(index));
    if (index < servers_.size()) listen(index);
    publish(events::topology_change(true, cql_endpoint(index)), index);
    return ip;
}

std::string Cluster::apply_statement(const std::string& text) {
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::fault, trace_schema_change, sim::fnv1a64(text));
    const auto parsed = cql::parse_statement(text);
    if (!parsed.statement) return parsed.error;
    auto compiled = cql::compile(*parsed.statement, schema_, "");
    if (!compiled.statement) return compiled.error.message;
    if (compiled.statement->kind != cql::CompiledStatement::Kind::schema_change || !compiled.statement->schema_change)
        return "not a schema change";
    const auto response = apply_schema_change(*this, *compiled.statement->schema_change);
    if (const auto* error = std::get_if<routelab::cql::Error>(&response)) return error->message;
    return {};
}

}  // namespace routelab::cluster
