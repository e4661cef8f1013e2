#pragma once
// The only way the driver and the mock cluster talk: a byte-stream network.
//
// Contract (both SimNetwork and the live AsioNetwork honour it):
//  - bytes written on one end arrive at the other end in order, possibly split or merged
//    into different chunks than they were written in; never corrupted, duplicated or
//    reordered;
//  - a connect either completes (the listener's accept handler runs first, then the
//    connector's handler) or fails with a reason (refused, unreachable, timed out);
//  - `close()` on one end makes the other end's close handler run once, after the bytes
//    written before the close were delivered; a reset (fault) may drop undelivered bytes;
//  - bytes that arrive while an open stream has no data handler wait (as in a socket's
//    receive buffer) and are handed over once one is installed; clearing the handler
//    (`on_data(nullptr)`) pauses reading without losing bytes;
//  - handlers run on the network's scheduler, never re-entrantly from inside `write`,
//    `close` or `on_data`; after a stream's close handler ran, none of its handlers run
//    again;
//  - destroying a Stream closes it; once a stream was closed locally or destroyed, none of
//    its handlers run (not even a pending reset notice).
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "sim/net/endpoint.hpp"

namespace routelab::net {

enum class CloseReason : std::uint8_t { local_close, peer_close, reset, refused, unreachable };
const char* to_string(CloseReason reason);

class Stream {
public:
    using DataHandler = std::function<void(std::span<const std::uint8_t>)>;
    using CloseHandler = std::function<void(CloseReason)>;

    virtual ~Stream() = default;
    virtual void on_data(DataHandler handler) = 0;
    virtual void on_close(CloseHandler handler) = 0;
    virtual void write(std::span<const std::uint8_t> bytes) = 0;
    virtual void close() = 0;
    virtual bool open() const = 0;
    virtual Endpoint local() const = 0;
    virtual Endpoint remote() const = 0;
};

using StreamPtr = std::unique_ptr<Stream>;

class Network {
public:
    using AcceptHandler = std::function<void(StreamPtr)>;
    // Receives the stream, or nullptr and the reason the connect failed.
    using ConnectHandler = std::function<void(StreamPtr, CloseReason)>;

    virtual ~Network() = default;
    // Starts accepting at `at`; returns false if the endpoint is already taken.
    virtual bool listen(Endpoint at, AcceptHandler on_accept) = 0;
    virtual void unlisten(Endpoint at) = 0;
    // Connects from `from` (port 0: the network picks an ephemeral port) to `to`.
    virtual void connect(Endpoint from, Endpoint to, ConnectHandler on_connected) = 0;
};

}  // namespace routelab::net
