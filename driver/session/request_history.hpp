#pragma once
// What happened to one request, attempt by attempt, timed by the simulation clock; and
// the session's running metrics. Both are plain data for tests, results and reports.
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "driver/policy/retry.hpp"
#include "sim/core/histogram.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

enum class RequestOutcome : std::uint8_t { ok, server_error, timeout, no_host_available, connection_lost };
constexpr std::size_t request_outcome_count = 5;
const char* to_string(RequestOutcome outcome);

enum class AttemptOutcome : std::uint8_t {
    pending,          // still in flight when the request ended (e.g. timed out)
    ok,
    server_error,     // the node answered with an ERROR
    connection_lost,  // the connection died before the answer
};

struct Attempt {
    NodeIndex node = 0;
    std::optional<std::uint16_t> shard;
    sim::Time start;
    sim::Time end;                  // == start while pending
    AttemptOutcome outcome = AttemptOutcome::pending;
    std::int32_t error_code = 0;    // for server_error
    bool speculative = false;       // started by speculative execution, not a retry
    std::uint8_t fiber = 0;         // which execution (0 = the initial one) made the attempt
    bool reprepared = false;        // failed with Unprepared; the statement was prepared again on the node
    std::optional<RetryAction> retry;  // the retry policy's decision after a failure
};

class SessionMetrics {
public:
    void record(RequestOutcome outcome, sim::Duration latency, std::optional<NodeIndex> node);

    const sim::LatencyHistogram& latency_ns() const { return overall_ns_; }
    // Latency of successful requests by the node that answered them.
    const std::vector<sim::LatencyHistogram>& latency_ns_by_node() const { return by_node_ns_; }
    std::uint64_t count(RequestOutcome outcome) const { return counts_[static_cast<std::size_t>(outcome)]; }
    std::uint64_t attempts() const { return attempts_; }
    void count_attempt() { ++attempts_; }
    // Extra executions started by speculative execution (not counting initial ones).
    std::uint64_t speculative_executions() const { return speculative_; }
    void count_speculative() { ++speculative_; }
    std::uint64_t reprepares() const { return reprepares_; }
    void count_reprepare() { ++reprepares_; }

private:
    sim::LatencyHistogram overall_ns_;
    std::vector<sim::LatencyHistogram> by_node_ns_;
    std::array<std::uint64_t, request_outcome_count> counts_{};
    std::uint64_t attempts_ = 0;
    std::uint64_t speculative_ = 0;
    std::uint64_t reprepares_ = 0;
};

}  // namespace routelab::driver
