#pragma once
// Exponential backoff with full jitter between reconnection attempts (to a node's pool,
// or of the control connection): the n-th wait is uniform in [0, min(max, base * 2^n)].
#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace routelab::driver {

struct ReconnectionPolicy {
    sim::Duration base = sim::Duration::from_ms(100);
    sim::Duration max = sim::Duration::from_s(10);
    sim::Duration delay(int attempt, sim::RngStream& rng) const {
        sim::Duration ceiling = base;
        for (int i = 0; i < attempt && ceiling < max; ++i) ceiling = ceiling * 2;
        if (ceiling > max) ceiling = max;
        return sim::Duration::from_ns(static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(ceiling.ns()) + 1)));
    }
};

}  // namespace routelab::driver
