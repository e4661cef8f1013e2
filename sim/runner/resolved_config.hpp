#pragma once
// The configuration a run actually used, after defaults and derivations (the driver's
// local datacenter, the client fleet, the checks added because they always run), as flat
// `key = value` pairs in a stable order. Stored in the results' `configuration` table so
// a report or a `sqlite3` query can show what ran without re-parsing the scenario.
#include <vector>

#include "sim/results/run_record.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::runner {

std::vector<results::ConfigEntry> resolved_configuration(const scenario::Scenario& scenario);

}  // namespace routelab::runner
