#include "sim/live/connection_guard.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "driver/protocol/codec.hpp"

namespace routelab::live {

namespace {

namespace wire = routelab::cql;

// Frames up to one socket read never pause their connection: whatever arrives of them
// is at most one read (already in memory), and well-behaved clients send frames this
// small, so they keep being served while large frames wait for the budget.
constexpr std::size_t pausable_frame_bytes = 64 * 1024;
constexpr std::size_t socket_read_bytes = 64 * 1024;   // AsioNetwork's read chunk

std::chrono::nanoseconds chrono_of(sim::Duration d) { return std::chrono::nanoseconds(d.ns()); }

std::string seconds(sim::Duration d) {
    char text[32];
    std::snprintf(text, sizeof text, "%g s", static_cast<double>(d.ns()) / 1e9);
    return text;
}

}  // namespace

GuardShared::GuardShared(boost::asio::io_context& io_context, LiveLimits l)
    : io(io_context), limits(std::move(l)), budget(limits.frame_buffer_bytes, socket_read_bytes) {}

void GuardShared::log(const std::string& line) const {
    if (limits.log) return limits.log(line);
    std::fprintf(stderr, "routelab serve: %s\n", line.c_str());
}

ConnectionGuard::ConnectionGuard(std::shared_ptr<GuardShared> shared, net::StreamPtr inner, std::string refusal, OnGone on_gone)
    : shared_(std::move(shared)),
      inner_(std::move(inner)),
      on_gone_(std::move(on_gone)),
      id_(shared_->next_id++),
      local_(inner_->local()),
      remote_(inner_->remote()),
      over_cap_message_(std::move(refusal)),
      refusing_(!over_cap_message_.empty()),
      accepted_at_(Clock::now()),
      last_activity_(accepted_at_),
      timer_(shared_->io) {}

ConnectionGuard::~ConnectionGuard() { close(); }

void ConnectionGuard::start() {
    std::weak_ptr<ConnectionGuard> weak = weak_from_this();
    inner_->on_close([weak](net::CloseReason reason) {
        auto self = weak.lock();
        if (!self || !self->open_) return;
        self->open_ = false;
        net::Stream::CloseHandler handler = std::move(self->on_close_);
        self->on_close_ = nullptr;
        self->on_data_ = nullptr;
        self->gone();
        if (handler) handler(reason);
    });
    update_reading();
    arm();
}

void ConnectionGuard::on_data(net::Stream::DataHandler handler) {
    if (!open_) return;
    on_data_ = std::move(handler);
    ++data_version_;
    update_reading();
}

void ConnectionGuard::on_close(net::Stream::CloseHandler handler) {
    if (open_) on_close_ = std::move(handler);
}

void ConnectionGuard::write(std::span<const std::uint8_t> bytes) {
    if (!open_) return;
    if (!bytes.empty()) last_activity_ = Clock::now();
    inner_->write(bytes);
}

void ConnectionGuard::close() {
    on_data_ = nullptr;
    on_close_ = nullptr;
    if (!open_) return;
    open_ = false;
    inner_->close();
    gone();
}

void ConnectionGuard::update_reading() {
    if (!open_) return;
    if ((on_data_ || refusing_) && !paused_) {
        std::weak_ptr<ConnectionGuard> weak = weak_from_this();
        inner_->on_data([weak](std::span<const std::uint8_t> bytes) {
            if (auto self = weak.lock()) self->on_bytes(bytes);
        });
    } else {
        inner_->on_data(nullptr);
    }
}

void ConnectionGuard::on_bytes(std::span<const std::uint8_t> bytes) {
    if (!open_ || bytes.empty()) return;
    const Clock::time_point now = Clock::now();
    last_activity_ = now;
    if (transparent_) return deliver(bytes);

    std::size_t i = 0;
    std::size_t frame_began_at = 0;   // in this chunk (0 if the frame began in an earlier one)
    while (i < bytes.size()) {
        if (header_have_ < wire::header_size) {
            if (header_have_ == 0) {
                frame_started_at_ = now;
                frame_began_at = i;
            }
            const std::size_t k = std::min(wire::header_size - header_have_, bytes.size() - i);
            std::memcpy(header_ + header_have_, bytes.data() + i, k);
            header_have_ += k;
            i += k;
            if (header_have_ < wire::header_size) break;
            const wire::FrameHeader header = wire::decode_header(header_);
            if (version_ == 0) version_ = static_cast<std::uint8_t>(header.protocol_version());
            if (refusing_)
                return refuse(wire::error_codes::overloaded, header.stream, over_cap_message_);
            if (header.length > wire::spec_max_body_bytes) {
                // The server answers this one with its own framing error: let it see it.
                transparent_ = true;
                return deliver(bytes);
            }
            if (wire::header_size + std::size_t{header.length} > shared_->limits.frame_buffer_bytes) {
                deliver(bytes.first(frame_began_at));
                if (!open_) return;
                ++shared_->stats.refused_frame_too_large;
                return refuse(wire::error_codes::protocol_error, header.stream,
                              "Frame of " + std::to_string(wire::header_size + std::size_t{header.length}) +
                                  " bytes can never fit the server's frame buffer budget of " +
                                  std::to_string(shared_->limits.frame_buffer_bytes) + " bytes (--frame-buffer-mib)");
            }
            body_length_ = header.length;
            body_left_ = header.length;
        } else {
            const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(body_left_, bytes.size() - i));
            body_left_ -= k;
            i += k;
        }
        if (header_have_ == wire::header_size && body_left_ == 0) {
            const wire::FrameHeader header = wire::decode_header(header_);
            if (header.opcode == wire::Opcode::startup && !header.is_response()) startup_seen_ = true;
            header_have_ = 0;
        }
    }

