#pragma once
// Messages to frames and back. Sans-IO: bytes in, messages out; no sockets, clock or
// callbacks. Encoding appends one whole frame (header + body) to a caller-owned buffer.
// Decoding never throws on malformed input: it returns a DecodeError with the byte offset
// within the frame body and what was expected there.
#include <cstdint>
#include <vector>

#include "driver/protocol/decode_error.hpp"
#include "driver/protocol/frame.hpp"
#include "driver/protocol/messages.hpp"

namespace routelab::cql {

constexpr std::uint8_t default_protocol_version = 4;

void encode_request(std::vector<std::uint8_t>& out, std::int16_t stream, const Request& request,
                    std::uint8_t version = default_protocol_version);
void encode_response(std::vector<std::uint8_t>& out, std::int16_t stream, const Response& response,
                     std::uint8_t version = default_protocol_version);

Decoded<Request> decode_request(const Frame& frame);
Decoded<Response> decode_response(const Frame& frame);

// Pieces shared with other encoders/decoders (e.g. BATCH, events).
void write_query_parameters(class ByteWriter& w, const QueryParameters& p);
QueryParameters read_query_parameters(ByteReader& r);
void write_column_type(class ByteWriter& w, const ColumnType& t);
ColumnType read_column_type(ByteReader& r, int depth = 0);
void write_rows_metadata(class ByteWriter& w, const RowsMetadata& m);
RowsMetadata read_rows_metadata(ByteReader& r);

}  // namespace routelab::cql
