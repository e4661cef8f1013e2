#include "sim/runner/world.hpp"

#include "driver/policy/registry.hpp"
#include "driver/policy/round_robin.hpp"
#include "mock_cluster/coordinator/consistency.hpp"
#include "sim/net/endpoint.hpp"
#include "sim/runner/cluster_setup.hpp"
#include "sim/scenario/client_routes_config.hpp"

namespace routelab::runner {

namespace {

// The client application lives in the driver's local DC, on a rack of its own.
constexpr std::uint32_t client_ip = net::ipv4(127, 1, 0, 1);

// Whether a fault step changes which nodes serve or how they are reached (for checks that
// expect stable routing while the topology holds); slowdowns and injected errors do not.
bool changes_topology(const scenario::FaultSpec& f) {
    using Action = scenario::FaultSpec::Action;
    switch (f.action) {
        case Action::slow_node:
        case Action::slow_shard:
        case Action::add_latency:
        case Action::inject_error:
        case Action::clear_errors: return false;
        default: return true;
    }
}

// The value id a read returned: the first 8 bytes of v (see World::issue); none without a row.
std::optional<std::uint64_t> read_value(const driver::RequestResult& result) {
    if (result.outcome != driver::RequestOutcome::ok || result.response == nullptr ||
        result.response->kind != routelab::cql::ResponseView::Kind::rows || result.response->rows.row_count() == 0)
        return std::nullopt;
    auto cells = result.response->rows.cells();
    const auto cell = cells.next();
    if (!cell || cell->size() < 8) return std::nullopt;
    std::uint64_t id = 0;
    for (std::size_t i = 0; i < 8; ++i) id = (id << 8) | (*cell)[i];
    return id;
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
    const std::string local_dc = scenario.driver.local_datacenter.empty() && !config.nodes.empty()
                                     ? config.nodes.front().datacenter
                                     : scenario.driver.local_datacenter;
    place_nodes(links_, config);
    place_proxies(links_, scenario, config);
    links_.place(client_ip, {local_dc, "client"});
    network_ = std::make_unique<net::SimNetwork>(scheduler_, rng_.stream("net"), trace_, links_);

    cluster_ = std::make_unique<cluster::Cluster>(cluster::ClusterEnv{scheduler_, rng_, trace_, *network_, network_->links()}, config,
                                                  service_config(scenario));
    create_scenario_schema(*cluster_, scenario);
    cluster_->start();
    sticky_proxies_ = make_sticky_proxies(*cluster_, scheduler_, *network_, scenario);
    install_proxies(*cluster_, scenario);
    directory_ = std::make_unique<WorldDirectory>(*cluster_);
    driver_network_ = std::make_unique<ObservedNetwork>(*network_, scheduler_, facts_);
    window_recorder_ = std::make_unique<WindowRecorder>(
        sim::Duration::from_ns(static_cast<std::int64_t>(scenario.output.window_s * 1e9)), *directory_);
    facts_.subscribe(*window_recorder_);

    driver::SessionConfig session;
    session.contact_points = contact_points(*cluster_, scenario);
    auto policy = make_policy(scenario.driver, rng_.stream("driver/policy"),
                              [this](const driver::Target& t) { return session_ ? session_->in_flight(t) : 0U; });
    if (!policy) {
        startup_error_ = policy.error().to_string();
        policy = driver::Expected<std::unique_ptr<driver::LoadBalancingPolicy>>(std::make_unique<driver::RoundRobinPolicy>());
    }
    session.policy = std::move(policy).value();
    if (auto retry = make_retry(scenario.driver)) session.retry = retry.value();
    else startup_error_ = retry.error().to_string();
    auto speculative = driver::PolicyRegistry::create_speculative(
        scenario.driver.speculative, driver::PolicyOptions(scenario.driver.speculative_options, "driver.speculative " + scenario.driver.speculative));
    if (speculative) session.speculative = std::move(speculative).value();
    else startup_error_ = speculative.error().to_string();
    session.client_timestamps = scenario.driver.client_timestamps;
    for (const auto& spec : scenario.driver.profiles) {
        // Each profile's policies are built like the session's, from [driver] with the
        // profile's fields on top; the parser already checked that they build.
        const scenario::DriverSpec d = scenario::with_profile(scenario.driver, spec);
        driver::ExecutionProfile profile;
        profile.name = spec.name;
        if (auto p = make_policy(d, rng_.stream("driver/profile/" + spec.name),
                                 [this](const driver::Target& t) { return session_ ? session_->in_flight(t) : 0U; }))
            profile.policy = std::move(p).value();
        else startup_error_ = p.error().to_string();
        if (auto r = make_retry(d)) profile.retry = r.value();
        else startup_error_ = r.error().to_string();
        if (auto x = driver::PolicyRegistry::create_speculative(d.speculative, driver::PolicyOptions(d.speculative_options, "speculative " + d.speculative)))
            profile.speculative = std::move(x).value();
        else startup_error_ = x.error().to_string();
        auto cl = [](const std::optional<std::string>& name) -> std::optional<routelab::cql::Consistency> {
            if (!name) return std::nullopt;
            return static_cast<routelab::cql::Consistency>(cluster::consistency_from_name(*name).value_or(cluster::Consistency::one));
        };
        profile.consistency = cl(spec.consistency);
        profile.serial_consistency = cl(spec.serial_consistency);
        profile.request_timeout = sim::Duration::from_ms(d.request_timeout_ms);
        session.profiles.push_back(std::move(profile));
    }
    session.connections_per_node = scenario.driver.connections_per_node;
    session.connections_per_shard = scenario.driver.connections_per_shard;
    session.shard_aware_port = scenario.driver.shard_aware_port;
    if (scenario.driver.compression == "lz4") session.compression = routelab::cql::Compression::lz4;
    session.request_timeout = sim::Duration::from_ms(scenario.driver.request_timeout_ms);
    session.session_key_payload = scenario.driver.session_key_payload;
    if (scenario.driver.client_routes) session.client_routes = scenario::to_client_routes_config(*scenario.driver.client_routes);
    session.on_node_state = [this](driver::NodeIndex node, const net::Endpoint& address, bool up) {
        if (facts_.wants(checks::FactKind::node_marked)) facts_.publish(checks::NodeMarked{scheduler_.now(), node, address, up});
    };
    directory_->set_contact_points(session.contact_points);
    if (options.adjust_session) options.adjust_session(session);
    session_ = std::make_unique<driver::Session>(driver::Env{scheduler_, *driver_network_, trace_, rng_.stream("driver"), client_ip},
                                                 std::move(session));
    directory_->set_session(session_.get());
    consistency_ = static_cast<routelab::cql::Consistency>(
        cluster::consistency_from_name(scenario.workload.consistency).value_or(cluster::Consistency::one));
    request_options_.consistency = consistency_;
    if (!scenario.workload.profile.empty() && scenario.workload.profile != "default") {
        request_options_.profile = session_->profile(scenario.workload.profile);
        // A profile that sets a consistency level decides it for the workload's requests.
        if (request_options_.profile && request_options_.profile->consistency) request_options_.consistency.reset();
    }

    workload::OpenLoopConfig load;
    load.rate_per_s = scenario.workload.rate_per_s;
    load.duration = sim::Duration::from_ns(static_cast<std::int64_t>(scenario.workload.duration_s * 1e9));
    load.keys = scenario.workload.keys;
    load.read_per_million = static_cast<std::uint64_t>(scenario.workload.read_fraction * 1e6 + 0.5);
    faults_ = std::make_unique<faults::FaultTimeline>(scheduler_, *cluster_, *network_, client_ip, scenario.faults);
    faults_->set_listener([this](const scenario::FaultSpec& f, const std::string& description, bool applied) {
        if (facts_.wants(checks::FactKind::fault))
            facts_.publish(checks::FaultChanged{scheduler_.now(), description, applied, changes_topology(f)});
    });
    workload_ = std::make_unique<workload::OpenLoopWorkload>(scheduler_, rng_.stream("workload/arrivals"),
                                                             rng_.stream("workload/keys"), load,
                                                             static_cast<workload::RequestSink&>(*this));
}

World::~World() = default;

sim::RunStatus World::run() {
    if (!startup_error_.empty()) return sim::RunStatus::idle;
    const std::string qualified = scenario_.cluster.keyspace + "." + scenario_.cluster.table;
    session_->connect([this, qualified](bool ok) {
        if (!ok) {
            startup_error_ = "the driver could not connect to any node";
            return;
        }
        session_->prepare("SELECT v FROM " + qualified + " WHERE k = ?", [this, qualified](driver::PreparedPtr read, const routelab::cql::Error* error) {
            if (!read) {
                startup_error_ = "PREPARE of the read failed: " + (error ? error->message : std::string("unknown"));
                return;
            }
            read_statement_ = std::move(read);
            session_->prepare("INSERT INTO " + qualified + " (k, v) VALUES (?, ?)", [this](driver::PreparedPtr write, const routelab::cql::Error* err) {
                if (!write) {
                    startup_error_ = "PREPARE of the write failed: " + (err ? err->message : std::string("unknown"));
                    return;
                }
                write_statement_ = std::move(write);
                start_workload();
            });
        });
    });
    // Start-up is bounded; then the workload's duration; then in-flight requests drain
    // within their client-side timeout.
    const sim::Time startup_limit = sim::Time::zero() + sim::Duration::from_s(10);
    while (!started_ && startup_error_.empty()) {
        const sim::RunStatus status = scheduler_.run_until(std::min(scheduler_.now() + sim::Duration::from_ms(1), startup_limit));
        if (status == sim::RunStatus::reached_event_limit) return status;
        if (status == sim::RunStatus::idle || scheduler_.now() >= startup_limit) break;
    }
    if (!started_) return sim::RunStatus::idle;
    const sim::Time end = workload_started_ + sim::Duration::from_ns(static_cast<std::int64_t>(scenario_.workload.duration_s * 1e9)) +
                          sim::Duration::from_ms(scenario_.driver.request_timeout_ms) + sim::Duration::from_s(1);
    return scheduler_.run_until(end);
}

void World::start_workload() {
    started_ = true;
    workload_started_ = scheduler_.now();
    metrics_.set_origin(workload_started_);
    facts_.workload_started(workload_started_);
    faults_->start(workload_started_);
    workload_->start();
}

void World::issue(const workload::WorkloadRequest& request) {
    metrics_.on_issued();
    const bool write = request.operation == workload::Operation::write;
    request_options_.idempotent = !write || scenario_.workload.writes_idempotent;
    const std::int64_t session = scenario_.workload.sessions > 0 ? request.key % scenario_.workload.sessions : -1;
    if (facts_.wants(checks::FactKind::request_issued))
        facts_.publish(checks::RequestIssued{request.id, request.issued_at, checks::default_client, write,
                                             request_options_.idempotent, request.key, session});
    values_.resize(write ? 2 : 1);
    auto& key = values_[0];
    key.kind = routelab::cql::Value::Kind::bytes;
    key.bytes.resize(8);
    for (int i = 0; i < 8; ++i) key.bytes[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(request.key) >> (56 - 8 * i));
    if (write) {
        // A deterministic payload derived from the request, value_bytes long.
        auto& payload = values_[1];
        payload.kind = routelab::cql::Value::Kind::bytes;
        payload.bytes.resize(static_cast<std::size_t>(scenario_.workload.value_bytes));
        for (std::size_t i = 0; i < payload.bytes.size(); ++i) payload.bytes[i] = static_cast<std::uint8_t>((request.id + i) & 0xff);
        // The first 8 bytes carry the request id, so a read tells which write it returned.
        for (std::size_t i = 0; i < 8 && i < payload.bytes.size(); ++i)
            payload.bytes[i] = static_cast<std::uint8_t>(request.id >> (56 - 8 * i));
    }
    if (scenario_.workload.sessions > 0) {
        request_options_.session_key.assign("s");
        request_options_.session_key += std::to_string(request.key % scenario_.workload.sessions);
    }
    const Ended ended{request.id, request.issued_at, request.key, write, request_options_.idempotent};
    session_->execute(write ? write_statement_ : read_statement_, values_, request_options_,
                      [this, ended](const driver::RequestResult& result) {
                          Outcome outcome = Outcome::ok;
                          if (result.outcome == driver::RequestOutcome::timeout) outcome = Outcome::timeout;
                          else if (result.outcome != driver::RequestOutcome::ok) outcome = Outcome::error;
                          metrics_.on_ended(ended.issued, scheduler_.now(), outcome);
                          publish_ended(ended, result);
                      });
}

void World::publish_ended(const Ended& request, const driver::RequestResult& result) {
    if (!facts_.wants(checks::FactKind::request_ended)) return;
    checks::RequestEnded f;
    f.request = request.id;
    f.client = checks::default_client;
    f.write = request.write;
    f.idempotent = request.idempotent;
    f.key = request.key;
    f.session = scenario_.workload.sessions > 0 ? request.key % scenario_.workload.sessions : -1;
    f.issued = request.issued;
    f.ended = scheduler_.now();
    f.error = checks::error_kind_of(result.outcome, result.error_code);
    f.attempts = result.attempts;
    f.history = result.history;
    f.plan = result.plan;
    f.cluster = result.cluster;
    f.routing = result.routing;
    if (f.ok() && result.node) {
        f.answered = result.node;
        for (std::size_t i = 0; i < f.plan.size(); ++i)
            if (f.plan[i].node == *result.node) {
                f.answered_position = static_cast<int>(i);
                break;
            }
    }
    if (facts_.wants(checks::FactKind::read_values)) f.value = request.write ? std::optional<std::uint64_t>(request.id) : read_value(result);
    facts_.publish(f);
}

void World::report(results::RunRecord& record) const {
    metrics_.report(record);
    window_recorder_->report(record);
    record.trace_hash = trace_.hash();
    record.trace_events = trace_.events();
    record.events_run = scheduler_.events_run();
    record.simulated_s = scheduler_.now().seconds();
    record.faults = faults_->applied();
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
        load.requests_coordinated = cluster_->node_state(node.index).coordinated;
        record.nodes.push_back(load);
    }
}

}  // namespace routelab::runner
