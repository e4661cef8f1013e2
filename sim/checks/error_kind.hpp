#pragma once
// How a request ended, as the checks and the results name it: "none" for success, else
// the kind of error. Server errors are told apart by their protocol code (spec §8); the
// driver's own endings (client timeout, no host, lost connection) have kinds of their own.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "driver/session/request_history.hpp"

namespace routelab::checks {

enum class ErrorKind : std::uint8_t {
    none,              // the request succeeded
    timeout,           // the client-side timeout fired first
    unavailable,       // 0x1000
    overloaded,        // 0x1001
    read_timeout,      // 0x1200
    write_timeout,     // 0x1100
    read_failure,      // 0x1300
    write_failure,     // 0x1500
    no_host,           // no target of the plan could take the request
    connection_lost,   // the connection died under the last attempt
    server_error,      // 0x0000
    is_bootstrapping,  // 0x1002
    unprepared,        // 0x2500 (after the one re-prepare)
    other,             // any other error code
};
inline constexpr std::size_t error_kind_count = 14;

std::string_view to_string(ErrorKind kind);
std::optional<ErrorKind> error_kind_from_name(std::string_view name);
// Every kind but `none`, in declaration order (for messages and parameter checks).
std::span<const std::string_view> error_kind_names();

ErrorKind error_kind_of(driver::RequestOutcome outcome, std::int32_t error_code);

}  // namespace routelab::checks
