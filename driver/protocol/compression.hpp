#pragma once
// Frame body compression negotiated in STARTUP (COMPRESSION=lz4): the body becomes a
// 4-byte big-endian uncompressed length followed by one LZ4 block, and header flag 0x01
// is set. STARTUP and the frames before it are never compressed; empty bodies are sent
// uncompressed (as the Python driver does), and both forms are accepted.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "driver/protocol/decode_error.hpp"
#include "driver/protocol/frame.hpp"

namespace routelab::cql {

enum class Compression : std::uint8_t { none, lz4 };

// The STARTUP COMPRESSION value -> algorithm; nullopt for algorithms we do not implement
// (snappy). An absent or empty option means none.
std::optional<Compression> compression_from_name(std::string_view name);
const char* compression_name(Compression c);

// Compresses, in place, the body of the frame that starts at out[frame_start] (typically
// the one just encoded) and sets its compression flag. `scratch` is reused between calls
// so the steady state allocates nothing.
void compress_frame(Compression c, std::vector<std::uint8_t>& out, std::size_t frame_start,
                    std::vector<std::uint8_t>& scratch);

// If `in` has the compression flag, decompresses its body into `scratch` and returns a
// frame viewing `scratch` with the flag cleared; otherwise returns `in` unchanged.
// Errors (offsets within the compressed body): flag set without negotiated compression,
// a declared length that is negative, above `max_body_bytes`, or more than LZ4 can
// produce from the input (checked before allocating), and corrupt blocks.
Decoded<Frame> decompress_frame(Compression c, const Frame& in, std::vector<std::uint8_t>& scratch,
                                std::uint32_t max_body_bytes = spec_max_body_bytes);

}  // namespace routelab::cql
