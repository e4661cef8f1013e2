#include "driver/session/connection.hpp"

namespace routelab::driver {

Connection::Connection(Env& env, net::Endpoint node, std::uint16_t max_in_flight, cql::Compression compression)
    : env_(env), node_(node), ids_(max_in_flight), handlers_(max_in_flight), wanted_compression_(compression) {}

Connection::~Connection() {
    cancel_timers();
    // Destruction is not an outcome its owner waits for: neither "ready" (false) nor
    // "closed" is reported (the owner is usually being destroyed itself).
    on_ready_ = nullptr;
    on_closed_ = nullptr;
    if (stream_) stream_->close();
    fail_all();
}

void Connection::open(ReadyHandler on_ready, ClosedHandler on_closed) {
    on_ready_ = std::move(on_ready);
    on_closed_ = std::move(on_closed);
    std::weak_ptr<bool> alive = alive_;
    if (connect_timeout_ > sim::Duration{})
        connect_deadline_ = env_.scheduler.after(connect_timeout_, [this] {
            connect_deadline_ = {};
            if (!ready_) close();   // reports on_ready(false), once
        });
    env_.network.connect(net::Endpoint{env_.client_ip, source_port_}, node_, [this, alive](net::StreamPtr stream, net::CloseReason reason) {
        if (alive.expired()) return;  // the connection object is gone; the stream closes itself
        on_connected(std::move(stream), reason);
    });
}

void Connection::on_connected(net::StreamPtr stream, net::CloseReason) {
    if (closed_) return;   // timed out before the connect completed: the stream closes as it goes
    if (!stream) {
        cancel_timers();
        closed_ = true;
        if (auto handler = std::move(on_ready_)) handler(false);
        return;
    }
    stream_ = std::move(stream);
    stream_->on_data([this](std::span<const std::uint8_t> bytes) { on_data(bytes); });
    stream_->on_close([this](net::CloseReason) { on_closed(); });
    // OPTIONS first, as the Python and Rust drivers do: SUPPORTED carries ScyllaDB's
    // sharding information. The handshake uses the ordinary stream-id machinery.
    const auto id = ids_.acquire();
    handlers_[static_cast<std::size_t>(*id)] = [this](const cql::Frame* frame) {
        const auto decoded = decode_full(frame);
        const auto* supported = decoded ? std::get_if<cql::Supported>(&*decoded) : nullptr;
        if (supported == nullptr) return close();
        scylla_ = cql::parse_scylla_options(supported->options);
        // Compress only what the node offers.
        if (wanted_compression_ != cql::Compression::none) {
            const auto offered = supported->options.find("COMPRESSION");
            const char* name = cql::compression_name(wanted_compression_);
            bool ok = false;
            if (offered != supported->options.end())
                for (const auto& algorithm : offered->second) ok = ok || algorithm == name;
            if (!ok) wanted_compression_ = cql::Compression::none;
        }
        start_up();
    };
    out_.clear();
    cql::encode_request(out_, *id, cql::Options{});
    stream_->write(out_);
}

void Connection::start_up() {
    const auto id = ids_.acquire();
    handlers_[static_cast<std::size_t>(*id)] = [this](const cql::Frame* frame) {
        const bool ok = frame != nullptr && frame->header.opcode == cql::Opcode::ready;
        if (!ok) return close();  // reports through on_ready(false), once
        ready_ = true;
        if (connect_deadline_.valid()) env_.scheduler.cancel(connect_deadline_);
        connect_deadline_ = {};
        compression_ = wanted_compression_;
        arm_heartbeat();
        if (auto handler = std::move(on_ready_)) handler(true);
    };
    out_.clear();
    cql::Startup startup{{{"CQL_VERSION", "3.0.0"}, {"DRIVER_NAME", "routelab"}}};
    if (wanted_compression_ != cql::Compression::none) startup.options["COMPRESSION"] = cql::compression_name(wanted_compression_);
    // Echo the ScyllaDB extensions the node offered (the LWT mark routes LWTs in ring order).
    cql::add_scylla_startup_options(scylla_, startup.options);
    cql::encode_request(out_, *id, startup);
    stream_->write(out_);
}

std::optional<cql::Response> decode_full(const cql::Frame* frame) {
    if (frame == nullptr) return std::nullopt;
    auto decoded = cql::decode_response(*frame);
    if (!decoded) return std::nullopt;
    return std::move(*decoded);
}

std::optional<std::int16_t> Connection::reserve(ResponseHandler handler) {
    if (!ready_ || closed_) return std::nullopt;
    const auto id = ids_.acquire();
    if (!id) return std::nullopt;
    handlers_[static_cast<std::size_t>(*id)] = std::move(handler);
    return id;
}

void Connection::arm_heartbeat() {
    if (heartbeat_interval_ <= sim::Duration{} || closed_) return;
    last_received_ = env_.scheduler.now();
    heartbeat_timer_ = env_.scheduler.after(heartbeat_interval_, [this] {
        heartbeat_timer_ = {};
        heartbeat_tick();
    });
}

void Connection::heartbeat_tick() {
    if (closed_) return;
    const sim::Time now = env_.scheduler.now();
    if (!heartbeat_pending_ && now - last_received_ >= heartbeat_interval_) {
        const bool sent = send(cql::Options{}, [this](const cql::Frame* frame) {
            heartbeat_pending_ = false;
            if (frame != nullptr && heartbeat_deadline_.valid()) env_.scheduler.cancel(heartbeat_deadline_);
            heartbeat_deadline_ = {};
        });
        if (sent) {
            heartbeat_pending_ = true;
            ++heartbeats_sent_;
            heartbeat_deadline_ = env_.scheduler.after(heartbeat_timeout_, [this] {
                heartbeat_deadline_ = {};
                if (heartbeat_pending_) close();   // defunct: nothing came back in time
            });
        }
    }
    heartbeat_timer_ = env_.scheduler.after(heartbeat_interval_, [this] {
        heartbeat_timer_ = {};
        heartbeat_tick();
    });
}

void Connection::cancel_timers() {
    if (heartbeat_timer_.valid()) env_.scheduler.cancel(heartbeat_timer_);
    if (heartbeat_deadline_.valid()) env_.scheduler.cancel(heartbeat_deadline_);
    if (connect_deadline_.valid()) env_.scheduler.cancel(connect_deadline_);
    heartbeat_timer_ = {};
    heartbeat_deadline_ = {};
    connect_deadline_ = {};
}

void Connection::on_data(std::span<const std::uint8_t> bytes) {
    last_received_ = env_.scheduler.now();
    assembler_.feed(bytes);
    cql::Frame frame;
    for (;;) {
        const auto status = assembler_.next(frame);
        if (status == cql::FrameAssembler::Status::need_more) return;
        if (status == cql::FrameAssembler::Status::error) return close();
        const cql::Frame* delivered = &frame;
        cql::Frame plain;
        if (frame.header.flags & cql::frame_flags::compression) {
            if (wanted_compression_ == cql::Compression::none) return close();
            auto decompressed = cql::decompress_frame(wanted_compression_, frame, decompressed_);
            if (!decompressed) return close();
            plain = *decompressed;
            delivered = &plain;
        }
        if (frame.header.stream < 0) {
            if (!on_event_) continue;
            auto decoded = cql::decode_response(*delivered);
            if (!decoded) return close();
            if (const auto* event = std::get_if<cql::Event>(&*decoded)) on_event_(*event);
            if (closed_) return;
            continue;
        }
        const auto id = static_cast<std::size_t>(frame.header.stream);
        if (id >= handlers_.size() || !handlers_[id]) return close();  // a response nobody asked for
        if (!frame.header.is_response()) return close();
        ResponseHandler handler = std::move(handlers_[id]);
        ids_.release(frame.header.stream);
        handler(delivered);
        if (closed_) return;
    }
}

void Connection::close() {
    if (closed_) return;
    if (stream_) stream_->close();
    on_closed();
}

void Connection::on_closed() {
    if (closed_) return;
    closed_ = true;
    ready_ = false;
    cancel_timers();
    fail_all();
    // Exactly one report of the end: a connection that never became ready says so
    // through on_ready(false), one that was ready through on_closed().
    if (auto handler = std::move(on_ready_)) {
        on_closed_ = nullptr;
        handler(false);
    } else if (auto closed = std::move(on_closed_)) {
        closed();
    }
}

void Connection::fail_all() {
    for (std::size_t id = 0; id < handlers_.size(); ++id) {
        if (!handlers_[id]) continue;
        ResponseHandler handler = std::move(handlers_[id]);
        ids_.release(static_cast<std::int16_t>(id));
        handler(nullptr);
    }
}

}  // namespace routelab::driver
