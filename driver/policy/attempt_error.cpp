#include "driver/policy/attempt_error.hpp"

namespace routelab::driver {

AttemptError attempt_error_from_code(std::int32_t code) {
    AttemptError e;
    switch (code) {
        case 0x0000: e.kind = AttemptErrorKind::server_error; break;
        case 0x000A: e.kind = AttemptErrorKind::protocol_error; break;
        case 0x0100: e.kind = AttemptErrorKind::bad_credentials; break;
        case 0x1000: e.kind = AttemptErrorKind::unavailable; break;
        case 0x1001: e.kind = AttemptErrorKind::overloaded; break;
        case 0x1002: e.kind = AttemptErrorKind::is_bootstrapping; break;
        case 0x1003: e.kind = AttemptErrorKind::truncate_error; break;
        case 0x1100: e.kind = AttemptErrorKind::write_timeout; break;
        case 0x1200: e.kind = AttemptErrorKind::read_timeout; break;
        case 0x1300: e.kind = AttemptErrorKind::read_failure; break;
        case 0x1400: e.kind = AttemptErrorKind::function_failure; break;
        case 0x1500: e.kind = AttemptErrorKind::write_failure; break;
        case 0x1600: e.kind = AttemptErrorKind::cdc_write_failure; break;
        case 0x1700: e.kind = AttemptErrorKind::cas_write_unknown; break;
        case 0x2000: e.kind = AttemptErrorKind::syntax_error; break;
        case 0x2100: e.kind = AttemptErrorKind::unauthorized; break;
        case 0x2200: e.kind = AttemptErrorKind::invalid; break;
        case 0x2300: e.kind = AttemptErrorKind::config_error; break;
        case 0x2400: e.kind = AttemptErrorKind::already_exists; break;
        case 0x2500: e.kind = AttemptErrorKind::unprepared; break;
        default: e.kind = AttemptErrorKind::other; break;
    }
    return e;
}

}  // namespace routelab::driver
