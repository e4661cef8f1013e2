#pragma once
// Protocol v3/v4 framing: the 9-byte header and a reassembler that turns a byte stream,
// split any way at all, into whole frames.
#include <cstdint>
#include <span>
#include <vector>

#include "driver/protocol/decode_error.hpp"

namespace routelab::cql {

enum class Opcode : std::uint8_t {
    error = 0x00, startup = 0x01, ready = 0x02, authenticate = 0x03, options = 0x05,
    supported = 0x06, query = 0x07, result = 0x08, prepare = 0x09, execute = 0x0A,
    register_events = 0x0B, event = 0x0C, batch = 0x0D, auth_challenge = 0x0E,
    auth_response = 0x0F, auth_success = 0x10,
};
const char* opcode_name(Opcode op);
bool is_known_opcode(std::uint8_t op);

namespace frame_flags {
constexpr std::uint8_t compression = 0x01;
constexpr std::uint8_t tracing = 0x02;
constexpr std::uint8_t custom_payload = 0x04;
constexpr std::uint8_t warning = 0x08;
constexpr std::uint8_t use_beta = 0x10;
}  // namespace frame_flags

constexpr std::size_t header_size = 9;
constexpr std::uint8_t response_bit = 0x80;
constexpr std::uint32_t spec_max_body_bytes = 256u * 1024u * 1024u;
constexpr std::int16_t event_stream_id = -1;

struct FrameHeader {
    std::uint8_t version = 4;      // with the direction bit: 0x04 request, 0x84 response
    std::uint8_t flags = 0;
    std::int16_t stream = 0;
    Opcode opcode = Opcode::error;
    std::uint32_t length = 0;      // body bytes

    int protocol_version() const { return version & 0x7F; }
    bool is_response() const { return (version & response_bit) != 0; }
    bool operator==(const FrameHeader&) const = default;
};

void encode_header(const FrameHeader& header, std::uint8_t* out);
// Decodes the raw header bytes; the opcode byte is kept as-is (check is_known_opcode).
FrameHeader decode_header(const std::uint8_t* in);

struct Frame {
    FrameHeader header;
    std::span<const std::uint8_t> body;   // valid until the next feed()
};

class FrameAssembler {
public:
    enum class Status { need_more, frame, error };

    explicit FrameAssembler(std::uint32_t max_body_bytes = spec_max_body_bytes) : max_body_(max_body_bytes) {}

    void feed(std::span<const std::uint8_t> bytes);
    // Yields the next complete frame, `need_more`, or a framing error (after which the
    // assembler stays failed: the connection must answer with a protocol error and close).
    Status next(Frame& out);
    const DecodeError& error() const { return error_; }
    // Bytes buffered but not yet returned as frames.
    std::size_t buffered() const { return buffer_.size() - consumed_; }
    // Offset in the whole stream of the next unconsumed byte.
    std::uint64_t stream_offset() const { return base_offset_ + consumed_; }
    // Drops the frames returned so far (their bodies become invalid) and gives back the
    // buffer's memory if it grew past `keep_bytes` for a large frame: a long-lived
    // connection must not keep the size of the largest frame it ever received.
    void release_memory(std::size_t keep_bytes = 256 * 1024);

private:
    std::uint32_t max_body_;
    std::vector<std::uint8_t> buffer_;
    std::size_t consumed_ = 0;
    std::uint64_t base_offset_ = 0;     // stream offset of buffer_[0]
    bool failed_ = false;
    DecodeError error_;
};

}  // namespace routelab::cql
