#pragma once
// A 64-bit hash folded over every observable event of a run. Two runs of the same
// scenario, seed and build must end with the same value; any divergence in what happened
// or when changes it. An optional bounded log keeps the last events for diagnosing where
// two runs diverged.
#include <cstdint>
#include <deque>
#include <string>

#include "sim/core/time.hpp"

namespace routelab::sim {

enum class TraceKind : std::uint8_t {
    connect = 1,
    accept,
    bytes_sent,
    bytes_delivered,
    close,
    request_start,
    request_end,
    attempt_start,
    attempt_end,
    fault,
    server_request,
    server_response,
    custom,
};

struct TraceEvent {
    Time when;
    TraceKind kind;
    std::uint64_t a;
    std::uint64_t b;
};

class Trace {
public:
    void record(Time when, TraceKind kind, std::uint64_t a = 0, std::uint64_t b = 0) {
        fold(static_cast<std::uint64_t>(when.ns()));
        fold(static_cast<std::uint64_t>(kind));
        fold(a);
        fold(b);
        ++events_;
        if (log_capacity_ != 0) remember(TraceEvent{when, kind, a, b});
    }
    std::uint64_t hash() const { return hash_; }
    std::uint64_t events() const { return events_; }

    // Keep the last `capacity` events (0 = keep none, the default).
    void keep_last(std::size_t capacity) { log_capacity_ = capacity; }
    const std::deque<TraceEvent>& last_events() const { return log_; }

private:
    void fold(std::uint64_t word) {
        constexpr std::uint64_t prime1 = 0x9E3779B185EBCA87ULL;
        constexpr std::uint64_t prime2 = 0xC2B2AE3D27D4EB4FULL;
        hash_ ^= word * prime2;
        hash_ = ((hash_ << 31) | (hash_ >> 33)) * prime1;
    }
    void remember(const TraceEvent& e) {
        if (log_.size() == log_capacity_) log_.pop_front();
        log_.push_back(e);
    }

    std::uint64_t hash_ = 0x27D4EB2F165667C5ULL;
    std::uint64_t events_ = 0;
    std::size_t log_capacity_ = 0;
    std::deque<TraceEvent> log_;
};

std::string format_hash(std::uint64_t hash);

}  // namespace routelab::sim
