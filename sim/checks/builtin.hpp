#pragma once
// Internal to sim/checks: each built-in checker's file registers it.
#include "sim/checks/registry.hpp"

namespace routelab::checks::builtin {

void register_no_request_lost(CheckRegistry& registry);
void register_every_request_ends_once(CheckRegistry& registry);
void register_max_error_rate(CheckRegistry& registry);
void register_min_availability(CheckRegistry& registry);
void register_max_availability(CheckRegistry& registry);
void register_max_latency(CheckRegistry& registry);     // and min_latency
void register_max_load_share(CheckRegistry& registry);  // and min_load_share
void register_plans_valid(CheckRegistry& registry);
void register_client_routes_only(CheckRegistry& registry);
void register_session_affinity_stable(CheckRegistry& registry);
void register_max_sessions_moved(CheckRegistry& registry);  // and min_sessions_moved
void register_read_your_writes(CheckRegistry& registry);
void register_max_retries_per_request(CheckRegistry& registry);
void register_max_speculative_overhead(CheckRegistry& registry);
void register_max_retry_overhead(CheckRegistry& registry);  // and min_retry_overhead
void register_non_idempotent_never_repeated(CheckRegistry& registry);

}  // namespace routelab::checks::builtin
