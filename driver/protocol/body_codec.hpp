#pragma once
// Per-message body writers and readers, shared by the frame-level codec (codec.hpp) and
// by anything that embeds protocol structures (e.g. events, BATCH). `version` is the
// protocol version (3 or 4); layouts differ only where noted in the .cpp files.
#include <cstdint>

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/byte_writer.hpp"
#include "driver/protocol/messages.hpp"

namespace routelab::cql {

// Options a decoder needs beyond the bytes, fixed per connection.
struct DecodeOptions {
    // The code ScyllaDB announced for its rate-limit error (SCYLLA_RATE_LIMIT_ERROR).
    std::int32_t rate_limit_error_code = error_codes::scylla_rate_limit;
};

// ---- requests ----
void write_body(ByteWriter& w, const Startup& m, int version);
void write_body(ByteWriter& w, const Options& m, int version);
void write_body(ByteWriter& w, const Query& m, int version);
void write_body(ByteWriter& w, const Prepare& m, int version);
void write_body(ByteWriter& w, const Execute& m, int version);
void write_body(ByteWriter& w, const Batch& m, int version);
void write_body(ByteWriter& w, const Register& m, int version);
void write_body(ByteWriter& w, const AuthResponse& m, int version);
void write_body(ByteWriter& w, const Request& m, int version);
// Reads the body of a request with the given opcode; the caller has checked it is one.
Request read_request_body(ByteReader& r, Opcode opcode, int version);

// ---- responses ----
void write_body(ByteWriter& w, const Error& m, int version);
void write_body(ByteWriter& w, const Ready& m, int version);
void write_body(ByteWriter& w, const Authenticate& m, int version);
void write_body(ByteWriter& w, const Supported& m, int version);
void write_body(ByteWriter& w, const VoidResult& m, int version);
void write_body(ByteWriter& w, const RowsResult& m, int version);
void write_body(ByteWriter& w, const SetKeyspaceResult& m, int version);
void write_body(ByteWriter& w, const PreparedResult& m, int version);
void write_body(ByteWriter& w, const SchemaChangeResult& m, int version);
void write_body(ByteWriter& w, const Result& m, int version);
void write_body(ByteWriter& w, const AuthChallenge& m, int version);
void write_body(ByteWriter& w, const AuthSuccess& m, int version);
void write_body(ByteWriter& w, const Event& m, int version);
void write_body(ByteWriter& w, const Response& m, int version);
Response read_response_body(ByteReader& r, Opcode opcode, int version, const DecodeOptions& options);

// ---- pieces ----
void write_query_parameters(ByteWriter& w, const QueryParameters& p, int version = 4);
QueryParameters read_query_parameters(ByteReader& r, int version = 4);
void write_column_type(ByteWriter& w, const ColumnType& t);
ColumnType read_column_type(ByteReader& r, int depth = 0);
void write_rows_metadata(ByteWriter& w, const RowsMetadata& m);
RowsMetadata read_rows_metadata(ByteReader& r);
void write_prepared_metadata(ByteWriter& w, const PreparedMetadata& m, int version);
PreparedMetadata read_prepared_metadata(ByteReader& r, int version);
void write_schema_change(ByteWriter& w, const SchemaChange& c);
SchemaChange read_schema_change(ByteReader& r);
Error read_error(ByteReader& r, const DecodeOptions& options);

}  // namespace routelab::cql
