#pragma once
// The driver's entry point: discovers the cluster through a control connection to the
// contact points (system.local, system.peers, system_schema), keeps a pool per node,
// prepares statements on every node, and executes requests along the plan the
// load-balancing policy builds — one attempt at a time, moving to the next target when a
// connection cannot take or answer the request, failing with a client-side timeout when
// the deadline passes first.
//
// Each failed attempt goes to the retry policy (same target, next target, ignore or fail).
// Idempotent requests may speculate: extra executions start `delay` apart, all pulling
// targets from the request's one shared plan (reference driver-policies.md §6.3). A node
// that answers Unprepared gets the statement prepared again, then the attempt is repeated
// on it once. One pool per node (not per shard yet).
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "driver/metadata/cluster_builder.hpp"
#include "driver/policy/load_balancing.hpp"
#include "driver/policy/retry.hpp"
#include "driver/policy/speculative.hpp"
#include "driver/protocol/messages.hpp"
#include "driver/protocol/response_view.hpp"
#include "driver/session/client_routes.hpp"
#include "driver/session/connection.hpp"
#include "driver/session/control_connection.hpp"
#include "driver/session/env.hpp"
#include "driver/session/execution_profile.hpp"
#include "driver/session/request_history.hpp"
#include "sim/core/timeout_list.hpp"

