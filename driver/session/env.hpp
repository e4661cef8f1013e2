#pragma once
// What the driver is given by whoever runs it: a scheduler for time and timers, a
// network, a trace, a seeded random stream and the address it connects from. In a
// simulation these come from the World; in live mode from the wall-clock runtime.
#include <cstdint>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/network.hpp"

namespace routelab::driver {

struct Env {
    sim::Scheduler& scheduler;
    net::Network& network;
    sim::Trace& trace;
    sim::RngStream rng;
    std::uint32_t client_ip;
};

}  // namespace routelab::driver
