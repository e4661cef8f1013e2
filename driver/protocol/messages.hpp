#pragma once
// One plain struct per message body. Requests and responses are variants of them; the
// codec turns them into bytes and back. Every struct compares with ==, which the
// round-trip properties rely on.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/frame.hpp"
#include "driver/protocol/types.hpp"

namespace routelab::cql {

// [consistency] codes.
enum class Consistency : std::uint16_t {
    any = 0, one = 1, two = 2, three = 3, quorum = 4, all = 5, local_quorum = 6,
    each_quorum = 7, serial = 8, local_serial = 9, local_one = 10,
};

// A bound [value]: bytes, null (-1) or not set (-2, v4+).
struct Value {
    enum class Kind : std::uint8_t { bytes, null, not_set } kind = Kind::bytes;
    Bytes bytes;
    bool operator==(const Value&) const = default;
    static Value of(Bytes b) { return Value{Kind::bytes, std::move(b)}; }
    static Value null() { return Value{Kind::null, {}}; }
    static Value not_set() { return Value{Kind::not_set, {}}; }
};

namespace query_flags {
constexpr std::uint8_t values = 0x01;
constexpr std::uint8_t skip_metadata = 0x02;
constexpr std::uint8_t page_size = 0x04;
constexpr std::uint8_t paging_state = 0x08;
constexpr std::uint8_t serial_consistency = 0x10;
constexpr std::uint8_t default_timestamp = 0x20;
constexpr std::uint8_t names_for_values = 0x40;
}  // namespace query_flags

struct QueryParameters {
    Consistency consistency = Consistency::one;
    std::vector<Value> values;
    std::vector<std::string> value_names;        // non-empty: values are named
    bool skip_metadata = false;
    std::optional<std::int32_t> page_size;
    std::optional<Bytes> paging_state;
    std::optional<Consistency> serial_consistency;
    std::optional<std::int64_t> default_timestamp_us;
    bool operator==(const QueryParameters&) const = default;
};

// ---- requests ----
struct Startup {
    std::map<std::string, std::string> options;  // CQL_VERSION, COMPRESSION, ...
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
struct Register {
    std::vector<std::string> event_types;
    bool operator==(const Register&) const = default;
};
struct AuthResponse {
    std::optional<Bytes> token;
    bool operator==(const AuthResponse&) const = default;
};

using Request = std::variant<Startup, Options, Query, Prepare, Execute, Register, AuthResponse>;

// ---- responses ----
struct ColumnSpec {
    std::string keyspace;
    std::string table;
    std::string name;
    ColumnType type;
    bool operator==(const ColumnSpec&) const = default;
};

struct RowsMetadata {
    bool no_metadata = false;            // columns omitted (the request had skip_metadata)
    std::int32_t column_count = 0;
    std::optional<Bytes> paging_state;   // present: more pages
    std::vector<ColumnSpec> columns;     // empty when no_metadata
    bool operator==(const RowsMetadata&) const = default;
};

struct PreparedMetadata {
    std::vector<std::uint16_t> pk_indexes;
    std::vector<ColumnSpec> columns;     // one per bind marker
    bool lwt = false;                    // ScyllaDB's LWT mark (bit 31 of the flags)
    bool operator==(const PreparedMetadata&) const = default;
};

using Row = std::vector<std::optional<Bytes>>;

struct VoidResult {
    bool operator==(const VoidResult&) const = default;
};
struct RowsResult {
    RowsMetadata metadata;
    std::vector<Row> rows;
    bool operator==(const RowsResult&) const = default;
};
struct SetKeyspaceResult {
    std::string keyspace;
    bool operator==(const SetKeyspaceResult&) const = default;
};
struct PreparedResult {
    Bytes id;
    PreparedMetadata metadata;
    RowsMetadata result_metadata;
    bool operator==(const PreparedResult&) const = default;
};
struct SchemaChange {
    std::string change_type;             // CREATED, UPDATED, DROPPED
    std::string target;                  // KEYSPACE, TABLE, TYPE, FUNCTION, AGGREGATE
    std::string keyspace;
    std::string name;                    // table/type/function name; empty for KEYSPACE
    std::vector<std::string> argument_types;  // FUNCTION/AGGREGATE
    bool operator==(const SchemaChange&) const = default;
};
struct SchemaChangeResult {
    SchemaChange change;
    bool operator==(const SchemaChangeResult&) const = default;
};

using Result = std::variant<VoidResult, RowsResult, SetKeyspaceResult, PreparedResult, SchemaChangeResult>;

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
constexpr std::int32_t syntax_error = 0x2000;
constexpr std::int32_t unauthorized = 0x2100;
constexpr std::int32_t invalid = 0x2200;
constexpr std::int32_t config_error = 0x2300;
constexpr std::int32_t already_exists = 0x2400;
constexpr std::int32_t unprepared = 0x2500;
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
    std::string write_type;              // SIMPLE, BATCH, UNLOGGED_BATCH, COUNTER, BATCH_LOG, CAS, ...
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
}  // namespace error_detail

struct Error {
    std::int32_t code = error_codes::server_error;
    std::string message;
    std::variant<std::monostate, error_detail::Unavailable, error_detail::WriteTimeout, error_detail::ReadTimeout,
                 error_detail::ReadFailure, error_detail::WriteFailure, error_detail::FunctionFailure,
                 error_detail::AlreadyExists, error_detail::Unprepared>
        detail;
    bool operator==(const Error&) const = default;
};

struct Ready {
    bool operator==(const Ready&) const = default;
};
struct Authenticate {
    std::string authenticator;
    bool operator==(const Authenticate&) const = default;
};
struct Supported {
    std::map<std::string, std::vector<std::string>> options;
    bool operator==(const Supported&) const = default;
};
struct AuthChallenge {
    std::optional<Bytes> token;
    bool operator==(const AuthChallenge&) const = default;
};
struct AuthSuccess {
    std::optional<Bytes> token;
    bool operator==(const AuthSuccess&) const = default;
};

using Response = std::variant<Error, Ready, Authenticate, Supported, Result, AuthChallenge, AuthSuccess>;

Opcode opcode_of(const Request& request);
Opcode opcode_of(const Response& response);

}  // namespace routelab::cql
