#include "driver/protocol/frame.hpp"

#include <string>

namespace routelab::cql {

const char* opcode_name(Opcode op) {
    switch (op) {
        case Opcode::error: return "ERROR";
        case Opcode::startup: return "STARTUP";
        case Opcode::ready: return "READY";
        case Opcode::authenticate: return "AUTHENTICATE";
        case Opcode::options: return "OPTIONS";
        case Opcode::supported: return "SUPPORTED";
        case Opcode::query: return "QUERY";
        case Opcode::result: return "RESULT";
        case Opcode::prepare: return "PREPARE";
        case Opcode::execute: return "EXECUTE";
        case Opcode::register_events: return "REGISTER";
        case Opcode::event: return "EVENT";
        case Opcode::batch: return "BATCH";
        case Opcode::auth_challenge: return "AUTH_CHALLENGE";
        case Opcode::auth_response: return "AUTH_RESPONSE";
        case Opcode::auth_success: return "AUTH_SUCCESS";
    }
    return "UNKNOWN";
}

bool is_known_opcode(std::uint8_t op) { return op <= 0x10 && op != 0x04; }

void encode_header(const FrameHeader& h, std::uint8_t* out) {
    out[0] = h.version;
    out[1] = h.flags;
    const auto stream = static_cast<std::uint16_t>(h.stream);
    out[2] = static_cast<std::uint8_t>(stream >> 8);
    out[3] = static_cast<std::uint8_t>(stream);
    out[4] = static_cast<std::uint8_t>(h.opcode);
    out[5] = static_cast<std::uint8_t>(h.length >> 24);
    out[6] = static_cast<std::uint8_t>(h.length >> 16);
    out[7] = static_cast<std::uint8_t>(h.length >> 8);
    out[8] = static_cast<std::uint8_t>(h.length);
}

FrameHeader decode_header(const std::uint8_t* in) {
    FrameHeader h;
    h.version = in[0];
    h.flags = in[1];
    h.stream = static_cast<std::int16_t>(static_cast<std::uint16_t>((in[2] << 8) | in[3]));
    h.opcode = static_cast<Opcode>(in[4]);
    h.length = (std::uint32_t{in[5]} << 24) | (std::uint32_t{in[6]} << 16) | (std::uint32_t{in[7]} << 8) | in[8];
    return h;
}

void FrameAssembler::feed(std::span<const std::uint8_t> bytes) {
    if (failed_) return;
    // Drop consumed bytes before growing, so the buffer holds at most one partial frame
    // plus what was just fed.
    if (consumed_ > 0) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
        base_offset_ += consumed_;
        consumed_ = 0;
    }
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void FrameAssembler::release_memory(std::size_t keep_bytes) {
    if (consumed_ > 0) {
        buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(consumed_));
        base_offset_ += consumed_;
        consumed_ = 0;
    }
    if (buffer_.capacity() > keep_bytes && buffer_.capacity() > 2 * buffer_.size()) buffer_.shrink_to_fit();
}

FrameAssembler::Status FrameAssembler::next(Frame& out) {
    if (failed_) return Status::error;
    const std::size_t available = buffer_.size() - consumed_;
    if (available < header_size) return Status::need_more;
    const FrameHeader h = decode_header(buffer_.data() + consumed_);
    // Checked on the header alone, before any body byte is buffered for it.
    if (h.length > max_body_) {
        failed_ = true;
        error_ = DecodeError{static_cast<std::size_t>(stream_offset() + 5),
                             "a frame body length <= " + std::to_string(max_body_) + ", got " + std::to_string(h.length)};
        return Status::error;
    }
    if (available - header_size < h.length) return Status::need_more;
    out.header = h;
    out.body = std::span<const std::uint8_t>(buffer_.data() + consumed_ + header_size, h.length);
    consumed_ += header_size + h.length;
    return Status::frame;
}

}  // namespace routelab::cql
