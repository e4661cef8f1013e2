#include "driver/session/session.hpp"

#include <algorithm>

#include <cassert>

#include "driver/protocol/murmur3.hpp"

namespace routelab::driver {

Session::Session(Env env, SessionConfig config)
    : env_(env),
      config_(std::move(config)),
      reconnect_rng_(env_.rng.fork("reconnect")),
      timeouts_(env_.scheduler,
                [this](std::uint32_t slot, std::uint32_t generation) {
                    return requests_[slot].generation == generation && requests_[slot].active;
                },
                [this](std::uint32_t slot, std::uint32_t) {
                    finish(slot, RequestResult{RequestOutcome::timeout, nullptr, 0, std::nullopt, requests_[slot].attempts, {}, {}, {}});
                }) {
    state_ = std::make_shared<const ClusterState>();
}

// Builds a new immutable snapshot from the metadata and publishes it; requests in flight
// keep the snapshot their plan was built over.
void Session::publish() {
    auto built = build_cluster_state(metadata_);
    if (!built) {
        last_error_ = built.error().to_string();
        return;
    }
    ClusterStatePtr previous = std::move(state_);
    state_ = std::move(built).value();
    if (!config_.on_node_state) return;
    for (const auto& node : state_->nodes) {
        const bool was_up = node.index < previous->nodes.size() && previous->nodes[node.index].up;
        if (node.up != was_up) config_.on_node_state(node.index, node.address, node.up);
    }
}

std::size_t Session::compressed_connections() const {
    std::size_t n = 0;
    for (const auto& pool : pools_)
        for (const auto& c : pool.connections)
            if (c && c->ready() && c->compression() != cql::Compression::none) ++n;
    return n;
}

std::uint32_t Session::in_flight(const Target& target) const {
    std::uint32_t total = 0;
    if (target.node < pools_.size())
        for (const auto& c : pools_[target.node].connections)
            if (c) total += static_cast<std::uint32_t>(c->in_flight());
    return total;
}

std::vector<unsigned> Session::connection_shards(NodeIndex node) const {
    std::vector<unsigned> out;
    if (node < pools_.size())
        for (const auto& c : pools_[node].connections)
            if (c && c->ready()) out.push_back(c->scylla().sharding ? c->scylla().sharding->shard : 0U);
    return out;
}

Session::~Session() {
    // Connections fail their in-flight handlers as they go; the requests those handlers
    // name must still exist, and nothing may start again.
    shutting_down_ = true;
    pools_.clear();
    control_.reset();
}

bool Session::knows_table(const std::string& keyspace, const std::string& table) const {
    for (const auto& t : tables_)
        if (t.keyspace == keyspace && t.name == table) return true;
    return false;
}

const ExecutionProfile* Session::profile(const std::string& name) const {
    for (const auto& p : config_.profiles)
        if (p.name == name) return &p;
    return nullptr;
}

void Session::connect(std::function<void(bool ok)> done) {
    control_ = std::make_unique<ControlConnection>(env_, config_.contact_points, config_.metadata_refresh_interval,
                                                   config_.reconnection, reconnect_rng_);
    control_->set_timeouts(config_.heartbeat_interval, config_.heartbeat_timeout, config_.connect_timeout);
    if (config_.client_routes) {
        if (auto why = check_client_routes_config(*config_.client_routes, config_.tls)) {
            last_error_ = *why;
            env_.scheduler.after(sim::Duration{}, [done = std::move(done)] { done(false); });
            return;
        }
        routes_.emplace(*config_.client_routes);
        control_->use_client_routes(*config_.client_routes, [this](const auto& pairs, const auto& rows) {
            routes_->apply_update(pairs, rows);
            on_routes_changed();
        });
    }
    auto first = std::make_shared<std::function<void(bool)>>(std::move(done));
    control_->start(
        [this, first](const Discovery& discovery) {
            apply_discovery(discovery);
            if (*first) {
                // Ready once the first pool connection of every node had its chance.
                auto pending = std::make_shared<std::size_t>(0);
                auto any_ok = std::make_shared<bool>(false);
                auto report = std::move(*first);
                *first = nullptr;
                for (NodeIndex node = 0; node < pools_.size(); ++node)
                    for (std::size_t slot = 0; slot < pools_[node].connections.size(); ++slot) ++*pending;
                if (*pending == 0) return report(false);
                for (NodeIndex node = 0; node < pools_.size(); ++node)
                    for (std::size_t slot = 0; slot < pools_[node].connections.size(); ++slot)
                        open_connection(node, slot, [pending, any_ok, report](bool ok) {
                            *any_ok = *any_ok || ok;
                            if (--*pending == 0) report(*any_ok);
                        });
            }
        },
        [this, first](const std::string& why) {
            last_error_ = why;
            if (*first) {
                auto report = std::move(*first);
                *first = nullptr;
                report(false);
            }
        },
        [this](const net::Endpoint& address, bool up) {
            // An UP event: retry that node's pool now instead of waiting out the backoff.
            if (!up) return;
            for (NodeIndex node = 0; node < metadata_.nodes.size(); ++node) {
                if (metadata_.nodes[node].address != address) continue;
                pools_[node].failed_attempts = 0;
            }
        });
}

void Session::apply_discovery(const Discovery& discovery) {
    partitioner_ = discovery.partitioner;
    tables_ = discovery.tables;
    metadata_.keyspaces.clear();
    for (const auto& ks : discovery.keyspaces) metadata_.keyspaces.push_back(KeyspaceMetadata{ks.name, ks.replication});
    // Nodes keep their index for the session's lifetime (matched by host id); new ones
    // are appended in discovery order and get a pool, which connects on its own once the
    // session is up (the initial connect opens the first pools itself).
    const bool initial = pools_.empty();
    std::vector<NodeIndex> added;
    std::vector<bool> was_member;
    for (auto& node : metadata_.nodes) {
        was_member.push_back(node.member);
        node.member = false;
    }
    for (const auto& found : discovery.nodes) {
        std::size_t index = 0;
        while (index < host_ids_.size() && host_ids_[index] != found.host_id) ++index;
        if (index == host_ids_.size()) {
            NodeMetadata node;
            node.up = false;
            metadata_.nodes.push_back(node);
            host_ids_.push_back(found.host_id);
            pools_.emplace_back();
            pools_.back().connections.resize(static_cast<std::size_t>(config_.connections_per_node));
            added.push_back(static_cast<NodeIndex>(index));
        }
        NodeMetadata& node = metadata_.nodes[index];
        node.member = true;
        if (index < was_member.size() && !was_member[index]) added.push_back(static_cast<NodeIndex>(index));   // back again
        node.address = found.address;
        node.host_id = found.host_id;
        node.datacenter = found.datacenter;
        node.rack = found.rack;
        node.tokens.clear();
        for (auto token : found.tokens) node.tokens.push_back(std::to_string(token));
    }
    // Nodes that left the cluster: no tokens, no connections, never in a plan.
    for (std::size_t index = 0; index < was_member.size(); ++index) {
        NodeMetadata& node = metadata_.nodes[index];
        if (node.member) continue;
        node.tokens.clear();
        node.up = false;
        if (!was_member[index]) continue;
        for (auto& reconnect : pools_[index].reconnects)
            if (reconnect) {
                env_.scheduler.cancel(*reconnect);
                reconnect.reset();
            }
        for (auto& connection : pools_[index].connections)
            if (connection) connection->close();
    }
    waiting_for_route_.resize(pools_.size(), false);
    if (routes_ && discovery.client_routes) {
        routes_->replace_all(*discovery.client_routes);
        if (!initial) on_routes_changed();
    }
    // Where the control connection may go when its contact points are gone: the members.
    std::vector<net::Endpoint> known;
    for (NodeIndex node = 0; node < metadata_.nodes.size(); ++node)
        if (metadata_.nodes[node].member)
            if (auto endpoint = route_of(node).endpoint) known.push_back(*endpoint);
    control_->set_known_endpoints(std::move(known));
    publish();
    if (!initial)
        for (NodeIndex node : added)
            for (std::size_t slot = 0; slot < pools_[node].connections.size(); ++slot) open_connection(node, slot, nullptr);
}

RouteResolution Session::route_of(NodeIndex node) {
    if (!routes_) return RouteResolution{metadata_.nodes.at(node).address, "", ""};
    return routes_->resolve(host_ids_.at(node));
}

std::optional<net::Endpoint> Session::connect_endpoint(NodeIndex node) {
    if (!routes_) return metadata_.nodes[node].address;
    auto route = routes_->resolve(host_ids_[node]);
    if (!route.endpoint) {
        // No silent fallback to the node's own address: the node stays unconnected until a
        // route for it appears (CLIENT_ROUTES_CHANGE or the next full read).
        last_error_ = route.error;
        if (!waiting_for_route_[node]) ++unroutable_nodes_;
        waiting_for_route_[node] = true;
    }
    return route.endpoint;
}

void Session::on_routes_changed() {
    for (NodeIndex node = 0; node < pools_.size(); ++node) {
        const auto route = routes_->resolve(host_ids_[node]);
        Pool& pool = pools_[node];
        if (route.endpoint && waiting_for_route_[node]) {
            waiting_for_route_[node] = false;
            --unroutable_nodes_;
            pool.failed_attempts = 0;
            for (std::size_t slot = 0; slot < pool.connections.size(); ++slot) open_connection(node, slot, nullptr);
            continue;
        }
        // A moved or removed route: connections on the old endpoint close and the pool
        // refills at once (the backoff starts over), as the Rust driver does.
        for (std::size_t slot = 0; slot < pool.connections.size(); ++slot) {
            auto& c = pool.connections[slot];
            if (!c || (route.endpoint && c->node() == *route.endpoint)) continue;
            pool.failed_attempts = 0;
            c->close();   // a live one schedules its reopen from its close handler
            if (slot < pool.reconnects.size() && pool.reconnects[slot] && env_.scheduler.cancel(*pool.reconnects[slot])) {
                pool.reconnects[slot].reset();
                env_.scheduler.after(sim::Duration{}, [this, node, slot] { open_connection(node, slot, nullptr); });
            }
        }
    }
}

void Session::open_connection(NodeIndex node, std::size_t slot, std::function<void(bool)> first_result) {
    if (closed_) {
        if (first_result) first_result(false);
        return;
    }
    const auto endpoint = metadata_.nodes[node].member ? connect_endpoint(node) : std::nullopt;
    if (!endpoint) {
        if (first_result) first_result(false);
        return;
    }
    Pool& pool = pools_[node];
    if (pool.slot_shard.size() < pool.connections.size()) pool.slot_shard.resize(pool.connections.size());
    const std::optional<std::uint16_t> wanted_shard = pool.slot_shard[slot];
    const bool via_shard_port = wanted_shard && pool.shard_aware_port && !pool.shard_port_failed;
    net::Endpoint to = *endpoint;
    if (via_shard_port) to.port = *pool.shard_aware_port;
    auto connection = std::make_unique<Connection>(env_, to, config_.max_in_flight_per_connection, config_.compression);
    Connection* raw = connection.get();
    if (via_shard_port) raw->set_source_port(source_port_for(*wanted_shard, pool.shards));
    raw->set_heartbeat(config_.heartbeat_interval, config_.heartbeat_timeout);
    raw->set_connect_timeout(config_.connect_timeout);
    // The old connection (if any) is dead; replacing it here is safe because its close
    // handler already ran and nothing else holds it.
    pools_[node].connections[slot] = std::move(connection);
    raw->open(
        [this, node, slot, via_shard_port, raw, first_result = std::move(first_result)](bool ok) {
            if (ok) pools_[node].failed_attempts = 0;
            // The shard-aware port did not work (closed, filtered): use the normal one.
            if (!ok && via_shard_port) pools_[node].shard_port_failed = true;
            if (ok && pools_[node].shards == 0) grow_to_shards(node, *raw);
            refresh_up(node);
            if (first_result) first_result(ok);
            if (!ok) schedule_reconnect(node, slot);
        },
        [this, node, slot] {
            refresh_up(node);
            schedule_reconnect(node, slot);
        });
}

void Session::grow_to_shards(NodeIndex node, const Connection& first) {
    const auto& sharding = first.scylla().sharding;
    if (!sharding || sharding->nr_shards <= 1) return;
    Pool& pool = pools_[node];
    pool.shards = sharding->nr_shards;
    const bool advanced = config_.client_routes ? config_.client_routes->advanced_shard_awareness : config_.shard_aware_port;
    if (advanced) pool.shard_aware_port = sharding->shard_aware_port;
    // Slots for every shard, connections_per_shard each; the existing connections keep the
    // shard the node gave them and count towards it.
    std::vector<int> missing(pool.shards, config_.connections_per_shard);
    pool.slot_shard.resize(pool.connections.size());
    for (std::size_t slot = 0; slot < pool.connections.size(); ++slot) {
        const auto& c = pool.connections[slot];
        if (c && c->scylla().sharding && c->scylla().sharding->shard < pool.shards) {
            pool.slot_shard[slot] = static_cast<std::uint16_t>(c->scylla().sharding->shard);
            --missing[c->scylla().sharding->shard];
        }
    }
    std::vector<std::size_t> added;
    for (unsigned shard = 0; shard < pool.shards; ++shard)
        for (int i = 0; i < missing[shard]; ++i) {
            pool.connections.emplace_back();
            pool.slot_shard.push_back(static_cast<std::uint16_t>(shard));
            added.push_back(pool.connections.size() - 1);
        }
    // From an event: we are inside the first connection's ready handler.
    env_.scheduler.after(sim::Duration{}, [this, node, added] {
        for (std::size_t slot : added) open_connection(node, slot, nullptr);
    });
}

std::uint16_t Session::source_port_for(unsigned shard, unsigned shards) {
    // The next port of the dynamic range (49152–65535) with port % shards == shard.
    for (int tries = 0; tries < 65536; ++tries) {
        const std::uint16_t p = next_source_port_;
        next_source_port_ = p >= 65535 ? std::uint16_t{49152} : static_cast<std::uint16_t>(p + 1);
        if (p % shards == shard) return p;
    }
    return 0;
}

void Session::schedule_reconnect(NodeIndex node, std::size_t slot) {
    if (closed_ || shutting_down_) return;   // a closed session's connections stay closed
    const sim::Duration wait = config_.reconnection.delay(pools_[node].failed_attempts++, reconnect_rng_);
    // From an event: the failed connection must not be destroyed inside its own handler.
    auto& reconnects = pools_[node].reconnects;
    if (reconnects.size() <= slot) reconnects.resize(slot + 1);
    reconnects[slot] = env_.scheduler.after(wait, [this, node, slot] {
        pools_[node].reconnects[slot].reset();
        open_connection(node, slot, nullptr);
    });
}

void Session::refresh_up(NodeIndex node) {
    // A node is believed up while any of its connections is usable; its shard count is
    // what its SUPPORTED said.
    bool any = false;
    std::uint16_t shards = 0;
    std::uint8_t ignore_msb = 0;
    for (const auto& c : pools_[node].connections) {
        if (!c || !c->ready()) continue;
        any = true;
        if (const auto& sharding = c->scylla().sharding) {
            shards = static_cast<std::uint16_t>(sharding->nr_shards);
            ignore_msb = static_cast<std::uint8_t>(sharding->ignore_msb);
        }
    }
    NodeMetadata& meta = metadata_.nodes[node];
    const bool changed = meta.up != any || (any && (meta.shard_count != shards || meta.sharding_ignore_msb != ignore_msb));
    meta.up = any;
    if (any) {
        meta.shard_count = shards;
        meta.sharding_ignore_msb = ignore_msb;
    }
    if (changed) publish();
}

void Session::prepare(const std::string& query, std::function<void(PreparedPtr, const cql::Error*)> done) {
    struct Progress {
        std::size_t pending = 0;
        std::shared_ptr<PreparedStatement> statement;
        std::optional<cql::Error> error;
        std::function<void(PreparedPtr, const cql::Error*)> done;
    };
    auto progress = std::make_shared<Progress>();
    progress->done = std::move(done);
    progress->statement = std::make_shared<PreparedStatement>();
    progress->statement->query = query;
    auto finish_one = [progress] {
        if (--progress->pending != 0) return;
        if (progress->statement->id.empty()) {
            if (!progress->error) progress->error = cql::Error{cql::error_codes::server_error, "no node could prepare the statement", {}};
            progress->done(nullptr, &*progress->error);
        } else {
            progress->done(progress->statement, nullptr);
        }
    };
    std::vector<Connection*> targets;
    for (NodeIndex node = 0; node < pools_.size(); ++node)
        if (Connection* c = connection_for(node)) targets.push_back(c);
    progress->pending = targets.size() + 1;  // +1 released below, so an empty set still completes
    for (Connection* c : targets) {
        const bool sent = c->send(cql::Prepare{query}, [progress, finish_one](const cql::Frame* frame) {
            const auto decoded = decode_full(frame);
            if (const cql::Response* response = decoded ? &*decoded : nullptr) {
                if (const auto* result = std::get_if<cql::Result>(response)) {
                    if (const auto* prepared = std::get_if<cql::PreparedResult>(result)) {
                        progress->statement->id = prepared->id;
                        progress->statement->metadata = prepared->metadata;
                        progress->statement->result_metadata = prepared->result_metadata;
                    }
                } else if (const auto* error = std::get_if<cql::Error>(response)) {
                    if (!progress->error) progress->error = *error;
                }
            }
            finish_one();
        });
        if (!sent) finish_one();
    }
    env_.scheduler.after(sim::Duration{}, finish_one);
}

Connection* Session::connection_for(NodeIndex node, std::optional<std::uint16_t> shard) {
    Pool& pool = pools_[node];
    const std::size_t n = pool.connections.size();
    if (shard) {
        // The shard's own connection first (its requests then skip the cross-shard hop).
        for (std::size_t i = 0; i < n; ++i) {
            Connection* c = pool.connections[(pool.next + i) % n].get();
            if (c != nullptr && c->ready() && c->in_flight() < config_.max_in_flight_per_connection && c->scylla().sharding &&
                c->scylla().sharding->shard == *shard)
                return c;
        }
    }
    for (std::size_t i = 0; i < n; ++i) {
        Connection* c = pool.connections[(pool.next + i) % n].get();
        if (c != nullptr && c->ready() && c->in_flight() < config_.max_in_flight_per_connection) {
            pool.next = (pool.next + i + 1) % n;
            return c;
        }
    }
    return nullptr;
}

std::optional<std::int64_t> Session::routing_token(const PreparedStatement& statement, std::span<const cql::Value> values) {
    const auto& pk = statement.metadata.pk_indexes;
    if (pk.empty()) return std::nullopt;
    for (auto index : pk)
        if (index >= values.size() || values[index].kind != cql::Value::Kind::bytes) return std::nullopt;
    if (pk.size() == 1) return cql::murmur3_token(values[pk[0]].bytes);
    std::vector<std::span<const std::uint8_t>> parts;
    for (auto index : pk) parts.emplace_back(values[index].bytes);
    cql::composite_partition_key(parts, key_scratch_);
    return cql::murmur3_token(key_scratch_);
}

std::uint32_t Session::allocate() {
    std::uint32_t slot;
    if (!free_requests_.empty()) {
        slot = free_requests_.back();
        free_requests_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(requests_.size());
        requests_.emplace_back();
    }
    Request& r = requests_[slot];
    ++r.generation;
    r.active = true;
    r.plan.clear();
    r.next_target = 0;
    r.plan_complete = false;
    r.attempts = 0;
    r.history.clear();
    ++in_flight_;
    return slot;
}

void Session::execute(const PreparedPtr& statement, std::span<const cql::Value> values, cql::Consistency consistency,
                      RequestCallback done, bool idempotent) {
    RequestOptions options;
    options.consistency = consistency;
    options.idempotent = idempotent;
    execute(statement, values, options, std::move(done));
}

void Session::execute(const PreparedPtr& statement, std::span<const cql::Value> values, const RequestOptions& options,
                      RequestCallback done) {
    start_request(statement, values, options, std::move(done));
}

void Session::query(const std::string& text, std::span<const cql::Value> values, const RequestOptions& options,
                    RequestCallback done, const QueryRouting* routing) {
    const std::uint32_t slot = start_request(nullptr, values, options, std::move(done), routing);
    Request& r = requests_[slot];
    r.kind = Request::Kind::query;
    r.query.query = text;
}

void Session::execute_batch(std::span<const BatchEntry> entries, cql::BatchType type, const RequestOptions& options,
                            RequestCallback done) {
    if (entries.empty()) {
        // Nothing to send: ends at once (from an event, like every request).
        auto callback = std::make_shared<RequestCallback>(std::move(done));
        env_.scheduler.after(sim::Duration{}, [callback, this] {
            RequestResult result;
            result.outcome = RequestOutcome::ok;
            result.started = result.ended = env_.scheduler.now();
            (*callback)(result);
        });
        return;
    }
    const std::uint32_t slot = start_request(entries.front().statement, entries.front().values, options, std::move(done));
    // The request is set up for the first statement; it goes out as a BATCH instead (its
    // first attempt starts from a later event).
    Request& r = requests_[slot];
    r.kind = Request::Kind::batch;
    r.batch.type = type;
    r.batch.consistency = r.message.parameters.consistency;
    r.batch.serial_consistency = r.message.parameters.serial_consistency;
    r.batch.default_timestamp_us = r.message.parameters.default_timestamp_us;
    r.batch.statements.resize(entries.size());
    r.batch_statements.clear();
    for (std::size_t i = 0; i < entries.size(); ++i) {
        r.batch_statements.push_back(entries[i].statement);
        auto& s = r.batch.statements[i];
        s.query_or_id = cql::Bytes(entries[i].statement->id.begin(), entries[i].statement->id.end());
        s.values = entries[i].values;
        s.value_names.clear();
        // A batch is an LWT if any of its statements is (it then routes in ring order).
        r.routing.is_lwt = r.routing.is_lwt || entries[i].statement->metadata.lwt;
    }
}

std::uint32_t Session::start_request(const PreparedPtr& statement, std::span<const cql::Value> values, const RequestOptions& options,
                                     RequestCallback done, const QueryRouting* routing) {
    const std::uint32_t slot = allocate();
    Request& r = requests_[slot];
    r.kind = Request::Kind::execute;
    r.statement = statement;
    r.cluster = state_;
    r.idempotent = options.idempotent;
    const ExecutionProfile* profile = options.profile;
    r.policy = profile && profile->policy ? profile->policy.get() : config_.policy.get();
    r.speculative_policy = profile && profile->speculative ? profile->speculative.get() : config_.speculative.get();
    r.retry_policy = profile && profile->retry ? *profile->retry : config_.retry;
    const cql::Consistency consistency = options.consistency                         ? *options.consistency
                                         : profile && profile->consistency ? *profile->consistency
                                                                           : cql::Consistency::local_quorum;
    const std::optional<cql::Consistency> serial =
        options.serial_consistency ? options.serial_consistency : profile ? profile->serial_consistency : std::nullopt;
    const sim::Duration timeout = profile && profile->request_timeout ? *profile->request_timeout : config_.request_timeout;
    r.fiber_retries.clear();
    r.speculative = r.speculative_policy ? r.speculative_policy->plan(options.idempotent) : SpeculativePlan{};
    r.fibers_launched = 0;
    r.fibers_running = 0;
    r.plan_exhausted = false;
    r.reprepared = false;
    r.last_failure = Request::Failure{};
    r.routing = RoutingInfo{};
    if (statement) r.routing.token = routing_token(*statement, values);
    else if (routing != nullptr && !routing->routing_key.empty()) r.routing.token = cql::murmur3_token(routing->routing_key);
    r.routing.consistency = static_cast<std::uint16_t>(consistency);
    r.routing.serial_consistency = serial ? std::optional<std::uint16_t>(static_cast<std::uint16_t>(*serial)) : std::nullopt;
    r.routing.is_lwt = statement && statement->metadata.lwt;
    r.session_key.assign(options.session_key);
    r.routing.session_key = r.session_key;
    const bool own_location = !options.preferred_dc.empty();
    r.preferred_dc.assign(own_location ? options.preferred_dc : profile ? profile->preferred_dc : std::string_view{});
    r.preferred_rack.assign(own_location ? options.preferred_rack : profile ? profile->preferred_rack : std::string_view{});
    r.routing.preferred_dc = r.preferred_dc;
    r.routing.preferred_rack = r.preferred_rack;
    r.send_extras = !config_.session_key_payload.empty() && !r.session_key.empty();
    if (r.send_extras) {
        if (!r.extras.custom_payload) r.extras.custom_payload.emplace();
        auto& entry = (*r.extras.custom_payload)[config_.session_key_payload];
        if (!entry) entry.emplace();
        entry->assign(r.session_key.begin(), r.session_key.end());
    }
    r.routing.now = env_.scheduler.now();
    if (statement) {
        // The statement's table, from its bind markers (or its result columns).
        const auto& columns = !statement->metadata.columns.empty() ? statement->metadata.columns : statement->result_metadata.columns;
        if (!columns.empty()) {
            r.routing.keyspace = columns.front().keyspace;
            r.routing.table = columns.front().table;
        }
        r.message.id.assign(statement->id.begin(), statement->id.end());
    } else if (routing != nullptr) {
        r.routing.keyspace = routing->keyspace;
        r.routing.table = routing->table;
    }
    r.message.parameters.consistency = consistency;
    r.message.parameters.serial_consistency = serial;
    r.message.parameters.default_timestamp_us.reset();
    if (config_.client_timestamps) {
        const std::int64_t now_us = env_.scheduler.now().ns() / 1000;
        last_timestamp_us_ = now_us > last_timestamp_us_ ? now_us : last_timestamp_us_ + 1;
        r.message.parameters.default_timestamp_us = last_timestamp_us_;
    }
    auto& bound = r.message.parameters.values;
    bound.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
        bound[i].kind = values[i].kind;
        bound[i].bytes.assign(values[i].bytes.begin(), values[i].bytes.end());
    }
    // Prepared statements' rows are decoded against the prepared result metadata.
    r.message.parameters.skip_metadata = statement != nullptr;
    r.message.parameters.page_size = options.page_size;
    if (options.paging_state) r.message.parameters.paging_state = options.paging_state;
    else r.message.parameters.paging_state.reset();
    r.started = env_.scheduler.now();
    r.done = std::move(done);
    const std::uint32_t generation = r.generation;
    env_.trace.record(r.started, sim::TraceKind::request_start, slot, static_cast<std::uint64_t>(r.routing.token.value_or(0)));
    if (closed_) {
        // A closed session sends nothing: the request ends from an event, like every request.
        env_.scheduler.after(sim::Duration{}, [this, slot, generation] {
            if (requests_[slot].generation == generation && requests_[slot].active)
                finish(slot, RequestResult{RequestOutcome::connection_lost, nullptr, 0, std::nullopt, 0, {}, {}, {}});
        });
        return slot;
    }
    // The timeout covers every execution and retry together.
    timeouts_.add(timeout, slot, generation);
    // The first execution starts from an event so `done` never runs inside execute().
    env_.scheduler.after(sim::Duration{}, [this, slot, generation] {
        if (requests_[slot].generation == generation && requests_[slot].active) start_fiber(slot);
    });
    return slot;
}

