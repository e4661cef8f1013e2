#include "sim/faults/timeline.hpp"

#include <cassert>
#include <cmath>

namespace routelab::faults {

namespace {

using Action = scenario::FaultSpec::Action;
using Status = cluster::CoordinatorResult::Status;

sim::Duration seconds(double s) { return sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(s * 1e9))); }

Status error_status(const std::string& error) {
    if (error == "unavailable") return Status::unavailable;
    if (error == "read_timeout") return Status::read_timeout;
    if (error == "write_timeout") return Status::write_timeout;
    if (error == "overloaded") return Status::overloaded;
    if (error == "server_error") return Status::server_error;
    if (error == "read_failure") return Status::read_failure;
    if (error == "write_failure") return Status::write_failure;
    return Status::ok;  // "delay": no error, only the delay
}

}  // namespace

std::string_view step_state_name(StepState state) {
    switch (state) {
        case StepState::pending: return "pending";
        case StepState::active: return "active";
        case StepState::reverted: return "reverted";
        case StepState::done: return "done";
        case StepState::cancelled: return "cancelled";
    }
    return "unknown";
}

FaultTimeline::FaultTimeline(sim::Scheduler& scheduler, cluster::Cluster& cluster, FaultNetwork& network,
                             std::uint32_t client_ip, std::vector<scenario::FaultSpec> faults)
    : scheduler_(scheduler), cluster_(cluster), network_(network), client_ip_(client_ip), faults_(std::move(faults)),
      steps_(faults_.size()), pending_(faults_.size()) {}

FaultTimeline::FaultTimeline(sim::Scheduler& scheduler, cluster::Cluster& cluster, net::SimNetwork& network,
                             std::uint32_t client_ip, std::vector<scenario::FaultSpec> faults)
    : scheduler_(scheduler), cluster_(cluster), owned_network_(std::make_unique<SimFaultNetwork>(network)),
      network_(*owned_network_), client_ip_(client_ip), faults_(std::move(faults)), steps_(faults_.size()),
      pending_(faults_.size()) {}

FaultTimeline::~FaultTimeline() = default;

void FaultTimeline::start(sim::Time origin) {
    assert(!started_);
    started_ = true;
    origin_ = origin;
    // A repeated fault is applied `count` times, `every_s` (flap_node: `period_s`) apart.
    for (std::size_t i = 0; i < faults_.size(); ++i) {
        const auto& f = faults_[i];
        const double spacing = f.action == Action::flap_node ? f.period_s : f.every_s;
        for (int k = 0; k < f.count; ++k) schedule_apply(i, origin + seconds(f.at_s + k * spacing));
    }
}

void FaultTimeline::schedule_apply(std::size_t index, sim::Time when) {
    const std::size_t slot = pending_[index].size();
    pending_[index].push_back(scheduler_.at(when, [this, index, slot] {
        pending_[index][slot] = sim::EventId{};
        apply(index);
    }));
}

std::size_t FaultTimeline::cancel_pending() {
    std::size_t cancelled = 0;
    for (std::size_t i = 0; i < faults_.size(); ++i) {
        bool any = false;
        for (sim::EventId& id : pending_[i]) {
            if (id.valid()) any = scheduler_.cancel(id) || any;
            id = sim::EventId{};
        }
        if (!any) continue;
        ++cancelled;
        // A step never applied is cancelled; one applied before keeps its latest state.
        if (steps_[i].state == StepState::pending) steps_[i].state = StepState::cancelled;
    }
    return cancelled;
}

std::string FaultTimeline::target(const scenario::FaultSpec& f) {
    switch (f.action) {
        case Action::stop_rack:
        case Action::start_rack: return f.datacenter + "/" + f.rack;
        case Action::stop_dc:
        case Action::start_dc: return f.datacenter;
        case Action::partition:
        case Action::heal: return f.node + "|" + f.peer;
        case Action::set_route:
        case Action::remove_route: return f.connection_id + "/" + f.node;
        case Action::client_pause: return f.client;
        default: return f.node;
    }
}

std::size_t FaultTimeline::node(const std::string& name) const {
    const auto index = cluster_.node_index(name);
    assert(index.has_value());  // the scenario parser checked every name
    return *index;
}

