#include "sim/core/trace.hpp"

#include <cstdio>

namespace routelab::sim {

std::string format_hash(std::uint64_t hash) {
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(hash));
    return buffer;
}

const char* trace_kind_name(TraceKind kind) {
    switch (kind) {
        case TraceKind::connect: return "connect";
        case TraceKind::accept: return "accept";
        case TraceKind::bytes_sent: return "bytes_sent";
        case TraceKind::bytes_delivered: return "bytes_delivered";
        case TraceKind::close: return "close";
        case TraceKind::request_start: return "request_start";
        case TraceKind::request_end: return "request_end";
        case TraceKind::attempt_start: return "attempt_start";
        case TraceKind::attempt_end: return "attempt_end";
        case TraceKind::fault: return "fault";
        case TraceKind::server_request: return "server_request";
        case TraceKind::server_response: return "server_response";
        case TraceKind::custom: return "custom";
    }
    return "unknown";
}

void Trace::watch(Time when, TraceKind kind, std::uint64_t a, std::uint64_t b) {
    if (period_ns_ != 0) {
        while (when.ns() >= next_checkpoint_ns_) {
            checkpoints_.push_back(TraceCheckpoint{next_checkpoint_ns_, hash_, events_});
            next_checkpoint_ns_ += period_ns_;
        }
    }
    if (log_capacity_ != 0) remember(TraceEvent{when, kind, a, b});
    if (captured_.size() < capture_cap_ && when >= capture_from_ && when < capture_to_)
        captured_.push_back(TraceEvent{when, kind, a, b});
}

void Trace::finish_checkpoints(Time now) {
    if (period_ns_ == 0) return;
    while (now.ns() >= next_checkpoint_ns_) {
        checkpoints_.push_back(TraceCheckpoint{next_checkpoint_ns_, hash_, events_});
        next_checkpoint_ns_ += period_ns_;
    }
    // The last, partial period ends at the end of the run.
    checkpoints_.push_back(TraceCheckpoint{now.ns() + 1, hash_, events_});
}

}  // namespace routelab::sim
