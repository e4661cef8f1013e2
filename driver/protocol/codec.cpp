// Frame-level encoding and decoding: the header, the optional body prefixes the flags
// announce, and dispatch to the per-message body codecs.
#include "driver/protocol/codec.hpp"

#include <string>
#include <utility>

namespace routelab::cql {

namespace {

std::uint8_t flags_of(const FrameExtras* extras, bool response) {
    if (extras == nullptr) return 0;
    std::uint8_t flags = 0;
    if (response ? extras->tracing_id.has_value() : extras->tracing_requested) flags |= frame_flags::tracing;
    if (extras->custom_payload) flags |= frame_flags::custom_payload;
    if (response && !extras->warnings.empty()) flags |= frame_flags::warning;
    return flags;
}

// Reads the prefixes the flags announce, in the order the spec gives for responses:
// tracing id, warnings, custom payload. Requests only carry the custom payload.
bool read_prefixes(ByteReader& r, std::uint8_t flags, bool response, FrameExtras* extras) {
    if (flags & frame_flags::compression) {
        r.fail("an uncompressed body (decompress the frame before decoding it)");
        return false;
    }
    FrameExtras scratch;
    FrameExtras& e = extras != nullptr ? *extras : scratch;
    e = FrameExtras{};
    if (response) {
        if (flags & frame_flags::tracing) e.tracing_id = r.uuid();
        if (flags & frame_flags::warning) e.warnings = r.string_list();
    } else {
        e.tracing_requested = (flags & frame_flags::tracing) != 0;
    }
    if (flags & frame_flags::custom_payload) e.custom_payload = r.bytes_map();
    return !r.failed();
}

// Checks a frame can be decoded at all: version 3 or 4 and the expected direction.
bool check_header(ByteReader& r, const FrameHeader& h, bool response) {
    const int version = h.protocol_version();
    if (version < 3 || version > 4) {
        r.fail("a protocol version 3 or 4 frame, got version " + std::to_string(version));
        return false;
    }
    if (h.is_response() != response) {
        r.fail(std::string(response ? "a response frame (direction bit set)" : "a request frame (direction bit clear)") +
               ", got version byte " + std::to_string(h.version));
        return false;
    }
    return true;
}

bool is_request_opcode(Opcode op) {
    switch (op) {
        case Opcode::startup: case Opcode::options: case Opcode::query: case Opcode::prepare:
        case Opcode::execute: case Opcode::register_events: case Opcode::batch: case Opcode::auth_response: return true;
        default: return false;
    }
}

std::string opcode_text(Opcode op) {
    const auto code = static_cast<unsigned>(op);
    static constexpr char hex[] = "0123456789abcdef";
    std::string s = "0x";
    s.push_back(hex[(code >> 4) & 0xF]);
    s.push_back(hex[code & 0xF]);
    return s + " (" + opcode_name(op) + ")";
}

template <typename T>
Decoded<T> finish(ByteReader& r, T value, Opcode opcode) {
    if (!r.failed() && !r.at_end())
        r.fail(std::string("the end of the ") + opcode_name(opcode) + " body, " + std::to_string(r.remaining()) + " bytes left");
    if (r.failed()) return r.error();
    return value;
}

}  // namespace

namespace detail {

std::size_t begin_frame(std::vector<std::uint8_t>& out, const FrameExtras* extras, bool response) {
    const std::size_t start = out.size();
    out.resize(start + header_size);
    if (extras == nullptr) return start;
    ByteWriter w(out);
    if (response) {
        if (extras->tracing_id) w.uuid(*extras->tracing_id);
        if (!extras->warnings.empty()) w.string_list(extras->warnings);
    }
    if (extras->custom_payload) w.bytes_map(*extras->custom_payload);
    return start;
}

void end_frame(std::vector<std::uint8_t>& out, std::size_t start, std::uint8_t version_byte, std::int16_t stream,
               Opcode opcode, const FrameExtras* extras, bool response) {
    const std::size_t body = out.size() - start - header_size;
    invariant(body <= spec_max_body_bytes, "a frame body fits the 256 MB protocol limit");
    FrameHeader h;
    h.version = version_byte;
    h.flags = flags_of(extras, response);
    h.stream = stream;
    h.opcode = opcode;
    h.length = static_cast<std::uint32_t>(body);
    encode_header(h, out.data() + start);
}

}  // namespace detail

Opcode opcode_of(const Request& request) {
    return std::visit([](const auto& m) { return opcode_for<std::decay_t<decltype(m)>>(); }, request);
}

Opcode opcode_of(const Response& response) {
    return std::visit([](const auto& m) { return opcode_for<std::decay_t<decltype(m)>>(); }, response);
}

void encode_request(std::vector<std::uint8_t>& out, std::int16_t stream, const Request& request, std::uint8_t version,
                    const FrameExtras* extras) {
    std::visit([&](const auto& m) { encode_request(out, stream, m, version, extras); }, request);
}

void encode_response(std::vector<std::uint8_t>& out, std::int16_t stream, const Response& response, std::uint8_t version,
                     const FrameExtras* extras) {
    std::visit([&](const auto& m) { encode_response(out, stream, m, version, extras); }, response);
}

Decoded<Request> decode_request(const Frame& frame, FrameExtras* extras) {
    ByteReader r(frame.body);
    if (!check_header(r, frame.header, false)) return r.error();
    if (!is_request_opcode(frame.header.opcode)) return DecodeError{0, "a request opcode, got " + opcode_text(frame.header.opcode)};
    if (!read_prefixes(r, frame.header.flags, false, extras)) return r.error();
    Request request = read_request_body(r, frame.header.opcode, frame.header.protocol_version());
    return finish(r, std::move(request), frame.header.opcode);
}

Decoded<Response> decode_response(const Frame& frame, FrameExtras* extras, const DecodeOptions& options) {
    ByteReader r(frame.body);
    if (!check_header(r, frame.header, true)) return r.error();
    if (!is_known_opcode(static_cast<std::uint8_t>(frame.header.opcode)) || is_request_opcode(frame.header.opcode))
        return DecodeError{0, "a response opcode, got " + opcode_text(frame.header.opcode)};
    if (!read_prefixes(r, frame.header.flags, true, extras)) return r.error();
    Response response = read_response_body(r, frame.header.opcode, frame.header.protocol_version(), options);
    return finish(r, std::move(response), frame.header.opcode);
}

Decoded<WithExtras<Request>> decode_request_with_extras(const Frame& frame) {
    FrameExtras extras;
    auto request = decode_request(frame, &extras);
    if (!request.ok()) return request.error();
    return WithExtras<Request>{std::move(*request), std::move(extras)};
}

Decoded<WithExtras<Response>> decode_response_with_extras(const Frame& frame, const DecodeOptions& options) {
    FrameExtras extras;
    auto response = decode_response(frame, &extras, options);
    if (!response.ok()) return response.error();
    return WithExtras<Response>{std::move(*response), std::move(extras)};
}

}  // namespace routelab::cql
