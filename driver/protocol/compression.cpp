#include "driver/protocol/compression.hpp"

#include <lz4.h>

#include <algorithm>
#include <string>

#include "driver/protocol/invariant.hpp"

namespace routelab::cql {

namespace {

constexpr std::size_t length_prefix_bytes = 4;
// An LZ4 block cannot expand by more than 255x (one literal-length byte per 255 output
// bytes at best); a declared length above this bound is forged.
constexpr std::uint64_t lz4_max_ratio = 255;

}  // namespace

std::optional<Compression> compression_from_name(std::string_view name) {
    if (name.empty()) return Compression::none;
    if (name == "lz4") return Compression::lz4;
    return std::nullopt;
}

const char* compression_name(Compression c) { return c == Compression::lz4 ? "lz4" : ""; }

void compress_frame(Compression c, std::vector<std::uint8_t>& out, std::size_t frame_start,
                    std::vector<std::uint8_t>& scratch) {
    invariant(frame_start + header_size <= out.size(), "compress_frame: a whole frame starts at frame_start");
    if (c == Compression::none) return;
    const std::size_t body_start = frame_start + header_size;
    const std::size_t body_size = out.size() - body_start;
    if (body_size == 0) return;
    invariant(body_size <= static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE), "compress_frame: body within LZ4's input limit");
    const int bound = LZ4_compressBound(static_cast<int>(body_size));
    scratch.resize(static_cast<std::size_t>(bound));
    const int written = LZ4_compress_default(reinterpret_cast<const char*>(out.data() + body_start),
                                             reinterpret_cast<char*>(scratch.data()), static_cast<int>(body_size), bound);
    invariant(written > 0, "LZ4_compress_default succeeds with a compressBound-sized output");
    out.resize(body_start + length_prefix_bytes + static_cast<std::size_t>(written));
    const auto n = static_cast<std::uint32_t>(body_size);
    out[body_start] = static_cast<std::uint8_t>(n >> 24);
    out[body_start + 1] = static_cast<std::uint8_t>(n >> 16);
    out[body_start + 2] = static_cast<std::uint8_t>(n >> 8);
    out[body_start + 3] = static_cast<std::uint8_t>(n);
    std::copy(scratch.begin(), scratch.begin() + written, out.begin() + static_cast<std::ptrdiff_t>(body_start + length_prefix_bytes));
    FrameHeader h = decode_header(out.data() + frame_start);
    h.flags |= frame_flags::compression;
    h.length = static_cast<std::uint32_t>(length_prefix_bytes + static_cast<std::size_t>(written));
    encode_header(h, out.data() + frame_start);
}

Decoded<Frame> decompress_frame(Compression c, const Frame& in, std::vector<std::uint8_t>& scratch,
                                std::uint32_t max_body_bytes) {
    if ((in.header.flags & frame_flags::compression) == 0) return in;
    if (c == Compression::none)
        return DecodeError{0, "an uncompressed body (flag 0x01 is set but no compression was negotiated)"};
    if (in.body.size() < length_prefix_bytes)
        return DecodeError{0, "a 4-byte uncompressed length before the LZ4 block, got " + std::to_string(in.body.size()) + " bytes"};
    const auto declared = static_cast<std::int32_t>((std::uint32_t{in.body[0]} << 24) | (std::uint32_t{in.body[1]} << 16) |
                                                    (std::uint32_t{in.body[2]} << 8) | in.body[3]);
    if (declared < 0) return DecodeError{0, "a non-negative uncompressed length, got " + std::to_string(declared)};
    const auto length = static_cast<std::uint32_t>(declared);
    if (length > max_body_bytes)
        return DecodeError{0, "an uncompressed length <= " + std::to_string(max_body_bytes) + ", got " + std::to_string(length)};
    const std::size_t block_size = in.body.size() - length_prefix_bytes;
    if (length > block_size * lz4_max_ratio)
        return DecodeError{0, "an uncompressed length an LZ4 block of " + std::to_string(block_size) +
                                  " bytes can produce, got " + std::to_string(length)};
    if (block_size > static_cast<std::size_t>(LZ4_MAX_INPUT_SIZE))
        return DecodeError{length_prefix_bytes, "an LZ4 block within LZ4's input limit"};
    scratch.resize(length);
    const int produced = LZ4_decompress_safe(reinterpret_cast<const char*>(in.body.data() + length_prefix_bytes),
                                             reinterpret_cast<char*>(scratch.data()), static_cast<int>(block_size),
                                             static_cast<int>(length));
    if (produced < 0) return DecodeError{length_prefix_bytes, "a valid LZ4 block"};
    if (static_cast<std::uint32_t>(produced) != length)
        return DecodeError{length_prefix_bytes, "an LZ4 block of " + std::to_string(length) + " bytes, got " + std::to_string(produced)};
    Frame out;
    out.header = in.header;
    out.header.flags = static_cast<std::uint8_t>(out.header.flags & ~frame_flags::compression);
    out.header.length = length;
    out.body = std::span<const std::uint8_t>(scratch.data(), length);
    return out;
}

}  // namespace routelab::cql
