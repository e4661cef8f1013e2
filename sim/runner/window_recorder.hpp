#pragma once
// The per-window breakdowns the results keep for the checks and the plots (README.md,
// results database): errors by kind, per-node load (attempts and answers), attempts,
// retries and speculative executions, the plan position of the target that answered,
// and latency per answering node and per client.
// An observer of the World's request facts; requests count in the window they ended in,
// as in `windows`. Only the newest window is open; older ones are already rows.
#include <array>
#include <cstdint>
#include <vector>

#include <string>
#include <string_view>

#include "sim/checks/facts.hpp"
#include "sim/core/histogram.hpp"
#include "sim/checks/world_view.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::runner {

class WindowRecorder final : public checks::FactObserver {
public:
    WindowRecorder(sim::Duration window, const checks::WorldView& world) : window_(window), world_(world) {}

    checks::FactMask wants() const override {
        return checks::mask_of(checks::FactKind::request_ended) | checks::mask_of(checks::FactKind::request_issued);
    }
    void on_workload_start(sim::Time origin) override { origin_ = origin; }
    void on_request_issued(const checks::RequestIssued& f) override;
    void on_request_ended(const checks::RequestEnded& f) override;
    // Appends the rows (closed windows and the open one) to the record.
    void report(results::RunRecord& record) const;

private:
    struct NodeCounts {
        std::uint64_t attempts = 0;
        std::uint64_t answered = 0;
        sim::LatencyHistogram latency_ns;     // of the requests it answered
    };
    struct ClientCounts {
        std::uint64_t requests = 0;
        std::uint64_t errors = 0;
        sim::LatencyHistogram latency_ns;     // of its successful requests
    };
    struct Window {
        std::array<std::uint64_t, checks::error_kind_count> errors{};
        std::vector<NodeCounts> nodes;        // by cluster node
        std::uint64_t requests = 0;
        std::uint64_t attempts = 0;
        std::uint64_t retries = 0;
        std::uint64_t speculative = 0;
        std::vector<std::uint64_t> positions;  // by plan position
        std::uint64_t in_flight_max = 0;       // most requests in flight at once during the window
        std::vector<ClientCounts> clients;     // by client_names_
    };
    std::size_t client_index(std::string_view client);
    void flush(results::RunRecord& record, std::size_t index, const Window& w) const;
    void close_current();
    void advance_to(sim::Time t);

    sim::Duration window_;
    const checks::WorldView& world_;
    sim::Time origin_;
    std::size_t current_index_ = 0;
    Window current_;
    std::uint64_t in_flight_ = 0;   // issued and not yet ended
    results::RunRecord closed_;   // only its window_* vectors are used
    std::vector<std::string> client_names_;     // in the order first seen
};

}  // namespace routelab::runner