    const std::size_t now_held = header_have_ < wire::header_size
                                     ? header_have_
                                     : wire::header_size + static_cast<std::size_t>(body_length_ - body_left_);
    const std::size_t before = held_;
    if (now_held > before) {
        shared_->budget.charge(now_held - before);
        held_ = now_held;
    }
    deliver(bytes);
    if (!open_) return;
    if (now_held < before) {
        held_ = now_held;
        shared_->budget.release(before - now_held);
    }
    const bool large_frame_in_progress = header_have_ == wire::header_size && body_left_ > 0 &&
                                         wire::header_size + std::size_t{body_length_} > pausable_frame_bytes;
    if (large_frame_in_progress && shared_->budget.full()) pause_for_budget();
    arm();
}

void ConnectionGuard::deliver(std::span<const std::uint8_t> bytes) {
    if (bytes.empty() || !on_data_) return;
    // Moved out while it runs: the consumer may replace or clear it, or close the stream.
    net::Stream::DataHandler handler = std::move(on_data_);
    on_data_ = nullptr;
    const std::uint64_t version = data_version_;
    handler(bytes);
    if (open_ && data_version_ == version) on_data_ = std::move(handler);
}

void ConnectionGuard::pause_for_budget() {
    paused_ = true;
    ++shared_->stats.paused_total;
    ++shared_->stats.connections_paused;
    update_reading();
    std::weak_ptr<ConnectionGuard> weak = weak_from_this();
    shared_->budget.wait(id_, [weak] {
        auto self = weak.lock();
        if (!self || !self->open_ || !self->paused_) return;
        self->paused_ = false;
        --self->shared_->stats.connections_paused;
        self->update_reading();
    });
}

std::optional<ConnectionGuard::Clock::time_point> ConnectionGuard::next_deadline() const {
    const LiveLimits& limits = shared_->limits;
    std::optional<Clock::time_point> next;
    auto consider = [&next](Clock::time_point t) {
        if (!next || t < *next) next = t;
    };
    if (!startup_seen_ && limits.startup_timeout > sim::Duration{}) consider(accepted_at_ + chrono_of(limits.startup_timeout));
    if (header_have_ > 0 && !transparent_ && limits.frame_timeout > sim::Duration{})
        consider(frame_started_at_ + chrono_of(limits.frame_timeout));
    if (limits.idle_timeout > sim::Duration{} && !idle_exempt_) consider(last_activity_ + chrono_of(limits.idle_timeout));
    return next;
}