void Session::start_fiber(std::uint32_t slot) {
    Request& r = requests_[slot];
    const auto fiber = static_cast<std::uint8_t>(r.fibers_launched++);
    ++r.fibers_running;
    r.fiber_retries.push_back(r.retry_policy.new_session());
    if (fiber > 0) metrics_.count_speculative();
    const std::uint32_t generation = r.generation;
    attempt(slot, fiber);
    Request& after = requests_[slot];
    if (after.generation != generation || !after.active) return;
    // The next launch, while the budget lasts and the plan has targets left.
    if (after.fibers_launched <= after.speculative.extra_executions_max && !after.plan_exhausted) {
        after.speculative_timer = env_.scheduler.after(after.speculative.delay, [this, slot, generation] {
            Request& q = requests_[slot];
            if (q.generation != generation || !q.active) return;
            q.speculative_timer = {};
            if (!q.plan_exhausted) start_fiber(slot);
            else if (q.fibers_running == 0) fiber_ended(slot);
        });
    }
}

namespace {
// Sends the request's message of its kind; the QUERY takes the shared parameters (which a
// retry may have changed) each time.
template <typename Request>
bool send(Connection& connection, Request& r, ResponseHandler handler) {
    const cql::FrameExtras* extras = r.send_extras ? &r.extras : nullptr;
    switch (r.kind) {
        case Request::Kind::execute: return connection.send(r.message, std::move(handler), extras);
        case Request::Kind::query:
            r.query.parameters = r.message.parameters;
            return connection.send(r.query, std::move(handler), extras);
        case Request::Kind::batch: return connection.send(r.batch, std::move(handler), extras);
    }
    return false;
}
}  // namespace

