#pragma once
// `routelab explain SCENARIO.toml [--keyspace KS] [--table T] [--key V | --token N] ...`:
// prints the query plan the scenario's configured policy builds for one request, one
// target per line with the reason it is at that place. No simulation runs: the cluster
// is the scenario's topology with the ring its seed gives (pinned tokens stay pinned).
// Without --key and --token the request has no token (as an unprepared statement without
// routing information); --latency feeds measurements to a latency-aware policy first.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace routelab::cli {

struct ExplainOptions {
    std::string scenario_path;
    std::optional<std::uint64_t> seed;
    std::optional<std::string> keyspace;   // empty: the scenario's first keyspace
    std::optional<std::string> table;      // empty: a request without a table
    std::optional<std::string> key;
    std::optional<std::int64_t> token;
    std::string consistency = "ONE";
    bool consistency_given = false;   // else a profile's consistency applies
    std::optional<std::string> serial_consistency;
    bool lwt = false;
    std::string profile = "default";
    std::vector<std::string> down;
    int repeat = 1;
    std::string format = "text";
    std::vector<std::string> policy_options;   // KEY=VALUE, over the scenario's policy options
    std::string prefer_dc;                     // the request's own location preference
    std::string prefer_rack;
    std::vector<std::string> latencies;        // NODE=DURATION[xCOUNT], fed before the plan is drawn
    std::optional<double> at_s;                // when the plan is drawn (simulated seconds)
};

int explain_command(const ExplainOptions& options);

}  // namespace routelab::cli