namespace routelab::driver {

struct SessionConfig {
    std::vector<net::Endpoint> contact_points;
    ReconnectionPolicy reconnection;   // node pools and the control connection
    // The control connection re-reads the metadata this often besides on events (the Rust
    // driver's cluster_metadata_refresh_interval); zero: only on events.
    sim::Duration metadata_refresh_interval = sim::Duration::from_s(60);
    std::unique_ptr<LoadBalancingPolicy> policy;
    RetryPolicy retry{RetryPolicyKind::default_policy};
    std::unique_ptr<SpeculativeExecutionPolicy> speculative;   // null: never speculate
    // Client-side timestamps (monotonic over the simulation clock, µs; a value not above
    // the last one becomes last + 1), as Java 4/cpp/gocql by default. Off: the server
    // stamps writes (the Rust driver's default).
    bool client_timestamps = false;
    // Named profiles requests may select (see execution_profile.hpp); "default" is the
    // session's own configuration above and cannot be redefined.
    std::vector<ExecutionProfile> profiles;
    int connections_per_node = 1;     // nodes without shards (or before their count is known)
    int connections_per_shard = 1;    // sharded nodes: a pool per shard
    // Advanced shard awareness: open each shard's connections on the node's shard-aware
    // port from a source port p with p % shards == shard. Off with client routes unless
    // their configuration turns it on (proxies do not preserve source ports).
    bool shard_aware_port = true;
    cql::Compression compression = cql::Compression::none;
    std::uint16_t max_in_flight_per_connection = 1024;
    sim::Duration request_timeout = sim::Duration::from_ms(2000);
    // OPTIONS on connections idle this long; no answer within the timeout → defunct
    // (the Rust driver's keepalive defaults). Zero disables.
    sim::Duration heartbeat_interval = sim::Duration::from_s(30);
    sim::Duration heartbeat_timeout = sim::Duration::from_s(30);
    // TCP connect plus handshake of every connection (pools and the control connection),
    // cpp-driver's connect_timeout default. Zero: no limit.
    sim::Duration connect_timeout = sim::Duration::from_s(5);
    // Private networking: connect to nodes only through the proxies system.client_routes
    // lists for these connection ids (see client_routes.hpp). Refused together with TLS.
    std::optional<ClientRoutesConfig> client_routes;
    bool tls = false;
    // Sends each request's session key (RequestOptions::session_key) in the frame's custom
    // payload under this name, for a session-affinity proxy in front of the cluster to
    // route by (ClickHouse-style replica-aware routing). Empty: keys stay client-side.
    std::string session_key_payload;
    // Called when the driver's belief that a node is up changes (a new snapshot differs
    // from the previous one), with the node's index, its address and the new state.
    std::function<void(NodeIndex, const net::Endpoint&, bool up)> on_node_state;
};

struct PreparedStatement {
    std::string query;
    cql::Bytes id;
    cql::PreparedMetadata metadata;
    cql::RowsMetadata result_metadata;
};
using PreparedPtr = std::shared_ptr<const PreparedStatement>;

struct RequestResult {
    RequestOutcome outcome = RequestOutcome::ok;
    const cql::ResponseView* response = nullptr;  // ok or server_error (rows in place); valid during the callback
    std::int32_t error_code = 0;               // server_error
    std::optional<NodeIndex> node;             // the node that answered (or last tried)
    int attempts = 0;
    sim::Time started;
    sim::Time ended;
    std::span<const Attempt> history;          // every attempt in start order; valid during the callback
    // The plan as far as it was built (pick, then fallback only if needed), the snapshot
    // it was built over and what the policy was told; valid during the callback. For
    // observers that check routing decisions.
    std::span<const Target> plan{};
    const ClusterState* cluster = nullptr;
    const RoutingInfo* routing = nullptr;
};

using RequestCallback = sim::SmallFunction<void(const RequestResult&), 48>;

// Per-request settings beyond the statement.
// Unset fields come from the profile, then from the session.
struct RequestOptions {
    std::optional<cql::Consistency> consistency;          // default: the profile's, else LOCAL_QUORUM
    std::optional<cql::Consistency> serial_consistency;   // for LWT (SERIAL / LOCAL_SERIAL)
    bool idempotent = true;
    const ExecutionProfile* profile = nullptr;            // from Session::profile(); null: default
    // Paging: rows per page (none: the server's choice, all at once for the mock) and the
    // paging state of the page to fetch (from the previous page's result; none: the first).
    std::optional<std::int32_t> page_size;
    std::optional<cql::Bytes> paging_state;
    // The request's session (a user, a tenant): the session-affinity policy keeps a
    // session's requests on one node; see also SessionConfig::session_key_payload.
    std::string session_key;
    // The request's own location preference (Rust's per-request routing info), for a policy
    // whose preference is "inherit"; empty: the profile's, else none.
    std::string preferred_dc;
    std::string preferred_rack;
};

// Where an unprepared statement goes: without it a query has no token and is routed
// like a token-less request (no replica preference). The routing key is the partition
// key's bytes (composite keys serialised as the protocol does).
struct QueryRouting {
    std::string keyspace;
    std::string table;
    cql::Bytes routing_key;
};

class Session {
public:
    Session(Env env, SessionConfig config);
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    // Discovers the cluster and opens the pools; `done(false)` if no node could be read.
    void connect(std::function<void(bool ok)> done);
    const std::string& last_error() const { return last_error_; }
    // Closes the session as an application that shuts down or restarts does: requests in
    // flight end at once as connection_lost, every connection closes (the nodes see them
    // go) and nothing reconnects; requests started afterwards end the same way, from an
    // event. The object stays usable until destroyed, so events already scheduled for it
    // find it closed rather than gone.
    void close();
    bool closed() const { return closed_; }
    // Prepares on every connected node; `done` gets the statement or the first error.
    void prepare(const std::string& query, std::function<void(PreparedPtr, const cql::Error*)> done);
    // Executes; `done` runs exactly once, never inside this call.
    // The values are copied into a pooled request, reusing its buffers: no allocation in
    // steady state.
    void execute(const PreparedPtr& statement, std::span<const cql::Value> values, cql::Consistency consistency,
                 RequestCallback done, bool idempotent = true);
    void execute(const PreparedPtr& statement, std::span<const cql::Value> values, const RequestOptions& options,
                 RequestCallback done);
    // An unprepared statement (QUERY), with its values bound by position. Result rows come
    // with their metadata (nothing was prepared to skip it against).
    void query(const std::string& text, std::span<const cql::Value> values, const RequestOptions& options,
               RequestCallback done, const QueryRouting* routing = nullptr);
    // A BATCH of prepared statements with their values (logged or unlogged), routed by the
    // first statement's token, with one consistency and timestamp for all. A node that
    // answers Unprepared for one of them gets that statement prepared again, then the
    // batch is repeated there (once per request), as for single statements.
    struct BatchEntry {
        PreparedPtr statement;
        std::vector<cql::Value> values;
    };
    void execute_batch(std::span<const BatchEntry> entries, cql::BatchType type, const RequestOptions& options,
                       RequestCallback done);
    // A profile by name, for RequestOptions (look it up once, not per request); null if the
    // session has no such profile.
    const ExecutionProfile* profile(const std::string& name) const;
    // Connections ready with compression in effect (LZ4 negotiated).
    std::size_t compressed_connections() const;
    // The shards the node's ready connections are bound to (per SUPPORTED), in pool order.
    std::vector<unsigned> connection_shards(NodeIndex node) const;
    // Requests in flight on the connections to a target (for power-of-two-choices).
    std::uint32_t in_flight(const Target& target) const;

