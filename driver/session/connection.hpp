#pragma once
// One client connection to one node: handshake, then pipelined requests matched to
// responses by stream id. When the connection dies, every request still in flight on it
// is failed exactly once.
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "driver/protocol/scylla_supported.hpp"
#include "driver/session/env.hpp"
#include "driver/session/stream_ids.hpp"
#include "sim/core/small_function.hpp"

namespace routelab::driver {

// The response frame (its body is valid during the call), or nullptr when the connection
// closed before an answer came. Handlers decode what they need: the request hot path a
// non-allocating view, metadata queries the full message.
using ResponseHandler = sim::SmallFunction<void(const cql::Frame*), 48>;

// Full decoding for callers off the hot path; nullopt for no frame or an undecodable one.
std::optional<cql::Response> decode_full(const cql::Frame* frame);

class Connection {
public:
    using ReadyHandler = std::function<void(bool ok)>;
    using ClosedHandler = std::function<void()>;
    using EventHandler = std::function<void(const cql::Event&)>;

    // `compression`: asked for in STARTUP when the node's SUPPORTED offers it.
    Connection(Env& env, net::Endpoint node, std::uint16_t max_in_flight,
               cql::Compression compression = cql::Compression::none);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    // Connects and runs the STARTUP handshake. `on_ready(true)` when usable; the end is
    // reported exactly once: `on_ready(false)` if it never became usable, else `on_closed`.
    void open(ReadyHandler on_ready, ClosedHandler on_closed);
    // Sends a request; false if the connection is not ready or has no free stream id.
    // Encodes the message type directly (no Request variant is built).
    template <typename Message>
    bool send(const Message& message, ResponseHandler handler, const cql::FrameExtras* extras = nullptr) {
        const auto id = reserve(std::move(handler));
        if (!id) return false;
        out_.clear();
        cql::encode_request(out_, *id, message, cql::default_protocol_version, extras);
        if (compression_ != cql::Compression::none) cql::compress_frame(compression_, out_, 0, compress_scratch_);
        stream_->write(out_);
        return true;
    }
    void close();
    // Heartbeats: every `interval`, if nothing arrived on the connection during the last
    // `interval`, an OPTIONS request goes out; no answer within `timeout` makes the
    // connection defunct: it closes and fails its in-flight requests (once each). Call
    // before open(); a zero interval disables them.
    void set_heartbeat(sim::Duration interval, sim::Duration timeout) {
        heartbeat_interval_ = interval;
        heartbeat_timeout_ = timeout;
    }
    std::uint64_t heartbeats_sent() const { return heartbeats_sent_; }
    // Connect timeout: the TCP connect and the OPTIONS/STARTUP handshake must finish
    // within `timeout` (cpp-driver's connect_timeout), else the attempt ends as failed
    // (on_ready(false)) — a node that accepts but never answers cannot hold a pool slot.
    // Call before open(); zero: no limit.
    void set_connect_timeout(sim::Duration timeout) { connect_timeout_ = timeout; }
    // Connect from this local port (ScyllaDB's shard-aware port picks the shard by it);
    // 0: any. Call before open().
    void set_source_port(std::uint16_t port) { source_port_ = port; }
    // Server-pushed events (stream -1) go here once REGISTERed; without a handler they are dropped.
    void on_event(EventHandler handler) { on_event_ = std::move(handler); }

    bool ready() const { return ready_; }
    cql::Compression compression() const { return compression_; }
    // What the node's SUPPORTED said (ScyllaDB sharding keys), known once ready.
    const cql::ScyllaSupported& scylla() const { return scylla_; }
    std::size_t in_flight() const { return ids_.in_flight(); }
    net::Endpoint node() const { return node_; }

private:
    std::optional<std::int16_t> reserve(ResponseHandler handler);
    void on_connected(net::StreamPtr stream, net::CloseReason reason);
    void on_data(std::span<const std::uint8_t> bytes);
    void on_closed();
    void fail_all();
    void arm_heartbeat();
    void heartbeat_tick();
    void cancel_timers();

    Env& env_;
    net::Endpoint node_;
    net::StreamPtr stream_;
    cql::FrameAssembler assembler_;
    StreamIds ids_;
    std::vector<ResponseHandler> handlers_;   // by stream id
    std::vector<std::uint8_t> out_;           // encode buffer, reused
    cql::Compression wanted_compression_;
    cql::Compression compression_ = cql::Compression::none;  // in effect after READY
    std::vector<std::uint8_t> compress_scratch_;
    std::vector<std::uint8_t> decompressed_;
    ReadyHandler on_ready_;
    ClosedHandler on_closed_;
    EventHandler on_event_;
    cql::ScyllaSupported scylla_;
    bool ready_ = false;
    void start_up();
    bool closed_ = false;
    sim::Duration heartbeat_interval_;
    sim::Duration heartbeat_timeout_;
    sim::Time last_received_;
    sim::EventId heartbeat_timer_;
    sim::EventId heartbeat_deadline_;
    sim::Duration connect_timeout_;
    sim::EventId connect_deadline_;
    bool heartbeat_pending_ = false;
    std::uint16_t source_port_ = 0;
    std::uint64_t heartbeats_sent_ = 0;
    // Guards callbacks that outlive the object (connect completion).
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);  // expires with the object
};

}  // namespace routelab::driver
