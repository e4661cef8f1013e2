#pragma once
// The facts a World publishes while it runs, for observers: the checkers of sim/checks
// and the runner's per-window recorder. A fact is a plain struct of values and views,
// valid only during the call that delivers it; observers copy what they keep.
//
// The World calls the bus at a few clear points (a request issued, a request ended, a
// connection opened, the driver marking a node down or up, a fault applied or reverted,
// the workload starting). It asks `wants(kind)` first, so a fact nobody subscribed to is
// never built, and building one never allocates. Observers only read: nothing they do
// changes the World.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "driver/metadata/cluster_state.hpp"
#include "driver/policy/load_balancing.hpp"
#include "driver/session/request_history.hpp"
#include "sim/checks/error_kind.hpp"
#include "sim/core/time.hpp"
#include "sim/net/endpoint.hpp"

namespace routelab::checks {

enum class FactKind : std::uint8_t {
    request_issued,
    request_ended,
    read_values,   // RequestEnded::value filled in (the value a read returned); costs a cell read
    connection,
    node_marked,
    fault,
};
using FactMask = std::uint32_t;
constexpr FactMask mask_of(FactKind kind) { return FactMask{1} << static_cast<unsigned>(kind); }

// The name of today's single client application in the facts.
inline constexpr std::string_view default_client = "default";

struct RequestIssued {
    std::uint64_t request = 0;     // the workload's request id
    sim::Time at;
    std::string_view client;
    bool write = false;
    bool idempotent = true;
    std::int64_t key = 0;
    std::int64_t session = -1;     // the session number (session key "s<N>"); -1: none
};

struct RequestEnded {
    std::uint64_t request = 0;
    std::string_view client;
    bool write = false;
    bool idempotent = true;
    std::int64_t key = 0;
    std::int64_t session = -1;
    sim::Time issued;
    sim::Time ended;
    ErrorKind error = ErrorKind::none;
    int attempts = 0;
    std::span<const driver::Attempt> history;    // every attempt, in start order
    std::span<const driver::Target> plan;        // the plan as far as the driver built it
    const driver::ClusterState* cluster = nullptr;   // the snapshot the plan was built over
    const driver::RoutingInfo* routing = nullptr;    // what the policy was told
    std::optional<driver::NodeIndex> answered;   // the node whose answer ended the request (success only)
    int answered_position = -1;                  // its index in the plan; -1 if none
    // With FactKind::read_values: a write's value id (its request id); a read's value id
    // as read back (nullopt: no row, or a value that carries no id).
    std::optional<std::uint64_t> value;

    // A single-key read of the key-value table (not a paged read, LWT or batch): the reads
    // read_your_writes compares.
    bool plain_read = true;

    bool ok() const { return error == ErrorKind::none; }
    sim::Duration latency() const { return ended - issued; }
};

struct ConnectionOpened {
    sim::Time at;
    net::Endpoint to;              // where the driver dials (a node, or a proxy endpoint)
};

struct NodeMarked {
    sim::Time at;
    driver::NodeIndex node = 0;    // the driver's index
    net::Endpoint address;         // the node's address in the driver's metadata
    bool up = false;
    std::string_view client = default_client;   // the client application whose driver marked it
};

struct FaultChanged {
    sim::Time at;
    std::string_view description;
    bool applied = true;           // false: reverted at the end of its duration
    bool topology = false;         // changes which nodes serve or how they are reached
};

// Attempts the retry policy caused: every attempt after the first of its execution, except
// the repeat of an attempt answered Unprepared (the driver repeats it below the retry layer).
inline int retries_of(std::span<const driver::Attempt> history) {
    int retries = 0;
    for (std::size_t i = 0; i < history.size(); ++i) {
        const driver::Attempt* previous = nullptr;
        for (std::size_t j = i; j-- > 0;)
            if (history[j].fiber == history[i].fiber) {
                previous = &history[j];
                break;
            }
        if (previous != nullptr && !previous->reprepared) ++retries;
    }
    return retries;
}

// Extra executions speculative execution started.
inline int speculative_of(std::span<const driver::Attempt> history) {
    int n = 0;
    for (const auto& a : history) n += a.speculative ? 1 : 0;
    return n;
}

class FactObserver {
public:
    virtual ~FactObserver() = default;
    virtual FactMask wants() const = 0;
    // Always delivered: the workload starts at `origin`; reports count time from there.
    virtual void on_workload_start(sim::Time /*origin*/) {}
    virtual void on_request_issued(const RequestIssued&) {}
    virtual void on_request_ended(const RequestEnded&) {}
    virtual void on_connection(const ConnectionOpened&) {}
    virtual void on_node_marked(const NodeMarked&) {}
    virtual void on_fault(const FaultChanged&) {}
};

// Delivers facts to the observers that asked for them, in subscription order.
class FactBus {
public:
    void subscribe(FactObserver& observer) {
        observers_.push_back({&observer, observer.wants()});
        mask_ |= observer.wants();
    }
    bool wants(FactKind kind) const { return (mask_ & mask_of(kind)) != 0; }

    void workload_started(sim::Time origin) {
        for (auto& o : observers_) o.observer->on_workload_start(origin);
    }
    void publish(const RequestIssued& f) { deliver(FactKind::request_issued, &FactObserver::on_request_issued, f); }
    void publish(const RequestEnded& f) { deliver(FactKind::request_ended, &FactObserver::on_request_ended, f); }
    void publish(const ConnectionOpened& f) { deliver(FactKind::connection, &FactObserver::on_connection, f); }
    void publish(const NodeMarked& f) { deliver(FactKind::node_marked, &FactObserver::on_node_marked, f); }
    void publish(const FaultChanged& f) { deliver(FactKind::fault, &FactObserver::on_fault, f); }

private:
    template <class Fact>
    void deliver(FactKind kind, void (FactObserver::*handler)(const Fact&), const Fact& fact) {
        if (!wants(kind)) return;
        for (auto& o : observers_)
            if ((o.wants & mask_of(kind)) != 0) (o.observer->*handler)(fact);
    }

    struct Subscriber {
        FactObserver* observer;
        FactMask wants;   // read once: an observer's wishes do not change
    };
    std::vector<Subscriber> observers_;
    FactMask mask_ = 0;
};

}  // namespace routelab::checks
