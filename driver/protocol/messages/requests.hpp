#pragma once
// Request bodies (client -> server): STARTUP, OPTIONS, QUERY, PREPARE, EXECUTE, BATCH,
// REGISTER, AUTH_RESPONSE.
#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "driver/protocol/primitives.hpp"

namespace routelab::cql {

namespace query_flags {
constexpr std::uint8_t values = 0x01;
constexpr std::uint8_t skip_metadata = 0x02;
constexpr std::uint8_t page_size = 0x04;
constexpr std::uint8_t paging_state = 0x08;
constexpr std::uint8_t serial_consistency = 0x10;
constexpr std::uint8_t default_timestamp = 0x20;
constexpr std::uint8_t names_for_values = 0x40;
}  // namespace query_flags

// The <query_parameters> shared by QUERY and EXECUTE. Flags are derived from which
// fields are set, so a decoded message re-encodes to the same bytes.
struct QueryParameters {
    Consistency consistency = Consistency::one;
    std::vector<Value> values;
    std::vector<std::string> value_names;        // non-empty: values are named (same count)
    bool skip_metadata = false;
    std::optional<std::int32_t> page_size;
    std::optional<Bytes> paging_state;
    std::optional<Consistency> serial_consistency;
    std::optional<std::int64_t> default_timestamp_us;
    bool operator==(const QueryParameters&) const = default;
};

struct Startup {
    StringMap options;  // CQL_VERSION, COMPRESSION, DRIVER_NAME, Scylla extensions, ...
    bool operator==(const Startup&) const = default;
};
struct Options {
    bool operator==(const Options&) const = default;
};
struct Query {
    std::string query;
    QueryParameters parameters;
    bool operator==(const Query&) const = default;
};
struct Prepare {
    std::string query;
    bool operator==(const Prepare&) const = default;
};
struct Execute {
    Bytes id;
    QueryParameters parameters;
    bool operator==(const Execute&) const = default;
};

enum class BatchType : std::uint8_t { logged = 0, unlogged = 1, counter = 2 };

namespace batch_flags {
constexpr std::uint8_t serial_consistency = 0x10;
constexpr std::uint8_t default_timestamp = 0x20;
constexpr std::uint8_t names_for_values = 0x40;
}  // namespace batch_flags

// One statement of a BATCH: query text (kind 0) or prepared id (kind 1) and its values.
struct BatchStatement {
    std::variant<std::string, Bytes> query_or_id;
    std::vector<Value> values;
    std::vector<std::string> value_names;  // the names flag is batch-wide: all or none have names
    bool operator==(const BatchStatement&) const = default;
};
struct Batch {
    BatchType type = BatchType::logged;
    std::vector<BatchStatement> statements;
    Consistency consistency = Consistency::one;
    std::optional<Consistency> serial_consistency;
    std::optional<std::int64_t> default_timestamp_us;
    bool operator==(const Batch&) const = default;
};

struct Register {
    std::vector<std::string> event_types;  // TOPOLOGY_CHANGE, STATUS_CHANGE, SCHEMA_CHANGE, CLIENT_ROUTES_CHANGE
    bool operator==(const Register&) const = default;
};
struct AuthResponse {
    std::optional<Bytes> token;
    bool operator==(const AuthResponse&) const = default;
};

using Request = std::variant<Startup, Options, Query, Prepare, Execute, Register, AuthResponse, Batch>;

}  // namespace routelab::cql
