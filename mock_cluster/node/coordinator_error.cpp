#include "mock_cluster/node/coordinator_error.hpp"

namespace routelab::cluster {

namespace wire = routelab::cql;

namespace {

const char* write_type_name(WriteType type) {
    switch (type) {
        case WriteType::simple: return "SIMPLE";
        case WriteType::batch: return "BATCH";
        case WriteType::unlogged_batch: return "UNLOGGED_BATCH";
        case WriteType::cas: return "CAS";
    }
    return "SIMPLE";
}

wire::Consistency to_wire(Consistency cl) { return static_cast<wire::Consistency>(cl); }

}  // namespace

wire::Error coordinator_error(const CoordinatorResult& r) {
    using S = CoordinatorResult::Status;
    const std::string cl(consistency_name(r.consistency));
    switch (r.status) {
        case S::unavailable:
            return {wire::error_codes::unavailable, "Cannot achieve consistency level " + cl,
                    wire::error_detail::Unavailable{to_wire(r.consistency), r.required, r.alive}};
        case S::read_timeout:
            return {wire::error_codes::read_timeout,
                    "Operation timed out - received only " + std::to_string(r.received) + " responses.",
                    wire::error_detail::ReadTimeout{to_wire(r.consistency), r.received, r.required, r.received > 0}};
        case S::write_timeout:
            return {wire::error_codes::write_timeout,
                    "Operation timed out - received only " + std::to_string(r.received) + " responses.",
                    wire::error_detail::WriteTimeout{to_wire(r.consistency), r.received, r.required, write_type_name(r.write_type)}};
        case S::overloaded: return {wire::error_codes::overloaded, "Too many in flight hints or requests", {}};
        case S::server_error: return {wire::error_codes::server_error, "injected server error", {}};
        case S::read_failure:
            return {wire::error_codes::read_failure, "Operation failed - received 0 responses and 1 failures",
                    wire::error_detail::ReadFailure{to_wire(r.consistency), r.received, r.required, 1, false}};
        case S::write_failure:
            return {wire::error_codes::write_failure, "Operation failed - received 0 responses and 1 failures",
                    wire::error_detail::WriteFailure{to_wire(r.consistency), r.received, r.required, 1, write_type_name(r.write_type)}};
        case S::ok: break;
    }
    return {wire::error_codes::server_error, "unexpected coordinator status", {}};
}


}  // namespace routelab::cluster
