#include "sim/checks/error_kind.hpp"

#include <array>

namespace routelab::checks {

namespace {

constexpr std::array<std::string_view, error_kind_count> names{
    "none",          "timeout",         "unavailable",  "overloaded",       "read_timeout", "write_timeout", "read_failure",
    "write_failure", "no_host",         "connection_lost", "server_error", "is_bootstrapping", "unprepared", "other",
};

}  // namespace

std::string_view to_string(ErrorKind kind) { return names[static_cast<std::size_t>(kind)]; }

std::optional<ErrorKind> error_kind_from_name(std::string_view name) {
    for (std::size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<ErrorKind>(i);
    return std::nullopt;
}

std::span<const std::string_view> error_kind_names() { return std::span<const std::string_view>(names).subspan(1); }

ErrorKind error_kind_of(driver::RequestOutcome outcome, std::int32_t error_code) {
    switch (outcome) {
        case driver::RequestOutcome::ok: return ErrorKind::none;
        case driver::RequestOutcome::timeout: return ErrorKind::timeout;
        case driver::RequestOutcome::no_host_available: return ErrorKind::no_host;
        case driver::RequestOutcome::connection_lost: return ErrorKind::connection_lost;
        case driver::RequestOutcome::server_error: break;
    }
    switch (error_code) {
        case 0x0000: return ErrorKind::server_error;
        case 0x1000: return ErrorKind::unavailable;
        case 0x1001: return ErrorKind::overloaded;
        case 0x1002: return ErrorKind::is_bootstrapping;
        case 0x1100: return ErrorKind::write_timeout;
        case 0x1200: return ErrorKind::read_timeout;
        case 0x1300: return ErrorKind::read_failure;
        case 0x1500: return ErrorKind::write_failure;
        case 0x2500: return ErrorKind::unprepared;
        default: return ErrorKind::other;
    }
}

}  // namespace routelab::checks
