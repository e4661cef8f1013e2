#pragma once
// One client application of a run: its host (address and place on the network), its
// driver sessions (one per start or restart), its workload generator, and what its
// requests did. It turns the generator's requests into driver calls (single statements,
// paged reads, LWTs, batches) and reports each end to the run's metrics and its own.
//
// Time line, from the workload's start: the client issues in windows [up, down) — from
// start_s (or a restart's return) to a restart, stop_s or the end of its workload. A
// window that ends with a stop or restart stops the generator at `down` and closes the
// session drain_s later (requests still in flight then end as aborted); the next window
// opens a new session (connect, prepare) and issues once it is ready.
#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/histogram.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/checks/facts.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/sim_network.hpp"
#include "sim/results/run_record.hpp"
#include "sim/runner/client_pause.hpp"
#include "sim/runner/run_metrics.hpp"
#include "sim/scenario/model.hpp"
#include "sim/workload/workload.hpp"

namespace routelab::runner {

struct ClientEnv {
    sim::SimScheduler& scheduler;
    const sim::Rng& rng;
    sim::Trace& trace;
    net::SimNetwork& network;
    cluster::Cluster& cluster;
    RunMetrics& run_metrics;
    const scenario::Scenario& scenario;
    // What checkers see (sim/checks/facts.hpp): the client publishes its requests' ends,
    // its sessions' node marks, and dials through `driver_network` (connection facts).
    checks::FactBus& facts;
    net::Network& driver_network;
    // Test seam: a test may plant a broken driver part; scenarios never set it.
    std::function<void(driver::SessionConfig&)> adjust_session;
};

class Client final : private workload::RequestSink {
public:
    // `streams` prefixes its RNG stream names ("" for the default client: the names a
    // single-client run always used, so its trace stays the same).
    // `id_base` is added to its requests' ids so that ids are unique across the run's
    // clients (in the facts checkers see and in the value ids writes carry).
    Client(ClientEnv env, scenario::ClientSpec spec, std::uint32_t ip, std::string streams, std::uint64_t id_base = 0);
    ~Client() override;
    Client(const Client&) = delete;
    Client& operator=(const Client&) = delete;

    const scenario::ClientSpec& spec() const { return spec_; }
    std::uint32_t ip() const { return ip_; }
    // A policy that did not build (the session runs round robin instead).
    const std::string& setup_error() const { return setup_error_; }
    bool starts_with_the_run() const { return spec_.start_s == 0; }

    // Start-up: connects its first session and prepares its statements; `ready` gets ""
    // or why not. Only for a client that starts with the run.
    void open(std::function<void(const std::string& error)> ready);
    // The workload's start: issues in its windows from here.
    void begin(sim::Time origin);
    // When it is done issuing (and draining), from the workload's start.
    double active_until_s() const;
    sim::Duration request_timeout() const;
    std::uint64_t operations_in_flight() const { return in_flight_; }
    // Sessions opened after the start that could not connect, or were still connecting at
    // the end (the run fails on them).
    std::vector<std::string> late_errors() const;
    results::ClientLoad report() const;
    driver::Session* session() { return sessions_.empty() ? nullptr : sessions_.back().get(); }
    // Paged reads: pages and rows they received.
    std::uint64_t pages_read() const { return pages_read_; }
    std::uint64_t rows_read() const { return rows_read_; }
    // client_pause: stops (true) or resumes its processing; only for a client some
    // client_pause fault names (the others have nothing to pause).
    void set_paused(bool paused);

private:
    struct Window {
        double up_s = 0;
        double down_s = 0;
        bool closes = false;   // ends with a stop or restart (not with the workload)
    };

    void issue(const workload::WorkloadRequest& request) override;
    // What a request's end needs to know about it (fits the driver's callback storage).
    struct InFlight {
        sim::Time issued;
        std::uint64_t id = 0;
        std::int64_t key = 0;
        std::uint32_t user = 0;
        std::uint32_t incarnation = 0;
        std::uint16_t mix = 0;
    };
    void ended(const InFlight& request, const driver::RequestResult& result);
    void publish_ended(const InFlight& request, const driver::RequestResult& result);
    bool is_write(std::uint16_t mix) const;
    void create_session();
    void connect_session(std::function<void(const std::string& error)> ready);
    void prepare_from(std::size_t next, std::uint32_t incarnation, std::function<void(const std::string& error)> ready);
    void build_options(driver::Session& session);
    void open_window(std::size_t index);
    void start_window(std::size_t index);
    void close_window(std::size_t index);
    std::string stream(const std::string& name, std::uint32_t incarnation) const;
    void encode_values(const workload::WorkloadRequest& request, bool with_row, bool with_value, bool value_first);

    ClientEnv env_;
    scenario::ClientSpec spec_;
    std::uint32_t ip_;
    std::string streams_;
    std::uint64_t id_base_ = 0;
    // Declared before the sessions and the generator, which use them (destroyed after).
    std::unique_ptr<PausableScheduler> pausable_;
    std::unique_ptr<PausableNetwork> pausable_network_;
    sim::Scheduler* timers_ = &env_.scheduler;      // the pausable scheduler when paused by a fault
    net::Network* network_ = &env_.driver_network;
    std::string setup_error_;
    std::vector<scenario::OperationSpec> ops_;                 // the operation mix, resolved
    std::vector<std::unique_ptr<driver::Session>> sessions_;   // every incarnation, kept to the end (closed ones inert)
    std::vector<std::string> queries_;                         // the distinct statements the mix needs
    std::vector<driver::PreparedPtr> statements_;              // prepared per session, by queries_ index
    std::vector<std::uint16_t> op_statement_;                  // by mix entry: its statement's index
    std::vector<driver::RequestOptions> options_;              // by mix entry, for the current session
    std::unique_ptr<workload::Generator> generator_;
    std::vector<Window> windows_;
    sim::Time origin_;
    bool ready_ = false;                                        // the current session can take requests
    std::vector<routelab::cql::Value> values_;                  // reused for every request
    std::vector<driver::Session::BatchEntry> batch_;            // reused for every batch
    std::uint64_t in_flight_ = 0;
    // What its requests did.
    std::uint64_t issued_ = 0;
    std::uint64_t ended_ = 0;
    std::uint64_t errors_ = 0;
    std::uint64_t timeouts_ = 0;
    std::uint64_t aborted_ = 0;
    std::uint64_t sessions_connected_ = 0;
    std::uint64_t pages_read_ = 0;
    std::uint64_t rows_read_ = 0;
    sim::Time first_issue_ = sim::Time::max();
    sim::Time last_issue_;
    sim::LatencyHistogram latency_ns_;
    std::vector<std::string> late_errors_;
    std::optional<double> connecting_since_s_;   // a window's session that is not ready yet
};

}  // namespace routelab::runner