    // With client routes: where the session connects to a node, or why it cannot.
    RouteResolution route_of(NodeIndex node);
    std::size_t unroutable_nodes() const { return unroutable_nodes_; }
    // Full metadata reads the control connection made (route events do not cause one).
    std::size_t metadata_refreshes() const { return control_ ? control_->refreshes() : 0; }
    // Rounds in which the control connection found no endpoint answering (then it waits).
    std::size_t control_reconnect_rounds() const { return control_ ? control_->reconnect_rounds() : 0; }

    // The tables of the last metadata read (system_schema.tables), in row order.
    const std::vector<DiscoveredTable>& tables() const { return tables_; }
    bool knows_table(const std::string& keyspace, const std::string& table) const;
    const ClusterState& cluster() const { return *state_; }
    ClusterStatePtr snapshot() const { return state_; }
    const SessionMetrics& metrics() const { return metrics_; }
    std::uint64_t requests_in_flight() const { return in_flight_; }

private:
    struct Pool {
        std::vector<std::unique_ptr<Connection>> connections;
        std::size_t next = 0;
        int failed_attempts = 0;      // consecutive, for the backoff
        std::vector<std::optional<sim::EventId>> reconnects;   // by slot: a scheduled reopen
        // Per-shard pools: once the first connection's SUPPORTED gives the shard count, the
        // pool holds connections_per_shard connections per shard; `slot_shard` is the shard
        // each slot is meant for (opened through the shard-aware port when allowed).
        unsigned shards = 0;                         // 0: not known yet
        std::optional<std::uint16_t> shard_aware_port;
        bool shard_port_failed = false;              // fall back to the normal port
        std::vector<std::optional<std::uint16_t>> slot_shard;
    };
    struct Request {
        std::uint32_t generation = 0;
        bool active = false;
        PreparedPtr statement;
        ClusterStatePtr cluster;       // the snapshot the plan is built over
        enum class Kind : std::uint8_t { execute, query, batch } kind = Kind::execute;
        cql::Execute message;          // execute; its parameters are the request's for every kind
        cql::Query query;              // query
        cql::Batch batch;              // batch
        std::string session_key;       // routing.session_key views it
        std::string preferred_dc;      // routing.preferred_dc / preferred_rack view them
        std::string preferred_rack;
        cql::FrameExtras extras;       // the session key as custom payload, when configured
        bool send_extras = false;
        std::vector<PreparedPtr> batch_statements;   // batch: to re-prepare one the node forgot
        bool idempotent = true;
        LoadBalancingPolicy* policy = nullptr;        // the profile's, or the session's
        SpeculativeExecutionPolicy* speculative_policy = nullptr;
        RetryPolicy retry_policy{RetryPolicyKind::default_policy};
        std::vector<RetrySession> fiber_retries;   // one retry session per execution (fiber)
        SpeculativePlan speculative;               // read once per request
        int fibers_launched = 0;
        int fibers_running = 0;
        bool plan_exhausted = false;   // a fiber found no target: no further launches
        bool reprepared = false;       // at most one re-prepare per request
        sim::EventId speculative_timer;
        // The last error a fiber ended with while others might still succeed (ignorable
        // errors, §6.3); returned when no fiber is left and none can start.
        struct Failure {
            RequestOutcome outcome = RequestOutcome::no_host_available;
            std::int32_t error_code = 0;
            std::optional<NodeIndex> node;
        } last_failure;
        RoutingInfo routing;
        Plan plan;
        std::size_t next_target = 0;
        bool plan_complete = false;    // fallback() already appended
        int attempts = 0;
        std::vector<Attempt> history;  // capacity reused across requests
        sim::Time started;
        RequestCallback done;
    };