void Session::attempt(std::uint32_t slot, std::uint8_t fiber, std::optional<Target> same) {
    Request& r = requests_[slot];
    for (;;) {
        Target target;
        if (same) {
            target = *same;
            same.reset();   // if its connection is gone, move on along the plan
        } else {
            if (r.next_target == r.plan.size()) {
                if (r.plan.empty() && !r.plan_complete) {
                    if (auto first = r.policy->pick(r.routing, *r.cluster)) r.plan.push_back(*first);
                    else r.plan_complete = true;
                } else if (!r.plan_complete) {
                    r.plan_complete = true;
                    r.policy->fallback(r.routing, *r.cluster, r.plan);
                }
                if (r.next_target == r.plan.size()) {
                    r.plan_exhausted = true;
                    return fiber_ended(slot);
                }
            }
            target = r.plan[r.next_target++];
        }
        Connection* connection = connection_for(target.node, target.shard);
        if (connection == nullptr) continue;
        const std::uint32_t generation = r.generation;
        const std::size_t attempt_index = r.history.size();
        auto on_frame = [this, slot, generation, attempt_index](const cql::Frame* frame) {
            on_response(slot, generation, attempt_index, frame);
        };
        if (send(*connection, r, std::move(on_frame))) {
            ++r.attempts;
            metrics_.count_attempt();
            Attempt a;
            a.node = target.node;
            a.shard = target.shard;
            a.start = a.end = env_.scheduler.now();
            a.fiber = fiber;
            // The first attempt of an extra execution is the speculative one; its retries are retries.
            a.speculative = fiber > 0 && std::none_of(r.history.begin(), r.history.end(),
                                                      [fiber](const Attempt& h) { return h.fiber == fiber; });
            r.history.push_back(a);
            env_.trace.record(env_.scheduler.now(), sim::TraceKind::attempt_start, slot, target.node);
            return;
        }
    }
}

