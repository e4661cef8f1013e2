#pragma once
// Bugs planted on purpose, for showing that exploration finds them and shrinking keeps
// them: nothing in routelab registers these; the test binaries below do.
//  * policy "test_names_twice_sometimes": round robin, but every 4th plan it completes (a
//    retry asks for the rest of the plan) names its first node again right after it;
//  * retry policy "test_repeats_writes": the default policy, except that a write that may
//    have been applied (lost connection, write timeout, overloaded, server error) is sent
//    once more to the next node even when it is not idempotent;
//  * planted_world(N): the first node of the topology, as a replica, acknowledges every
//    write and leaves one in N unapplied (mock_cluster's Cluster::plant_write_drops).
#include <cstdint>

#include "sim/runner/world.hpp"

namespace routelab::test {

void register_planted_bugs();   // idempotent
runner::WorldOptions planted_world(std::uint32_t drop_one_write_in);

}  // namespace routelab::test
