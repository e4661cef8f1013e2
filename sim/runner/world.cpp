#include "sim/runner/world.hpp"

#include <utility>

#include "driver/policy/registry.hpp"
#include "sim/net/endpoint.hpp"
#include "sim/runner/cluster_setup.hpp"
#include "sim/scenario/clients.hpp"

namespace routelab::runner {

namespace {

// Whether a fault step changes which nodes serve or how they are reached (for checks that
// expect stable routing while the topology holds); slowdowns and injected errors do not.
bool changes_topology(const scenario::FaultSpec& f) {
    using Action = scenario::FaultSpec::Action;
    switch (f.action) {
        case Action::slow_node:
        case Action::slow_shard:
        case Action::add_latency:
        case Action::inject_error:
        case Action::clear_errors:
        case Action::schema_change:
        case Action::client_pause: return false;
        default: return true;
    }
}

// Client application hosts: 127.1.0.1 (the one client of a run without [[clients]]), then
// 127.1.0.2, ..., 250 per third octet. Each sits in its datacenter on its own rack.
std::uint32_t client_address(std::size_t index) {
    return net::ipv4(127, 1, static_cast<std::uint8_t>(index / 250), static_cast<std::uint8_t>(index % 250 + 1));
}

}  // namespace

driver::Expected<std::unique_ptr<driver::LoadBalancingPolicy>> make_policy(const scenario::DriverSpec& d, sim::RngStream rng,
                                                                           driver::InFlightProvider in_flight) {
    return driver::PolicyRegistry::instance().create(d.policy, driver::PolicyOptions(d.policy_options, "driver.policy " + d.policy),
                                                     driver::PolicyContext{rng, std::move(in_flight)});
}

driver::Expected<driver::RetryPolicy> make_retry(const scenario::DriverSpec& d) {
    return driver::PolicyRegistry::create_retry(d.retry, driver::PolicyOptions(d.retry_options, "driver.retry " + d.retry));
}

cluster::ClusterConfig cluster_config(const scenario::Scenario& s) {
    cluster::ClusterConfig config;
    config.cluster_name = s.name;
    config.private_link = s.cluster.private_link;
    config.vnodes = s.topology.vnodes;
    config.shards = s.topology.shards;
    for (const auto& dc : s.topology.datacenters)
        for (const auto& rack : dc.racks)
            for (int i = 1; i <= rack.nodes; ++i)
                config.nodes.push_back({dc.name + "-" + rack.name + "-n" + std::to_string(i), dc.name, rack.name, {}});
    for (const auto& n : s.topology.nodes) config.nodes.push_back({n.name, n.datacenter, n.rack, n.tokens, n.joined});
    config.status_delay = sim::Duration::from_ms(s.cluster.status_delay_ms);
    return config;
}

World::World(const scenario::Scenario& scenario, std::uint64_t seed, std::uint64_t max_events, const WorldOptions& options)
    : scenario_(scenario),
      scheduler_(max_events),
      rng_(seed),
      links_(make_links(scenario.network)),
      metrics_(sim::Duration::from_ns(static_cast<std::int64_t>(scenario.output.window_s * 1e9))) {
    const cluster::ClusterConfig config = cluster_config(scenario);
    place_nodes(links_, config);
    place_proxies(links_, scenario, config);
    const auto specs = scenario::scenario_clients(scenario);
    for (std::size_t i = 0; i < specs.size(); ++i) links_.place(client_address(i), {specs[i].datacenter, specs[i].rack});
    network_ = std::make_unique<net::SimNetwork>(scheduler_, rng_.stream("net"), trace_, links_);

    cluster_ = std::make_unique<cluster::Cluster>(cluster::ClusterEnv{scheduler_, rng_, trace_, *network_, network_->links()}, config,
                                                  service_config(scenario));
    create_scenario_schema(*cluster_, scenario);
    cluster_->start();
    if (options.adjust_cluster) options.adjust_cluster(*cluster_);
    sticky_proxies_ = make_sticky_proxies(*cluster_, scheduler_, *network_, scenario);
    install_proxies(*cluster_, scenario);
    directory_ = std::make_unique<WorldDirectory>(*cluster_);
    driver_network_ = std::make_unique<ObservedNetwork>(*network_, scheduler_, facts_);
    window_recorder_ = std::make_unique<WindowRecorder>(
        sim::Duration::from_ns(static_cast<std::int64_t>(scenario.output.window_s * 1e9)), *directory_);
    facts_.subscribe(*window_recorder_);
    driver_view_ = std::make_unique<DriverViewRecorder>(*cluster_, *directory_);
    facts_.subscribe(*driver_view_);
    affinity_ = std::make_unique<AffinityRecorder>(sim::Duration::from_ns(static_cast<std::int64_t>(scenario.output.window_s * 1e9)),
                                                   std::as_const(*cluster_).sessions());
    facts_.subscribe(*affinity_);
    shard_load_ = std::make_unique<ShardRecorder>(sim::Duration::from_ns(static_cast<std::int64_t>(scenario.output.window_s * 1e9)),
                                                  std::as_const(*cluster_), scheduler_);
    facts_.subscribe(*shard_load_);

    // Without [[clients]] the one client keeps the stream names runs always had.
    const ClientEnv env{scheduler_, rng_, trace_, *network_, *cluster_, metrics_, scenario_, facts_, *driver_network_, options.adjust_session};
    for (std::size_t i = 0; i < specs.size(); ++i) {
        const std::string streams = scenario.clients.empty() ? std::string() : "client/" + specs[i].name + "/";
        // Client i's request ids start at i·2⁴⁰: unique across clients, unchanged for the first.
        clients_.push_back(std::make_unique<Client>(env, specs[i], client_address(i), streams, static_cast<std::uint64_t>(i) << 40));
        if (startup_error_.empty()) startup_error_ = clients_.back()->setup_error();
    }
    // Fault actions aimed at "client" act on the first client's host.
    faults_ = std::make_unique<faults::FaultTimeline>(scheduler_, *cluster_, *network_, clients_.front()->ip(), scenario.faults);
    faults_->set_listener([this](const scenario::FaultSpec& f, const std::string& description, bool applied) {
        if (facts_.wants(checks::FactKind::fault))
            facts_.publish(checks::FaultChanged{scheduler_.now(), description, applied, changes_topology(f)});
    });
    faults_->set_client_pauser([this](const std::string& name, bool paused) {
        for (auto& client : clients_)
            if (client->spec().name == name) client->set_paused(paused);
    });
    // Checkers resolve the drivers' node indexes through the first client's session (every
    // session discovers the same cluster through the same system tables).
    directory_->set_contact_points(contact_points(*cluster_, scenario));
    directory_->set_session(clients_.front()->session());
}

World::~World() = default;

sim::RunStatus World::run() {
    if (!startup_error_.empty()) return sim::RunStatus::idle;
    for (const auto& client : clients_)
        if (client->starts_with_the_run()) ++clients_starting_;
    for (const auto& client : clients_) {
        if (!client->starts_with_the_run()) continue;
        client->open([this](const std::string& error) {
            if (!error.empty()) {
                if (startup_error_.empty()) startup_error_ = error;
                return;
            }
            if (++clients_ready_ == clients_starting_ && startup_error_.empty()) start_workload();
        });
    }
    // Start-up is bounded; then the workload's duration; then in-flight requests drain
    // within their client-side timeout.
    const sim::Time startup_limit = sim::Time::zero() + sim::Duration::from_s(10);
    if (clients_starting_ == 0) start_workload();   // every client starts later: the workload starts at once
    while (!started_ && startup_error_.empty()) {
        const sim::RunStatus status = scheduler_.run_until(std::min(scheduler_.now() + sim::Duration::from_ms(1), startup_limit));
        if (status == sim::RunStatus::reached_event_limit) return status;
        if (status == sim::RunStatus::idle || scheduler_.now() >= startup_limit) break;
    }
    if (!started_) return sim::RunStatus::idle;
    double active_s = 0;
    sim::Duration timeout;
    for (const auto& client : clients_) {
        active_s = std::max(active_s, client->active_until_s());
        timeout = std::max(timeout, client->request_timeout());
    }
    const sim::Time end = workload_started_ + sim::Duration::from_ns(static_cast<std::int64_t>(active_s * 1e9)) + timeout + sim::Duration::from_s(1);
    sim::RunStatus status = scheduler_.run_until(end);
    // Operations that outlast that (paged reads, profiles with longer timeouts) get to end.
    const sim::Time limit = end + sim::Duration::from_s(60);
    while (status == sim::RunStatus::reached_time_limit && operations_in_flight() > 0 && scheduler_.now() < limit)
        status = scheduler_.run_until(std::min(scheduler_.now() + sim::Duration::from_ms(100), limit));
    return status;
}

void World::start_workload() {
    started_ = true;
    workload_started_ = scheduler_.now();
    metrics_.set_origin(workload_started_);
    facts_.workload_started(workload_started_);
    faults_->start(workload_started_);
    for (auto& client : clients_) client->begin(workload_started_);
}

std::uint64_t World::operations_in_flight() const {
    std::uint64_t n = 0;
    for (const auto& client : clients_) n += client->operations_in_flight();
    return n;
}

std::vector<std::string> World::late_errors() const {
    std::vector<std::string> out;
    for (const auto& client : clients_) {
        const auto errors = client->late_errors();
        out.insert(out.end(), errors.begin(), errors.end());
    }
    return out;
}

void World::report(results::RunRecord& record) const {
    metrics_.report(record);
    window_recorder_->report(record);
    driver_view_->report(record);
    affinity_->report(record);
    shard_load_->report(record);
    record.trace_hash = trace_.hash();
    record.trace_events = trace_.events();
    record.events_run = scheduler_.events_run();
    record.simulated_s = scheduler_.now().seconds();
    record.faults = faults_->applied();
    record.clients.clear();
    for (const auto& client : clients_) record.clients.push_back(client->report());
    const auto& sessions = cluster_->sessions();
    record.affinity = {sessions.sessions(), sessions.keyed(), sessions.same_node(), sessions.moved()};
    const auto& topology = cluster_->topology();
    record.nodes.clear();
    for (const auto& node : topology.nodes()) {
        results::NodeLoad load;
        load.node = node.name;
        load.address = net::format_ipv4(node.ip);
        load.datacenter = node.datacenter;
        load.rack = node.rack;
        const auto& state = cluster_->node_state(node.index);
        load.requests_coordinated = state.coordinated;
        load.replica_ops = state.replica_ops;
        load.hints_stored = state.hints_stored;
        load.hints_replayed = state.hints_replayed;
        record.nodes.push_back(load);
    }
}

}  // namespace routelab::runner