// A fiber stopped without a result that ends the request. The request ends when no fiber
// runs and none can start: with the last remembered failure, or "no host" if none.
void Session::fiber_ended(std::uint32_t slot) {
    Request& r = requests_[slot];
    if (r.fibers_running > 0) --r.fibers_running;
    if (r.fibers_running > 0) return;
    const bool can_launch = !r.plan_exhausted && r.fibers_launched <= r.speculative.extra_executions_max &&
                            r.speculative_timer.valid();
    if (can_launch) return;   // the timer starts the next execution
    // The frame of that failure is gone: its code is reported without the response view.
    const auto failure = r.last_failure;
    finish(slot, RequestResult{failure.outcome, nullptr, failure.error_code, failure.node, r.attempts, {}, {}, {}});
}

void Session::on_response(std::uint32_t slot, std::uint32_t generation, std::size_t attempt_index, const cql::Frame* frame) {
    if (shutting_down_) return;
    Request& r = requests_[slot];
    if (r.generation != generation || !r.active) return;  // the request ended already
    Attempt& a = r.history[attempt_index];
    a.end = env_.scheduler.now();
    const NodeIndex node = a.node;
    const sim::Duration latency = a.end - a.start;
    env_.trace.record(a.end, sim::TraceKind::attempt_end, slot, node);
    // The hot path decodes a view (no allocation); error details stay undecoded.
    std::optional<cql::Decoded<cql::ResponseView>> view;
    if (frame != nullptr) view.emplace(cql::decode_response_view(*frame));
    if (frame == nullptr || !view->ok()) {
        a.outcome = AttemptOutcome::connection_lost;
        AttemptError error;
        error.kind = AttemptErrorKind::broken_connection;
        error.consistency = r.routing.consistency;
        // The connection died under the request (or answered garbage, which closes it):
        // it may or may not have run; the retry policy decides by idempotence.
        return on_failed_attempt(slot, attempt_index, error, nullptr);
    }
    const cql::ResponseView& response = view->value();
    if (response.kind == cql::ResponseView::Kind::error) {
        a.outcome = AttemptOutcome::server_error;
        a.error_code = response.error_code;
        return on_failed_attempt(slot, attempt_index, error_of(*frame, response, r.routing.consistency), frame);
    }
    a.outcome = AttemptOutcome::ok;
    r.policy->on_request_success(r.routing, latency, Target{node, a.shard}, a.end);
    if (r.speculative_policy) r.speculative_policy->on_attempt_success(latency);
    finish(slot, RequestResult{RequestOutcome::ok, &response, 0, node, r.attempts, {}, {}, {}});
}

