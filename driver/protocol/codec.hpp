#pragma once
// Messages to frames and back. Sans-IO: bytes in, messages out; no sockets, clock or
// callbacks. Encoding appends one whole frame (header + body) to a caller-owned buffer,
// which is reused, so once it has grown the steady state allocates nothing. Decoding
// never throws on malformed input: it returns a DecodeError with the byte offset within
// the frame body and what was expected there.
//
// Compressed frames must be decompressed first (compression.hpp); the decoders refuse a
// body whose compression flag is still set.
#include <cstdint>
#include <vector>

#include "driver/protocol/body_codec.hpp"
#include "driver/protocol/byte_writer.hpp"
#include "driver/protocol/decode_error.hpp"
#include "driver/protocol/frame.hpp"
#include "driver/protocol/messages.hpp"

namespace routelab::cql {

constexpr std::uint8_t default_protocol_version = 4;

template <typename M>
constexpr Opcode opcode_for() {
    if constexpr (std::is_same_v<M, Startup>) return Opcode::startup;
    else if constexpr (std::is_same_v<M, Options>) return Opcode::options;
    else if constexpr (std::is_same_v<M, Query>) return Opcode::query;
    else if constexpr (std::is_same_v<M, Prepare>) return Opcode::prepare;
    else if constexpr (std::is_same_v<M, Execute>) return Opcode::execute;
    else if constexpr (std::is_same_v<M, Batch>) return Opcode::batch;
    else if constexpr (std::is_same_v<M, Register>) return Opcode::register_events;
    else if constexpr (std::is_same_v<M, AuthResponse>) return Opcode::auth_response;
    else if constexpr (std::is_same_v<M, Error>) return Opcode::error;
    else if constexpr (std::is_same_v<M, Ready>) return Opcode::ready;
    else if constexpr (std::is_same_v<M, Authenticate>) return Opcode::authenticate;
    else if constexpr (std::is_same_v<M, Supported>) return Opcode::supported;
    else if constexpr (std::is_same_v<M, AuthChallenge>) return Opcode::auth_challenge;
    else if constexpr (std::is_same_v<M, AuthSuccess>) return Opcode::auth_success;
    else if constexpr (std::is_same_v<M, Event>) return Opcode::event;
    else return Opcode::result;  // Result and its alternatives
}

namespace detail {
// Reserves the header and writes the prefixes `extras` announces; returns the frame start.
std::size_t begin_frame(std::vector<std::uint8_t>& out, const FrameExtras* extras, bool response);
// Fills in the header once the body is written.
void end_frame(std::vector<std::uint8_t>& out, std::size_t start, std::uint8_t version_byte, std::int16_t stream,
               Opcode opcode, const FrameExtras* extras, bool response);
}  // namespace detail

// One message type at a time: no variant is built, so encoding a prepared EXECUTE into a
// warmed-up buffer allocates nothing. `version` is 3 or 4.
template <RequestMessage M>
void encode_request(std::vector<std::uint8_t>& out, std::int16_t stream, const M& message,
                    std::uint8_t version = default_protocol_version, const FrameExtras* extras = nullptr) {
    const std::size_t start = detail::begin_frame(out, extras, false);
    ByteWriter w(out);
    write_body(w, message, version & 0x7F);
    detail::end_frame(out, start, static_cast<std::uint8_t>(version & 0x7F), stream, opcode_for<M>(), extras, false);
}
template <ResponseMessage M>
void encode_response(std::vector<std::uint8_t>& out, std::int16_t stream, const M& message,
                     std::uint8_t version = default_protocol_version, const FrameExtras* extras = nullptr) {
    const std::size_t start = detail::begin_frame(out, extras, true);
    ByteWriter w(out);
    write_body(w, message, version & 0x7F);
    detail::end_frame(out, start, static_cast<std::uint8_t>(version | response_bit), stream, opcode_for<M>(), extras, true);
}

// Variant forms.
void encode_request(std::vector<std::uint8_t>& out, std::int16_t stream, const Request& request,
                    std::uint8_t version = default_protocol_version, const FrameExtras* extras = nullptr);
void encode_response(std::vector<std::uint8_t>& out, std::int16_t stream, const Response& response,
                     std::uint8_t version = default_protocol_version, const FrameExtras* extras = nullptr);

// Decoders. The frame's version must be 3 or 4 and its direction bit must match. The
// optional prefixes (tracing id, warnings, custom payload) are parsed, and stored into
// `extras` when given.
Decoded<Request> decode_request(const Frame& frame, FrameExtras* extras = nullptr);
Decoded<Response> decode_response(const Frame& frame, FrameExtras* extras = nullptr, const DecodeOptions& options = {});

// A decoded message together with the prefixes its frame's flags announced.
template <typename M>
struct WithExtras {
    M message;
    FrameExtras extras;
    bool operator==(const WithExtras&) const = default;
};

// The same decoders, returning the extras by value (tracing id, warnings and the custom
// payload — e.g. ScyllaDB's tablets-routing-v1 or a sticky proxy's session key).
Decoded<WithExtras<Request>> decode_request_with_extras(const Frame& frame);
Decoded<WithExtras<Response>> decode_response_with_extras(const Frame& frame, const DecodeOptions& options = {});

}  // namespace routelab::cql
