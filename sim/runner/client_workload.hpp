#pragma once
// A client's workload generator from its WorkloadSpec: the operation mix (the scenario's
// operations, or reads and writes by read_fraction), the key distribution, and the open-
// or closed-loop arrivals, with their seeded streams.
#include <memory>
#include <string>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/scenario/model.hpp"
#include "sim/workload/workload.hpp"

namespace routelab::runner {

// The operations the workload mixes: its `operations`, or without them a read and a write
// weighted by read_fraction (in parts per million, as runs always drew them).
std::vector<scenario::OperationSpec> operation_mix(const scenario::WorkloadSpec& workload);

// `streams` prefixes the stream names ("" gives workload/arrivals, workload/keys, workload/shapes).
std::unique_ptr<workload::Generator> make_generator(const scenario::WorkloadSpec& workload, const std::vector<scenario::OperationSpec>& mix,
                                                    sim::Scheduler& scheduler, const sim::Rng& rng, const std::string& streams,
                                                    workload::RequestSink& sink);

}  // namespace routelab::runner
