#include "driver/session/control_connection.hpp"

namespace routelab::driver {

namespace {
constexpr std::uint16_t max_in_flight = 64;
}

ControlConnection::ControlConnection(Env& env, std::vector<net::Endpoint> contact_points)
    : env_(env), contact_points_(std::move(contact_points)) {}

ControlConnection::~ControlConnection() = default;

void ControlConnection::start(DiscoveryHandler on_discovered, FailureHandler on_failed, StatusHandler on_status) {
    on_discovered_ = std::move(on_discovered);
    on_failed_ = std::move(on_failed);
    on_status_ = std::move(on_status);
    connect_next();
}

void ControlConnection::connect_next() {
    if (next_contact_ >= contact_points_.size()) {
        next_contact_ = 0;
        if (auto handler = on_failed_) handler(last_error_.empty() ? "no contact point could be reached" : last_error_);
        return;
    }
    const net::Endpoint target = contact_points_[next_contact_++];
    connection_ = std::make_unique<Connection>(env_, target, max_in_flight);
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
            connection_->send(cql::Register{{cql::event_types::topology_change, cql::event_types::status_change,
                                             cql::event_types::schema_change}},
                              [](const cql::Frame*) {});
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
        int pending = 3;
        std::function<void()> done;
    };
    reading_ = true;
    auto read = std::make_shared<Read>();
    const std::uint16_t port = connection_->node().port;
    // Holds only a weak reference to itself through `this`: no cycle keeps `read` alive.
    read->done = [this, weak = std::weak_ptr<Read>(read)] {
        auto self = weak.lock();
        if (!self || --self->pending != 0) return;
        reading_ = false;
        ++refreshes_;
        if (!self->error.empty()) {
            last_error_ = self->error;
            if (connection_) connection_->close();
            return;
        }
        if (on_discovered_) on_discovered_(self->discovery);
        if (refresh_again_) {
            refresh_again_ = false;
            refresh();
        }
    };
    using Reader = std::optional<std::string> (*)(const cql::RowsResult&, std::uint16_t, Discovery&);
    auto query = [this, read, port](const char* text, Reader reader) {
        cql::Query q;
        q.query = text;
        q.parameters.consistency = cql::Consistency::one;
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
    query("SELECT * FROM system.local WHERE key='local'", &read_local);
    query("SELECT * FROM system.peers", &read_peers);
    query("SELECT * FROM system_schema.keyspaces",
          [](const cql::RowsResult& rows, std::uint16_t, Discovery& d) { return read_keyspaces(rows, d); });
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
    // Topology and schema changes: read the metadata again (coalesced while a read runs).
    refresh();
}

}  // namespace routelab::driver