namespace {
WriteType write_type_from(const std::string& name) {
    if (name == "BATCH") return WriteType::batch;
    if (name == "UNLOGGED_BATCH") return WriteType::unlogged_batch;
    if (name == "COUNTER") return WriteType::counter;
    if (name == "BATCH_LOG") return WriteType::batch_log;
    if (name == "CAS") return WriteType::cas;
    if (name == "VIEW") return WriteType::view;
    if (name == "CDC") return WriteType::cdc;
    return WriteType::simple;
}
}  // namespace

// The error an attempt failed with, with the fields retry decisions read (decoded in
// full: the error path may allocate).
AttemptError Session::error_of(const cql::Frame& frame, const cql::ResponseView& view, std::uint16_t consistency) {
    AttemptError error = attempt_error_from_code(view.error_code);
    error.consistency = consistency;
    const auto decoded = decode_full(&frame);
    const auto* e = decoded ? std::get_if<cql::Error>(&*decoded) : nullptr;
    if (e == nullptr) return error;
    if (const auto* d = std::get_if<cql::error_detail::Unavailable>(&e->detail)) {
        error.consistency = static_cast<std::uint16_t>(d->consistency);
        error.received = d->alive;
        error.block_for = d->required;
    } else if (const auto* rt = std::get_if<cql::error_detail::ReadTimeout>(&e->detail)) {
        error.consistency = static_cast<std::uint16_t>(rt->consistency);
        error.received = rt->received;
        error.block_for = rt->block_for;
        error.data_present = rt->data_present;
    } else if (const auto* wt = std::get_if<cql::error_detail::WriteTimeout>(&e->detail)) {
        error.consistency = static_cast<std::uint16_t>(wt->consistency);
        error.received = wt->received;
        error.block_for = wt->block_for;
        error.write_type = write_type_from(wt->write_type);
    }
    return error;
}