    // A usable connection to the node, preferring one bound to `shard`.
    Connection* connection_for(NodeIndex node, std::optional<std::uint16_t> shard = std::nullopt);
    // Grows a node's pool to one set of connections per shard once its shard count is known.
    void grow_to_shards(NodeIndex node, const Connection& first);
    std::uint16_t source_port_for(unsigned shard, unsigned shards);
    std::uint16_t next_source_port_ = 49152;
    // Opens connection `slot` of the node's pool; on failure or loss, schedules a retry.
    void open_connection(NodeIndex node, std::size_t slot, std::function<void(bool)> first_result);
    void schedule_reconnect(NodeIndex node, std::size_t slot);
    void refresh_up(NodeIndex node);
    std::uint32_t allocate();
    // Sets up a request (statement null: a QUERY, routed by `routing` if given).
    std::uint32_t start_request(const PreparedPtr& statement, std::span<const cql::Value> values, const RequestOptions& options,
                                RequestCallback done, const QueryRouting* routing = nullptr);
    void start_fiber(std::uint32_t slot);
    // Sends the fiber's next attempt: to `same` if given (a retry on the same target), else
    // to the next target of the shared plan.
    void attempt(std::uint32_t slot, std::uint8_t fiber, std::optional<Target> same = std::nullopt);
    void fiber_ended(std::uint32_t slot);
    void reprepare(std::uint32_t slot, std::size_t attempt_index, const std::string& query);
    // The statement text to prepare again for an Unprepared answer; null if unknown.
    const std::string* unprepared_query(const Request& r, const cql::Frame* frame) const;
    void on_response(std::uint32_t slot, std::uint32_t generation, std::size_t attempt_index, const cql::Frame* frame);
    void on_failed_attempt(std::uint32_t slot, std::size_t attempt_index, const AttemptError& error, const cql::Frame* frame);
    static AttemptError error_of(const cql::Frame& frame, const cql::ResponseView& view, std::uint16_t consistency);
    void finish(std::uint32_t slot, RequestResult result);
    std::optional<std::int64_t> routing_token(const PreparedStatement& statement, std::span<const cql::Value> values);

    Env env_;
    SessionConfig config_;
    ClusterStatePtr state_;
    ClusterMetadata metadata_;   // what the snapshot is built from
    void publish();
    std::vector<Pool> pools_;   // by NodeIndex
    std::vector<std::string> host_ids_;  // by NodeIndex
    std::unique_ptr<ControlConnection> control_;
    std::string last_error_;
    std::string partitioner_;
    std::vector<DiscoveredKeyspace> keyspaces_;
    std::vector<DiscoveredTable> tables_;
    void apply_discovery(const Discovery& discovery);
    // The endpoint to open a connection to `node` at: its own address, or its client route.
    std::optional<net::Endpoint> connect_endpoint(NodeIndex node);
    void on_routes_changed();
    std::optional<ClientRouteTable> routes_;
    std::vector<bool> waiting_for_route_;   // by NodeIndex: no route, pool not connecting
    std::size_t unroutable_nodes_ = 0;
    std::vector<Request> requests_;
    std::vector<std::uint32_t> free_requests_;
    std::uint64_t in_flight_ = 0;
    std::vector<std::uint8_t> key_scratch_;
    std::int64_t last_timestamp_us_ = INT64_MIN;
    bool shutting_down_ = false;   // in the destructor: connection handlers do nothing
    bool closed_ = false;          // close() was called
    sim::RngStream reconnect_rng_;
    // Request timeouts (the deadline covers every execution and retry): a FIFO per
    // duration, not a timer pushed and cancelled per request.
    sim::TimeoutList timeouts_;
    SessionMetrics metrics_;
};

}  // namespace routelab::driver
