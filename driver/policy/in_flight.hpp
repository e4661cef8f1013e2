#pragma once
// How a policy learns the number of requests in flight to a target: a callback the session
// provides (its pools know; the policy must not hold connections). For a target without a
// shard it returns the node's total. Must be cheap and must not call back into the policy.
#include <cstdint>
#include <functional>

#include "driver/policy/load_balancing.hpp"

namespace routelab::driver {

using InFlightProvider = std::function<std::uint32_t(const Target&)>;

}  // namespace routelab::driver
