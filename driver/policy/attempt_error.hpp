#pragma once
// What went wrong with one attempt, as the retry and load-balancing policies need to
// know it: the error kind plus the fields of the server errors that carry any
// (protocol spec §8). The session classifies errors into this; policies never see frames.
#include <cstdint>

namespace routelab::driver {

enum class WriteType : std::uint8_t {
    simple, batch, unlogged_batch, counter, batch_log, cas, view, cdc,
};

enum class AttemptErrorKind : std::uint8_t {
    // Driver side, no server answer.
    broken_connection,       // the connection died with the request on it: it may have run
    no_stream_id,            // the connection had no free stream id: never sent
    connection_unavailable,  // no connection to the target: never sent
    // Server errors (protocol error codes in comments).
    server_error,            // 0x0000
    protocol_error,          // 0x000A
    bad_credentials,         // 0x0100
    unavailable,             // 0x1000: required, alive
    overloaded,              // 0x1001
    is_bootstrapping,        // 0x1002
    truncate_error,          // 0x1003
    write_timeout,           // 0x1100: received, block_for, write_type
    read_timeout,            // 0x1200: received, block_for, data_present
    read_failure,            // 0x1300
    function_failure,        // 0x1400
    write_failure,           // 0x1500
    cdc_write_failure,       // 0x1600
    cas_write_unknown,       // 0x1700
    syntax_error,            // 0x2000
    unauthorized,            // 0x2100
    invalid,                 // 0x2200
    config_error,            // 0x2300
    already_exists,          // 0x2400
    unprepared,              // 0x2500
    rate_limit_reached,      // ScyllaDB extension
    other,                   // an unknown code
};

struct AttemptError {
    AttemptErrorKind kind = AttemptErrorKind::server_error;
    std::uint16_t consistency = 1;  // the CL the server reports (or the request's)
    std::int32_t received = 0;      // unavailable: alive; timeouts: received acks
    std::int32_t block_for = 0;     // unavailable: required; timeouts: block_for
    bool data_present = false;      // read_timeout
    WriteType write_type = WriteType::simple;  // write_timeout
};

// Maps a CQL error code (and the fields that go with it) to an AttemptError.
AttemptError attempt_error_from_code(std::int32_t code);

}  // namespace routelab::driver