namespace {
// Errors another execution might not get (§6.3): with speculative execution they end only
// their own fiber; the request waits for the others.
bool ignorable_while_speculating(AttemptErrorKind kind) {
    switch (kind) {
        case AttemptErrorKind::broken_connection:
        case AttemptErrorKind::no_stream_id:
        case AttemptErrorKind::connection_unavailable:
        case AttemptErrorKind::unavailable:
        case AttemptErrorKind::overloaded:
        case AttemptErrorKind::is_bootstrapping:
        case AttemptErrorKind::read_timeout:
        case AttemptErrorKind::write_timeout:
        case AttemptErrorKind::read_failure:
        case AttemptErrorKind::write_failure:
        case AttemptErrorKind::unprepared:
        case AttemptErrorKind::server_error:
        case AttemptErrorKind::rate_limit_reached: return true;
        default: return false;
    }
}
}  // namespace

void Session::on_failed_attempt(std::uint32_t slot, std::size_t attempt_index, const AttemptError& error, const cql::Frame* frame) {
    Request& r = requests_[slot];
    Attempt& a = r.history[attempt_index];
    const Target target{a.node, a.shard};
    if (error.kind == AttemptErrorKind::unprepared && !r.reprepared)
        if (const std::string* query = unprepared_query(r, frame)) return reprepare(slot, attempt_index, *query);
    r.policy->on_request_error(r.routing, a.end - a.start, target, a.end, error);
    // If the plan runs out after this, the request ends with this error, as in the Rust
    // driver (last error, else "no host").
    const RequestOutcome failed_as =
        error.kind == AttemptErrorKind::broken_connection ? RequestOutcome::connection_lost : RequestOutcome::server_error;
    r.last_failure = Request::Failure{failed_as, failed_as == RequestOutcome::server_error ? a.error_code : 0, a.node};
    const RetryDecision decision =
        r.fiber_retries[a.fiber].decide(error, static_cast<std::uint16_t>(r.message.parameters.consistency), r.idempotent);
    a.retry = decision.action;
    if (decision.consistency) {
        r.message.parameters.consistency = static_cast<cql::Consistency>(*decision.consistency);
        r.batch.consistency = r.message.parameters.consistency;
    }
    switch (decision.action) {
        case RetryAction::retry_same_target: return attempt(slot, a.fiber, target);
        case RetryAction::retry_next_target: return attempt(slot, a.fiber);
        case RetryAction::ignore:
            return finish(slot, RequestResult{RequestOutcome::ok, nullptr, 0, a.node, r.attempts, {}, {}, {}});
        case RetryAction::rethrow: break;
    }
    if (r.speculative.extra_executions_max > 0 && ignorable_while_speculating(error.kind)) return fiber_ended(slot);
    if (failed_as == RequestOutcome::connection_lost)
        return finish(slot, RequestResult{RequestOutcome::connection_lost, nullptr, 0, a.node, r.attempts, {}, {}, {}});
    std::optional<cql::Decoded<cql::ResponseView>> view;
    if (frame != nullptr) view.emplace(cql::decode_response_view(*frame));
    const cql::ResponseView* response = view && view->ok() ? &view->value() : nullptr;
    finish(slot, RequestResult{RequestOutcome::server_error, response, a.error_code, a.node, r.attempts, {}, {}, {}});
}

