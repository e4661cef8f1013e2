#include "driver/session/control_connection.hpp"

namespace routelab::driver {

namespace {
constexpr std::uint16_t max_in_flight = 64;
}

ControlConnection::ControlConnection(Env& env, std::vector<net::Endpoint> contact_points, sim::Duration refresh_interval,
                                     ReconnectionPolicy reconnection, sim::RngStream& rng)
    : env_(env), contact_points_(std::move(contact_points)), refresh_interval_(refresh_interval),
      reconnection_(reconnection), rng_(rng) {}

ControlConnection::~ControlConnection() {
    if (refresh_timer_.valid()) env_.scheduler.cancel(refresh_timer_);
    // The connection fails its pending requests as it goes, and their handlers write to this
    // object's members: close it while they are all still alive (members declared after it
    // would otherwise be destroyed first), and let the handlers see that nothing follows.
    closing_ = true;
    connection_.reset();
}

void ControlConnection::use_client_routes(ClientRoutesConfig config, RoutesHandler on_routes) {
    client_routes_ = std::move(config);
    on_routes_ = std::move(on_routes);
}

void ControlConnection::start(DiscoveryHandler on_discovered, FailureHandler on_failed, StatusHandler on_status) {
    on_discovered_ = std::move(on_discovered);
    on_failed_ = std::move(on_failed);
    on_status_ = std::move(on_status);
    connect_next();
}

void ControlConnection::connect_next() {
    if (next_contact_ >= contact_points_.size() + known_.size()) {
        next_contact_ = 0;
        if (!was_up_) {
            if (auto handler = on_failed_) handler(last_error_.empty() ? "no contact point could be reached" : last_error_);
            return;
        }
        // Every endpoint failed: start over after the backoff.
        ++reconnect_rounds_;
        std::weak_ptr<bool> alive = alive_;
        env_.scheduler.after(reconnection_.delay(failed_rounds_++, rng_), [this, alive] {
            if (!alive.expired()) connect_next();
        });
        return;
    }
    const net::Endpoint target = next_contact_ < contact_points_.size() ? contact_points_[next_contact_]
                                                                        : known_[next_contact_ - contact_points_.size()];
    ++next_contact_;
    connection_ = std::make_unique<Connection>(env_, target, max_in_flight);
    // A control node that stops answering is found as a pool's is: by heartbeats.
    connection_->set_heartbeat(heartbeat_interval_, heartbeat_timeout_);
    connection_->set_connect_timeout(connect_timeout_);
    connection_->on_event([this](const cql::Event& event) { on_event(event); });
    std::weak_ptr<bool> alive = alive_;
    connection_->open(
        [this, alive, target](bool ok) {
            if (alive.expired()) return;
            if (!ok) {
                last_error_ = "could not connect to " + target.to_string();
                // From an event: this connection object must not die inside its own handler.
                env_.scheduler.after(sim::Duration{}, [this, alive] {
                    if (!alive.expired()) connect_next();
                });
                return;
            }
            cql::Register events{{cql::event_types::topology_change, cql::event_types::status_change,
                                  cql::event_types::schema_change}};
            was_up_ = true;
            failed_rounds_ = 0;
            next_contact_ = 0;   // the next failure starts from the first contact point again
            // Only when configured: servers without client routes refuse the event type.
            if (client_routes_) events.event_types.push_back(cql::event_types::client_routes_change);
            connection_->send(events, [](const cql::Frame*) {});
            read_metadata();
        },
        [this, alive] {
            if (alive.expired()) return;
            // The control node went away: move to the next contact point.
            env_.scheduler.after(sim::Duration{}, [this, alive] {
                if (!alive.expired()) connect_next();
            });
        });
}

// The next periodic read, `refresh_interval_` after the last one (of any cause).
void ControlConnection::arm_refresh() {
    if (refresh_interval_ <= sim::Duration{}) return;
    if (refresh_timer_.valid()) env_.scheduler.cancel(refresh_timer_);
    refresh_timer_ = env_.scheduler.after(refresh_interval_, [this] {
        refresh_timer_ = {};
        refresh();
    });
}

void ControlConnection::refresh() {
    if (connection_ == nullptr || !connection_->ready()) return;
    if (reading_) {
        refresh_again_ = true;
        return;
    }
    read_metadata();
}

void ControlConnection::read_metadata() {
    struct Read {
        Discovery discovery;
        std::string error;
        int pending = 0;
        std::function<void()> done;
    };
    reading_ = true;
    auto read = std::make_shared<Read>();
    const std::uint16_t port = connection_->node().port;
    // Holds only a weak reference to itself through `this`: no cycle keeps `read` alive.
    read->done = [this, weak = std::weak_ptr<Read>(read)] {
        auto self = weak.lock();
        if (!self || closing_ || --self->pending != 0) return;
        reading_ = false;
        ++refreshes_;
        if (!self->error.empty()) {
            last_error_ = self->error;
            if (connection_) connection_->close();
            return;
        }
        if (on_discovered_) on_discovered_(self->discovery);
        arm_refresh();
        if (refresh_again_) {
            refresh_again_ = false;
            refresh();
        }
    };
    using Reader = std::optional<std::string> (*)(const cql::RowsResult&, std::uint16_t, Discovery&);
    read->pending = client_routes_ ? 5 : 4;
    // `what` names the table in error messages (a static string: the handler stays small).
    auto query = [this, read, port](const cql::Query& q, const char* what, Reader reader) {
        const char* text = what;
        const bool sent = connection_->send(q, [read, port, reader, text](const cql::Frame* frame) {
            const auto decoded = decode_full(frame);
            const cql::Response* response = decoded ? &*decoded : nullptr;
            const cql::RowsResult* rows = nullptr;
            if (response != nullptr)
                if (const auto* result = std::get_if<cql::Result>(response)) rows = std::get_if<cql::RowsResult>(result);
            if (rows == nullptr) {
                if (read->error.empty()) {
                    std::string why = "no answer";
                    if (response != nullptr)
                        if (const auto* error = std::get_if<cql::Error>(response)) why = error->message;
                    read->error = std::string(text) + ": " + why;
                }
            } else if (auto why = reader(*rows, port, read->discovery); why && read->error.empty()) {
                read->error = *why;
            }
            read->done();
        });
        if (!sent) {
            read->error = "the control connection could not send";
            read->done();
        }
    };
    auto plain = [](const char* text) {
        cql::Query q;
        q.query = text;
        q.parameters.consistency = cql::Consistency::one;
        return q;
    };
    query(plain("SELECT * FROM system.local WHERE key='local'"), "system.local", &read_local);
    query(plain("SELECT * FROM system.peers"), "system.peers", &read_peers);
    query(plain("SELECT * FROM system_schema.keyspaces"), "system_schema.keyspaces",
          [](const cql::RowsResult& rows, std::uint16_t, Discovery& d) { return read_keyspaces(rows, d); });
    // Table names too (the drivers' schema metadata; SCHEMA_CHANGE events re-read them).
    query(plain("SELECT keyspace_name, table_name FROM system_schema.tables"), "system_schema.tables",
          [](const cql::RowsResult& rows, std::uint16_t, Discovery& d) { return read_tables(rows, d); });
    if (client_routes_)
        query(client_routes_query(*client_routes_), "system.client_routes", [](const cql::RowsResult& rows, std::uint16_t, Discovery& d) {
            std::size_t skipped = 0;
            d.client_routes.emplace();
            return read_client_routes(rows, *d.client_routes, skipped);
        });
}

void ControlConnection::on_event(const cql::Event& event) {
    if (const auto* status = std::get_if<cql::StatusChange>(&event.change)) {
        const auto& a = status->node.address;
        if (a.size == 4 && on_status_)
            on_status_(net::Endpoint{net::ipv4(a.bytes[0], a.bytes[1], a.bytes[2], a.bytes[3]),
                                     static_cast<std::uint16_t>(status->node.port)},
                       status->change == "UP");
        return;
    }
    if (const auto* routes = std::get_if<cql::ClientRoutesChange>(&event.change)) return reread_routes(*routes);
    // Topology and schema changes: read the metadata again (coalesced while a read runs).
    refresh();
}

void ControlConnection::reread_routes(const cql::ClientRoutesChange& change) {
    if (!client_routes_ || connection_ == nullptr || !connection_->ready()) return;
    auto pairs = relevant_pairs(*client_routes_, change);
    auto query = client_routes_update_query(*client_routes_, pairs);
    if (!query) return;   // none of ours (or a malformed host id: the next full read settles it)
    std::weak_ptr<bool> alive = alive_;
    const bool sent = connection_->send(*query, [this, alive, pairs = std::move(pairs)](const cql::Frame* frame) {
        if (alive.expired() || closing_) return;
        const auto decoded = decode_full(frame);
        const cql::RowsResult* rows = nullptr;
        if (decoded)
            if (const auto* result = std::get_if<cql::Result>(&*decoded)) rows = std::get_if<cql::RowsResult>(result);
        std::vector<ClientRouteRow> found;
        std::size_t skipped = 0;
        if (rows == nullptr || read_client_routes(*rows, found, skipped)) {
            // No usable answer: fall back to a full read rather than guess deletions.
            last_error_ = "re-reading client routes failed";
            return refresh();
        }
        if (on_routes_) on_routes_(pairs, found);
    });
    if (!sent) refresh();
}

}  // namespace routelab::driver
