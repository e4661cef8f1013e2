#pragma once
// A checker: an observer of the World's facts that ends the run with a result — a value
// against a limit, pass or fail, and where it first broke (simulated time, request,
// node). Each checker lives in a file named as scenarios name it (max_error_rate.cpp, …)
// and is registered by that name (registry.hpp).
//
// The base class takes care of what every check shares: its label, its time scope
// (`during`), its client filter, the origin of reported times and node names.
#include <cmath>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/checks/facts.hpp"
#include "sim/checks/params.hpp"
#include "sim/checks/world_view.hpp"
#include "sim/results/run_record.hpp"

namespace routelab::checks {

// [from_s, to_s) in seconds after the workload's start; to_s may be +infinity.
struct Interval {
    double from_s = 0;
    double to_s = std::numeric_limits<double>::infinity();
};

// The instants a check looks at.
class Scope {
public:
    Scope() = default;   // the whole run
    Scope(std::vector<Interval> intervals, std::string text) : whole_(false), intervals_(std::move(intervals)), text_(std::move(text)) {}
    bool contains(double s) const {
        if (whole_) return true;
        for (const auto& i : intervals_)
            if (s >= i.from_s && s < i.to_s) return true;
        return false;
    }
    bool whole_run() const { return whole_; }
    const std::vector<Interval>& intervals() const { return intervals_; }
    const std::string& text() const { return text_; }

private:
    bool whole_ = true;
    std::vector<Interval> intervals_;
    std::string text_ = "run";
};

// What checks know about the scenario, before and during the run.
struct CheckEnv {
    double duration_s = 0;           // the workload's duration
    double window_s = 1;             // [output].window_s
    std::vector<std::string> datacenters;
    std::vector<std::string> nodes;  // node names
    std::vector<std::string> clients{std::string(default_client)};
    int value_bytes = 0;             // size of written values
    std::int64_t sessions = 0;       // workload.sessions (0: requests carry no session key)
    // The driver configuration the workload's requests run with (their profile applied).
    std::string policy;
    std::map<std::string, std::string> policy_options;
    // Each client application's own policy and options, where [[clients]] give them.
    struct ClientPolicy {
        std::string policy;
        std::map<std::string, std::string> policy_options;
    };
    std::map<std::string, ClientPolicy> client_policies;
    std::vector<std::string> route_ids;                     // [driver.client_routes] connection ids
    std::map<std::string, std::string> hostname_overrides;  // connection id -> address
    // Fault windows (scenarios/README.md, [[checks]]): merged, in time order.
    std::vector<Interval> fault_windows;
};

// Everything a factory gets to build one check.
struct CheckSetup {
    std::string name;
    std::string label;
    const Params* params = nullptr;
    Scope scope;
    std::string client;              // empty: every client application
    const CheckEnv* env = nullptr;
};

class Checker : public FactObserver {
public:
    explicit Checker(const CheckSetup& setup)
        : name_(setup.name), label_(setup.label), scope_(setup.scope), client_(setup.client), env_(*setup.env) {}

    const std::string& name() const { return name_; }
    const std::string& label() const { return label_; }
    // Before the run: where names and routes can be looked up.
    void attach(const WorldView& world) { world_ = &world; }
    void on_workload_start(sim::Time origin) override {
        origin_ = origin;
        started_ = true;
        started();
    }
    // After the run (`end`: the simulated time it stopped at): the check's result.
    results::CheckRecord finish(sim::Time end);

protected:
    virtual void started() {}
    virtual void conclude(sim::Time end, results::CheckRecord& out) = 0;

    // A request of this check's client, issued inside its scope.
    bool counts(const RequestEnded& f) const { return of_client(f.client) && in_scope(f.issued); }
    bool counts(const RequestIssued& f) const { return of_client(f.client) && in_scope(f.at); }
    bool of_client(std::string_view client) const { return client_.empty() || client == client_; }
    // The whole-run scope includes start-up (before the workload), e.g. its connections.
    bool in_scope(sim::Time t) const { return scope_.whole_run() || (started_ && scope_.contains(seconds(t))); }
    // Seconds after the workload's start (negative before it); valid once it started.
    double seconds(sim::Time t) const { return (t - origin_).seconds(); }
    std::string node_name(driver::NodeIndex node) const;
    std::string endpoint_name(const net::Endpoint& endpoint) const;
    const CheckEnv& env() const { return env_; }
    const WorldView& world() const { return *world_; }
    const Scope& scope() const { return scope_; }
    bool started_run() const { return started_; }
    sim::Time origin() const { return origin_; }

    // The breach to report: the first one noted wins.
    void note_breach(sim::Time at, std::optional<std::uint64_t> request, std::string node, std::string detail = {});
    bool breached() const { return breach_.has_value(); }

private:
    struct Breach {
        sim::Time at;
        std::optional<std::uint64_t> request;
        std::string node;
        std::string detail;
    };
    std::string name_;
    std::string label_;
    Scope scope_;
    std::string client_;
    const CheckEnv& env_;
    const WorldView* world_ = nullptr;
    sim::Time origin_;
    bool started_ = false;
    std::optional<Breach> breach_;
};

// Number formatting shared by the checkers' messages.
std::string percent(double fraction);     // 0.4523 -> "45.23%"
std::string milliseconds(double ms);      // 12.5 -> "12.500 ms"
std::string plain_number(double x);       // shortest form: 3, 0.25, 1e-06

}  // namespace routelab::checks
