// Server side: arbitrary bytes from a client, through version negotiation, framing,
// decompression and request decoding. Nothing may crash, hang or over-allocate.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "driver/protocol/version_negotiation.hpp"

using namespace routelab::cql;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    std::vector<std::uint8_t> out;
    if (check_first_bytes(input, out) == FirstBytesVerdict::refused) return 0;
    // The first byte also picks how the input is cut into reads (1..16 bytes each).
    const std::size_t chunk = size == 0 ? 1 : (data[0] & 0x0F) + 1;
    FrameAssembler assembler(1u << 20);
    std::vector<std::uint8_t> scratch;
    for (std::size_t at = 0; at < size; at += chunk) {
        assembler.feed(input.subspan(at, std::min(chunk, size - at)));
        Frame frame;
        for (;;) {
            const auto status = assembler.next(frame);
            if (status != FrameAssembler::Status::frame) break;
            auto plain = decompress_frame(Compression::lz4, frame, scratch, 1u << 20);
            if (!plain.ok()) continue;
            FrameExtras extras;
            auto request = decode_request(*plain, &extras);
            if (request.ok()) {
                // Re-encoding a decoded message must not trip an invariant.
                out.clear();
                encode_request(out, plain->header.stream, *request, static_cast<std::uint8_t>(plain->header.protocol_version()), &extras);
            }
        }
    }
    return 0;
}