std::uint32_t FaultTimeline::host_ip(const std::string& name) const {
    return name == "client" ? client_ip_ : cluster_.topology().node(node(name)).ip;
}

std::string FaultTimeline::describe(const scenario::FaultSpec& f) {
    switch (f.action) {
        case Action::stop_node: return "stop " + f.node;
        case Action::start_node: return "start " + f.node;
        case Action::stop_rack: return "stop rack " + f.datacenter + "/" + f.rack;
        case Action::start_rack: return "start rack " + f.datacenter + "/" + f.rack;
        case Action::stop_dc: return "stop DC " + f.datacenter;
        case Action::start_dc: return "start DC " + f.datacenter;
        case Action::slow_node: return "slow " + f.node + " x" + std::to_string(f.factor);
        case Action::slow_shard: return "slow " + f.node + " shard " + std::to_string(f.shard) + " x" + std::to_string(f.factor);
        case Action::add_latency: return "+" + std::to_string(static_cast<long long>(f.latency_us)) + "us on " + f.node;
        case Action::partition: return "partition " + f.node + " | " + f.peer;
        case Action::heal: return "heal " + f.node + " | " + f.peer;
        case Action::inject_error:
            return "inject " + f.error + " on " + (f.node.empty() ? std::string("all nodes") : f.node) + " (" + f.operation + ")";
        case Action::clear_errors: return "clear injected errors";
        case Action::set_route: return "route " + f.connection_id + "/" + f.node + " -> " + f.address + ":" + std::to_string(f.port);
        case Action::remove_route: return "remove route " + f.connection_id + "/" + f.node;
        case Action::decommission_node: return "decommission " + f.node;
        case Action::join_node: return "join " + f.node;
        case Action::blackhole_node: return "blackhole " + f.node;
        case Action::reset_connections: return "reset connections of " + f.node;
        case Action::replace_node: return "replace " + f.node;
        case Action::flap_node: return "flap " + f.node + " (down)";
        case Action::schema_change: return "schema change: " + f.statement;
        case Action::client_pause: return "pause client " + f.client;
    }
    return "fault";
}

void FaultTimeline::apply(std::size_t index) {
    const scenario::FaultSpec& f = faults_[index];
    std::string outcome;   // a schema change the cluster refused says why
    switch (f.action) {
        case Action::stop_node: cluster_.stop_node(node(f.node)); break;
        case Action::start_node: cluster_.start_node(node(f.node)); break;
        case Action::stop_rack: cluster_.stop_rack(f.datacenter, f.rack); break;
        case Action::start_rack: cluster_.start_rack(f.datacenter, f.rack); break;
        case Action::stop_dc: cluster_.stop_datacenter(f.datacenter); break;
        case Action::start_dc: cluster_.start_datacenter(f.datacenter); break;
        case Action::slow_node: cluster_.slow_node(node(f.node), static_cast<std::uint32_t>(f.factor)); break;
        case Action::slow_shard:
            cluster_.slow_shard(node(f.node), static_cast<std::size_t>(f.shard), static_cast<std::uint32_t>(f.factor));
            break;
        case Action::add_latency:
            network_.set_extra_latency(host_ip(f.node), sim::Duration::from_ns(static_cast<std::int64_t>(f.latency_us * 1e3)));
            break;
        case Action::partition: network_.partition(host_ip(f.node), host_ip(f.peer)); break;
        case Action::heal: network_.heal(host_ip(f.node), host_ip(f.peer)); break;
        case Action::inject_error: {
            cluster::InjectedFault fault;
            if (!f.node.empty()) fault.node = static_cast<std::uint16_t>(node(f.node));
            if (f.operation == "read") fault.kind = cluster::OpKind::read;
            if (f.operation == "write") fault.kind = cluster::OpKind::write;
            fault.per_million = static_cast<std::uint64_t>(std::llround(f.probability * 1e6));
            fault.error = error_status(f.error);
            fault.delay = sim::Duration::from_ns(static_cast<std::int64_t>(std::llround(f.delay_ms * 1e6)));
            cluster_.inject(fault);
            break;
        }
        case Action::clear_errors: cluster_.clear_injected(); break;
        case Action::set_route: {
            cluster::ClientRoute route;
            route.connection_id = f.connection_id;
            route.host_id = cluster_.topology().node(node(f.node)).host_id;
            route.address = f.address;
            route.port = f.port;
            cluster_.upsert_client_routes({route});
            break;
        }
        case Action::remove_route:
            cluster_.remove_client_routes({{f.connection_id, cluster_.topology().node(node(f.node)).host_id}});
            break;
        case Action::decommission_node: cluster_.decommission_node(node(f.node)); break;
        case Action::join_node: cluster_.join_node(node(f.node)); break;
        case Action::blackhole_node: cluster_.blackhole_node(node(f.node), true); break;
        case Action::reset_connections: cluster_.reset_connections(node(f.node)); break;
        case Action::replace_node: {
            std::optional<std::uint32_t> address;
            if (!f.address.empty()) address = net::parse_ipv4(f.address);
            cluster_.replace_node(node(f.node), address);
            break;
        }
        case Action::flap_node: cluster_.stop_node(node(f.node)); break;
        case Action::schema_change:
            if (auto error = cluster_.apply_statement(f.statement); !error.empty()) outcome = " (refused: " + error + ")";
            break;
        case Action::client_pause:
            if (pause_client_) pause_client_(f.client, true);
            break;
    }
    results::FaultWindow window;
    window.start_s = (scheduler_.now() - origin_).seconds();
    window.end_s = -1;
    window.description = describe(f) + outcome;
    applied_.push_back(window);
    steps_[index].state = f.duration_s > 0 ? StepState::active : StepState::done;
    steps_[index].applied_s = window.start_s;
    steps_[index].reverted_s = -1;
    ++steps_[index].applications;
    const std::size_t record = applied_.size() - 1;
    // Instantaneous steps are windows of no width (a mark in the plots), not "until the end".
    if (f.action == Action::reset_connections || f.action == Action::replace_node || f.action == Action::schema_change)
        applied_[record].end_s = applied_[record].start_s;
    const double duration = f.action == Action::flap_node ? f.down_s : f.duration_s;
    if (duration > 0) scheduler_.after(seconds(duration), [this, index, record] { revert(index, record); });
    if (listener_) listener_(f, applied_[record].description, true);
}

