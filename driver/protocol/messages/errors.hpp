#pragma once
// ERROR bodies: <code><message> and the code-specific tail (v4 layouts).
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "driver/protocol/primitives.hpp"

namespace routelab::cql {

namespace error_codes {
constexpr std::int32_t server_error = 0x0000;
constexpr std::int32_t protocol_error = 0x000A;
constexpr std::int32_t bad_credentials = 0x0100;
constexpr std::int32_t unavailable = 0x1000;
constexpr std::int32_t overloaded = 0x1001;
constexpr std::int32_t is_bootstrapping = 0x1002;
constexpr std::int32_t truncate_error = 0x1003;
constexpr std::int32_t write_timeout = 0x1100;
constexpr std::int32_t read_timeout = 0x1200;
constexpr std::int32_t read_failure = 0x1300;
constexpr std::int32_t function_failure = 0x1400;
constexpr std::int32_t write_failure = 0x1500;
constexpr std::int32_t cdc_write_failure = 0x1600;
constexpr std::int32_t syntax_error = 0x2000;
constexpr std::int32_t unauthorized = 0x2100;
constexpr std::int32_t invalid = 0x2200;
constexpr std::int32_t config_error = 0x2300;
constexpr std::int32_t already_exists = 0x2400;
constexpr std::int32_t unprepared = 0x2500;
// ScyllaDB's rate-limit error. The server advertises the code (SCYLLA_RATE_LIMIT_ERROR
// ERROR_CODE=...); this is the value ScyllaDB uses today.
constexpr std::int32_t scylla_rate_limit = 0xF000;
}  // namespace error_codes

namespace error_detail {
struct Unavailable {
    Consistency consistency = Consistency::one;
    std::int32_t required = 0;
    std::int32_t alive = 0;
    bool operator==(const Unavailable&) const = default;
};
struct WriteTimeout {
    Consistency consistency = Consistency::one;
    std::int32_t received = 0;
    std::int32_t block_for = 0;
    std::string write_type;              // SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG, CAS, VIEW, CDC
    bool operator==(const WriteTimeout&) const = default;
};
struct ReadTimeout {
    Consistency consistency = Consistency::one;
    std::int32_t received = 0;
    std::int32_t block_for = 0;
    bool data_present = false;
    bool operator==(const ReadTimeout&) const = default;
};
struct ReadFailure {
    Consistency consistency = Consistency::one;
    std::int32_t received = 0;
    std::int32_t block_for = 0;
    std::int32_t failures = 0;
    bool data_present = false;
    bool operator==(const ReadFailure&) const = default;
};
struct WriteFailure {
    Consistency consistency = Consistency::one;
    std::int32_t received = 0;
    std::int32_t block_for = 0;
    std::int32_t failures = 0;
    std::string write_type;
    bool operator==(const WriteFailure&) const = default;
};
struct FunctionFailure {
    std::string keyspace;
    std::string function;
    std::vector<std::string> argument_types;
    bool operator==(const FunctionFailure&) const = default;
};
struct AlreadyExists {
    std::string keyspace;
    std::string table;                   // empty for a keyspace
    bool operator==(const AlreadyExists&) const = default;
};
struct Unprepared {
    Bytes id;
    bool operator==(const Unprepared&) const = default;
};
enum class RateLimitOperation : std::uint8_t { read = 0, write = 1 };
struct RateLimit {
    RateLimitOperation operation = RateLimitOperation::read;
    bool rejected_by_coordinator = false;
    bool operator==(const RateLimit&) const = default;
};
// Bytes after the message for a code without a known tail, kept so nothing is lost.
struct Opaque {
    Bytes tail;
    bool operator==(const Opaque&) const = default;
};
}  // namespace error_detail

using ErrorDetail = std::variant<std::monostate, error_detail::Unavailable, error_detail::WriteTimeout,
                                 error_detail::ReadTimeout, error_detail::ReadFailure, error_detail::WriteFailure,
                                 error_detail::FunctionFailure, error_detail::AlreadyExists, error_detail::Unprepared,
                                 error_detail::RateLimit, error_detail::Opaque>;

// The detail must match the code (e.g. Unavailable only with code 0x1000); the encoder
// asserts it.
struct Error {
    std::int32_t code = error_codes::server_error;
    std::string message;
    ErrorDetail detail;
    bool operator==(const Error&) const = default;
};

}  // namespace routelab::cql
