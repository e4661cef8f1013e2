#pragma once
// Internal to the scenario parser: the [workload] table (and a client's `workload` table,
// read on top of [workload]) into a WorkloadSpec — arrivals, rate schedule, closed-loop
// users, key distribution, operation mix — with the checks across its fields.
#include <string>

#include <toml.hpp>

#include "sim/scenario/model.hpp"
#include "sim/scenario/toml_fields.hpp"

namespace routelab::scenario::detail {

// Where the fields of a workload came from, for messages about fields it inherited.
struct WorkloadOrigin {
    std::string path = "workload";            // the table's dotted path
    std::string schedule_path = "workload";   // the table that gave `schedule`
    std::string operations_path = "workload"; // the table that gave `operations`
    std::string keys_path = "workload";       // the table that gave `key_distribution`
};

// [workload] into `w` (absent keys keep their defaults).
void read_workload(const Context& ctx, const toml::value& root, WorkloadSpec& w);
// A workload table at `path`, its absent keys taken from `base` (whose origin is `base_origin`).
WorkloadSpec read_workload_table(const Context& ctx, const toml::value& t, const std::string& path, WorkloadSpec base,
                                 const WorkloadOrigin& base_origin, WorkloadOrigin* origin_out = nullptr);
// Checks that need the driver section: the profiles the operations name exist.
void check_workload(const Context& ctx, const toml::value& root, const Scenario& s);
void check_operation_profiles(const Context& ctx, const WorkloadSpec& w, const DriverSpec& d, const std::string& operations_path);

}  // namespace routelab::scenario::detail
