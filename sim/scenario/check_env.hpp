#pragma once
// What the checks know of a scenario (sim/checks/checker.hpp CheckEnv): its nodes and
// datacenters, windows, the driver configuration the workload runs with, and its fault
// windows. The parser uses it to check [[checks]] entries, the runner to build them.
#include <string>
#include <vector>

#include "sim/checks/checker.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::scenario {

checks::CheckEnv check_env(const Scenario& s);

// The client applications of the scenario, as facts and checks name them.
std::vector<std::string> client_names(const Scenario& s);

// When faults are in effect, in seconds after the workload's start (merged):
//  * a step with duration_s > 0 lasts that long;
//  * one without lasts until a later step undoes it (start_node after stop_node of the
//    same node, heal after partition of the same pair, clear_errors after inject_error,
//    join_node after decommission_node, set_route after remove_route of the same route,
//    slow_* with factor 1 or add_latency of 0 on the same target), else to the end;
//  * a step that only undoes, or only moves or adds a route, is not a window of its own.
std::vector<checks::Interval> fault_windows(const Scenario& s);

}  // namespace routelab::scenario
