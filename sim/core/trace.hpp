#pragma once
// A 64-bit hash folded over every observable event of a run. Two runs of the same
// scenario, seed and build must end with the same value; any divergence in what happened
// or when changes it. An optional bounded log keeps the last events for diagnosing where
// two runs diverged; checkpoints (the hash at every multiple of a period) locate where two
// runs part without keeping the trace, and a capture keeps the events of one time range.
#include <cstdint>
#include <deque>
#include <string>
#include <vector>

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

// The trace's state when simulated time first reached `end_ns`: the hash and count of
// every event before it.
struct TraceCheckpoint {
    std::int64_t end_ns = 0;
    std::uint64_t hash = 0;
    std::uint64_t events = 0;
};

class Trace {
public:
    void record(Time when, TraceKind kind, std::uint64_t a = 0, std::uint64_t b = 0) {
        if (watching_) watch(when, kind, a, b);
        fold(static_cast<std::uint64_t>(when.ns()));
        fold(static_cast<std::uint64_t>(kind));
        fold(a);
        fold(b);
        ++events_;
    }
    std::uint64_t hash() const { return hash_; }
    std::uint64_t events() const { return events_; }

    // Keep the last `capacity` events (0 = keep none, the default).
    void keep_last(std::size_t capacity) {
        log_capacity_ = capacity;
        update_watching();
    }
    const std::deque<TraceEvent>& last_events() const { return log_; }

    // A checkpoint at every multiple of `period` of simulated time (0 = none, the default).
    void checkpoint_every(Duration period) {
        period_ns_ = period.ns() > 0 ? period.ns() : 0;
        next_checkpoint_ns_ = period_ns_;
        update_watching();
    }
    // Closes the checkpoints up to `now` (call once at the end of a run).
    void finish_checkpoints(Time now);
    const std::vector<TraceCheckpoint>& checkpoints() const { return checkpoints_; }

    // Keeps the events with from <= when < to, at most `cap` of them (0 = capture none).
    void capture_between(Time from, Time to, std::size_t cap) {
        capture_from_ = from;
        capture_to_ = to;
        capture_cap_ = cap;
        update_watching();
    }
    const std::vector<TraceEvent>& captured() const { return captured_; }

private:
    void update_watching() { watching_ = log_capacity_ != 0 || period_ns_ != 0 || capture_cap_ != 0; }
    // The slow path of record(), before the event is folded in.
    void watch(Time when, TraceKind kind, std::uint64_t a, std::uint64_t b);
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
    bool watching_ = false;
    std::size_t log_capacity_ = 0;
    std::deque<TraceEvent> log_;
    std::int64_t period_ns_ = 0;
    std::int64_t next_checkpoint_ns_ = 0;
    std::vector<TraceCheckpoint> checkpoints_;
    Time capture_from_;
    Time capture_to_;
    std::size_t capture_cap_ = 0;
    std::vector<TraceEvent> captured_;
};

std::string format_hash(std::uint64_t hash);
const char* trace_kind_name(TraceKind kind);

}  // namespace routelab::sim
