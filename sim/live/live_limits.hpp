#pragma once
// The limits live mode puts on the clients of its CQL listeners (`routelab serve` flags),
// so that a few hostile or broken clients cannot make the process grow without bound or
// hold connections for ever. The simulation has none of this: it runs only its own driver.
//
//  - frame_buffer_bytes: every byte of a frame that has not arrived whole yet, summed over
//    all connections, counts against this budget. Past it, a connection that receives
//    part of a large frame stops being read (backpressure) until bytes are released (a
//    frame completes, or a connection closes). A frame that could never fit (its header
//    announces more than the whole budget) is answered with a protocol ERROR and the
//    connection closed.
//  - startup_timeout: a connection that has not sent a whole STARTUP frame by then is
//    closed (OPTIONS before it is fine).
//  - frame_timeout: a frame must arrive whole within this time of its first byte.
//  - idle_timeout: a connection that neither sent nor received a byte for this long is
//    closed. Zero: never.
//  - max_connections_per_node: open connections per listening address (a node's ports
//    share one count). One more is answered with an Overloaded ERROR to its first frame
//    and closed.
// Timeouts send a protocol ERROR (stream 0, or the slow frame's stream) before closing.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "sim/core/time.hpp"

namespace routelab::live {

struct LiveLimits {
    std::size_t frame_buffer_bytes = 64u * 1024u * 1024u;
    sim::Duration startup_timeout = sim::Duration::from_s(10);
    sim::Duration frame_timeout = sim::Duration::from_s(30);
    sim::Duration idle_timeout = sim::Duration::from_s(120);   // zero: off
    std::size_t max_connections_per_node = 1024;
    // Where each enforced limit is reported (one line, no newline); default: stderr.
    std::function<void(const std::string&)> log;
};

// What the limits did so far, and the frame budget's use.
struct LiveLimitStats {
    std::size_t frame_bytes_buffered = 0;       // now
    std::size_t frame_bytes_buffered_peak = 0;
    std::size_t connections_open = 0;           // guarded connections, all nodes
    std::size_t connections_paused = 0;         // waiting for the frame budget now
    std::uint64_t paused_total = 0;             // times a connection was paused
    std::uint64_t closed_startup_timeout = 0;
    std::uint64_t closed_frame_timeout = 0;
    std::uint64_t closed_idle_timeout = 0;
    std::uint64_t refused_frame_too_large = 0;
    std::uint64_t refused_over_connection_cap = 0;
};

}  // namespace routelab::live
