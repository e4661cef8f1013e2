#pragma once
// One accepted CQL connection under the live limits (live_limits.hpp), between the socket
// and the node (or proxy) serving it. It passes bytes through unchanged and follows the
// v3/v4 framing (9-byte header, body length at offset 5) only to know how many bytes of
// an incomplete frame the server holds: that many are charged to the frame budget, and
// the reading pauses while the budget is full. It keeps one timer for the nearest of its
// deadlines (STARTUP, the frame in progress, idleness) and closes the connection with a
// protocol ERROR when one passes.
//
// A guard made with a `refusal` (the node's connection cap is reached) serves nobody: it
// answers the first frame header with an Overloaded ERROR carrying that message, and closes.
//
// Seen from the consumer it is a net::Stream with the same contract: when the guard
// closes the connection itself, the consumer's close handler runs (reason reset), from the
// socket's or the timer's completion, never from inside a call the consumer made.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "sim/live/asio.hpp"
#include "sim/live/frame_budget.hpp"
#include "sim/live/live_limits.hpp"
#include "sim/net/network.hpp"

namespace routelab::live {

// What every guard of one GuardedNetwork shares.
struct GuardShared {
    GuardShared(boost::asio::io_context& io_context, LiveLimits l);
    void log(const std::string& line) const;

    boost::asio::io_context& io;
    LiveLimits limits;
    FrameBudget budget;
    LiveLimitStats stats;
    std::uint64_t next_id = 0;
};

class ConnectionGuard final : public std::enable_shared_from_this<ConnectionGuard> {
public:
    using Clock = std::chrono::steady_clock;
    // Runs once when the connection is gone (however it closed): the network's count.
    using OnGone = std::function<void()>;

    ConnectionGuard(std::shared_ptr<GuardShared> shared, net::StreamPtr inner, std::string refusal, OnGone on_gone);
    ~ConnectionGuard();
    ConnectionGuard(const ConnectionGuard&) = delete;
    ConnectionGuard& operator=(const ConnectionGuard&) = delete;

    // Installs the inner handlers and arms the first deadline. Once, right after creation.
    void start();
    // Before start(): no idle timeout for this connection (one of the process's own).
    void exempt_from_idle_timeout() { idle_exempt_ = true; }

    void on_data(net::Stream::DataHandler handler);
    void on_close(net::Stream::CloseHandler handler);
    void write(std::span<const std::uint8_t> bytes);
    void close();
    bool open() const { return open_; }
    net::Endpoint local() const { return local_; }
    net::Endpoint remote() const { return remote_; }

    // Bytes of the incomplete frame charged to the budget (for tests).
    std::size_t held() const { return held_; }

private:
    void on_bytes(std::span<const std::uint8_t> bytes);
    void deliver(std::span<const std::uint8_t> bytes);
    void update_reading();
    void pause_for_budget();
    void arm();
    void on_timer();
    std::optional<Clock::time_point> next_deadline() const;
    // Sends a protocol ERROR (code, stream, the connection's version), closes, logs, and
    // runs the consumer's close handler.
    void refuse(std::int32_t code, std::int16_t stream, const std::string& message);
    void gone();
    std::string who() const;

    std::shared_ptr<GuardShared> shared_;
    net::StreamPtr inner_;
    OnGone on_gone_;
    std::uint64_t id_;
    net::Endpoint local_;
    net::Endpoint remote_;
    std::string over_cap_message_;
    bool refusing_;
    bool transparent_ = false;
    bool idle_exempt_ = false;          // a frame beyond the protocol's limit: the server refuses it
    bool open_ = true;
    bool gone_ = false;
    bool paused_ = false;               // by the budget
    net::Stream::DataHandler on_data_;   // the consumer's
    net::Stream::CloseHandler on_close_;
    std::uint64_t data_version_ = 0;

    // Framing: the header of the frame in progress, and how much of its body is missing.
    std::uint8_t header_[9] = {};
    std::size_t header_have_ = 0;
    std::uint64_t body_left_ = 0;
    std::uint32_t body_length_ = 0;
    std::size_t held_ = 0;              // charged: header_have_ + body bytes received
    std::uint8_t version_ = 0;          // of the first frame (0: none yet)
    bool startup_seen_ = false;

    Clock::time_point accepted_at_;
    Clock::time_point frame_started_at_;
    Clock::time_point last_activity_;
    boost::asio::steady_timer timer_;
    std::optional<Clock::time_point> armed_for_;
};

}  // namespace routelab::live