// One timer for the nearest deadline. Deadlines only move later as bytes flow (idleness)
// or appear (a frame starts), so the timer is re-armed only when an earlier one appears;
// a timer that fires early just re-arms for what is now the nearest.
void ConnectionGuard::arm() {
    if (!open_) return;
    const auto next = next_deadline();
    if (!next || (armed_for_ && *armed_for_ <= *next)) return;
    armed_for_ = next;
    timer_.expires_at(*next);
    std::weak_ptr<ConnectionGuard> weak = weak_from_this();
    timer_.async_wait([weak](const boost::system::error_code& ec) {
        if (ec) return;
        if (auto self = weak.lock()) self->on_timer();
    });
}

void ConnectionGuard::on_timer() {
    armed_for_.reset();
    if (!open_) return;
    const LiveLimits& limits = shared_->limits;
    const Clock::time_point now = Clock::now();
    const sim::Duration none{};
    if (header_have_ > 0 && !transparent_ && limits.frame_timeout > none && now >= frame_started_at_ + chrono_of(limits.frame_timeout)) {
        ++shared_->stats.closed_frame_timeout;
        const std::int16_t stream = header_have_ >= 4 ? wire::decode_header(header_).stream : std::int16_t{0};
        const std::uint64_t arrived = header_have_ < wire::header_size ? header_have_ : wire::header_size + (body_length_ - body_left_);
        const std::string announced =
            header_have_ < wire::header_size ? std::string("a frame header") : std::to_string(wire::header_size + std::uint64_t{body_length_});
        return refuse(wire::error_codes::protocol_error, stream,
                      "Frame not received whole within " + seconds(limits.frame_timeout) + " of its first byte (" +
                          std::to_string(arrived) + " of " + announced + " bytes arrived; --frame-timeout)");
    }
    if (!startup_seen_ && limits.startup_timeout > none && now >= accepted_at_ + chrono_of(limits.startup_timeout)) {
        ++shared_->stats.closed_startup_timeout;
        return refuse(wire::error_codes::protocol_error, 0,
                      "No STARTUP within " + seconds(limits.startup_timeout) + " of connecting (--startup-timeout)");
    }
    if (limits.idle_timeout > none && !idle_exempt_ && now >= last_activity_ + chrono_of(limits.idle_timeout)) {
        ++shared_->stats.closed_idle_timeout;
        return refuse(wire::error_codes::protocol_error, 0,
                      "Connection idle for " + seconds(limits.idle_timeout) + " (--idle-timeout)");
    }
    arm();
}

void ConnectionGuard::refuse(std::int32_t code, std::int16_t stream, const std::string& message) {
    if (!open_) return;
    std::vector<std::uint8_t> out;
    const std::uint8_t version = version_ == 3 || version_ == 4 ? version_ : std::uint8_t{4};
    wire::encode_response(out, stream, wire::Response{wire::Error{code, message, {}}}, version);
    inner_->write(out);
    shared_->log(who() + ": " + message + "; closed");
    open_ = false;
    net::Stream::CloseHandler handler = std::move(on_close_);
    on_close_ = nullptr;
    on_data_ = nullptr;
    inner_->close();
    gone();
    if (handler) handler(net::CloseReason::reset);
}

void ConnectionGuard::gone() {
    if (gone_) return;
    gone_ = true;
    if (paused_) {
        paused_ = false;
        --shared_->stats.connections_paused;
    }
    shared_->budget.cancel(id_);
    timer_.cancel();
    armed_for_.reset();
    const std::size_t held = held_;
    held_ = 0;
    OnGone on_gone = std::move(on_gone_);
    on_gone_ = nullptr;
    if (on_gone) on_gone();
    if (held > 0) shared_->budget.release(held);   // last: it may wake other connections
}

std::string ConnectionGuard::who() const { return remote_.to_string() + " -> " + local_.to_string(); }

}  // namespace routelab::live