// The node forgot the statement (restarted, or its table was re-created): prepare it there
// again and repeat the attempt on the same node, once per request; the retry policy is
// not consulted (drivers do this below the retry layer).
const std::string* Session::unprepared_query(const Request& r, const cql::Frame* frame) const {
    switch (r.kind) {
        case Request::Kind::execute: return r.statement ? &r.statement->query : nullptr;
        case Request::Kind::query: return nullptr;
        case Request::Kind::batch: break;
    }
    // A batch: the statement whose id the error names.
    const auto decoded = decode_full(frame);
    const auto* error = decoded ? std::get_if<cql::Error>(&*decoded) : nullptr;
    const auto* unprepared = error ? std::get_if<cql::error_detail::Unprepared>(&error->detail) : nullptr;
    if (unprepared == nullptr) return nullptr;
    for (const auto& statement : r.batch_statements)
        if (statement->id == unprepared->id) return &statement->query;
    return nullptr;
}

void Session::reprepare(std::uint32_t slot, std::size_t attempt_index, const std::string& query) {
    Request& r = requests_[slot];
    r.reprepared = true;
    Attempt& a = r.history[attempt_index];
    a.reprepared = true;
    metrics_.count_reprepare();
    const Target target{a.node, a.shard};
    const std::uint8_t fiber = a.fiber;
    const std::uint32_t generation = r.generation;
    Connection* connection = connection_for(target.node);
    auto give_up = [this, slot, attempt_index] {
        Request& q = requests_[slot];
        const Attempt& failed = q.history[attempt_index];
        finish(slot, RequestResult{RequestOutcome::server_error, nullptr, failed.error_code, failed.node, q.attempts, {}, {}, {}});
    };
    if (connection == nullptr) return give_up();
    const bool sent = connection->send(cql::Prepare{query}, [this, slot, generation, fiber, target,
                                                                          attempt_index](const cql::Frame* frame) {
        if (shutting_down_) return;
        Request& q = requests_[slot];
        if (q.generation != generation || !q.active) return;
        const auto decoded = decode_full(frame);
        const cql::Result* result = decoded ? std::get_if<cql::Result>(&*decoded) : nullptr;
        if (result == nullptr || !std::holds_alternative<cql::PreparedResult>(*result)) {
            const Attempt& failed = q.history[attempt_index];
            return finish(slot, RequestResult{RequestOutcome::server_error, nullptr, failed.error_code, failed.node, q.attempts, {}, {}, {}});
        }
        attempt(slot, fiber, target);
    });
    if (!sent) give_up();
}

void Session::finish(std::uint32_t slot, RequestResult result) {
    Request& r = requests_[slot];
    assert(r.active);
    r.active = false;
    if (r.speculative_timer.valid()) env_.scheduler.cancel(r.speculative_timer);
    r.speculative_timer = {};
    env_.trace.record(env_.scheduler.now(), sim::TraceKind::request_end, slot, static_cast<std::uint64_t>(result.outcome));
    result.started = r.started;
    result.ended = env_.scheduler.now();
    result.history = r.history;
    result.plan = r.plan;
    result.routing = &r.routing;
    metrics_.record(result.outcome, result.ended - result.started, result.node);
    RequestCallback done = std::move(r.done);
    r.statement.reset();
    r.batch_statements.clear();
    const ClusterStatePtr snapshot = std::move(r.cluster);   // kept alive through the callback
    result.cluster = snapshot.get();
    // The slot is released after the callback so `history` stays valid during it; a
    // request started from inside the callback takes another slot.
    done(result);
    free_requests_.push_back(slot);
    --in_flight_;
}

}  // namespace routelab::driver