void FaultTimeline::revert(std::size_t index, std::size_t record) {
    const scenario::FaultSpec& f = faults_[index];
    switch (f.action) {
        case Action::stop_node: cluster_.start_node(node(f.node)); break;
        case Action::start_node: cluster_.stop_node(node(f.node)); break;
        case Action::stop_rack: cluster_.start_rack(f.datacenter, f.rack); break;
        case Action::start_rack: cluster_.stop_rack(f.datacenter, f.rack); break;
        case Action::stop_dc: cluster_.start_datacenter(f.datacenter); break;
        case Action::start_dc: cluster_.stop_datacenter(f.datacenter); break;
        case Action::slow_node: cluster_.slow_node(node(f.node), 1); break;
        case Action::slow_shard: cluster_.slow_shard(node(f.node), static_cast<std::size_t>(f.shard), 1); break;
        case Action::add_latency: network_.set_extra_latency(host_ip(f.node), sim::Duration{}); break;
        case Action::partition: network_.heal(host_ip(f.node), host_ip(f.peer)); break;
        case Action::heal: network_.partition(host_ip(f.node), host_ip(f.peer)); break;
        case Action::inject_error: cluster_.clear_injected(); break;
        case Action::decommission_node: cluster_.join_node(node(f.node)); break;
        case Action::join_node: cluster_.decommission_node(node(f.node)); break;
        case Action::blackhole_node: cluster_.blackhole_node(node(f.node), false); break;
        case Action::flap_node: cluster_.start_node(node(f.node)); break;
        case Action::client_pause:
            if (pause_client_) pause_client_(f.client, false);
            break;
        case Action::reset_connections:   // instantaneous: nothing to revert
        case Action::replace_node:
        case Action::schema_change:
        case Action::clear_errors:
        case Action::set_route:      // route changes take no duration
        case Action::remove_route: break;
    }
    applied_[record].end_s = (scheduler_.now() - origin_).seconds();
    steps_[index].state = StepState::reverted;
    steps_[index].reverted_s = applied_[record].end_s;
    if (listener_) listener_(f, applied_[record].description, false);
}

}  // namespace routelab::faults
