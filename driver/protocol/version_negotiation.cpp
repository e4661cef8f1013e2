#include "driver/protocol/version_negotiation.hpp"

#include <string_view>

#include "driver/protocol/codec.hpp"

namespace routelab::cql {

std::string unsupported_version_message(int requested_version) {
    return "Invalid or unsupported protocol version (" + std::to_string(requested_version) +
           "); the lowest supported version is " + std::to_string(min_supported_version) + " and the greatest is " +
           std::to_string(max_supported_version);
}

void encode_version_refusal(std::vector<std::uint8_t>& out, std::int16_t stream, int requested_version) {
    // Answering with our own highest version lets Node.js jump straight to it.
    encode_response(out, stream, Error{error_codes::protocol_error, unsupported_version_message(requested_version), {}},
                    static_cast<std::uint8_t>(max_supported_version));
}

bool refuse_unsupported_version(const FrameHeader& first, std::vector<std::uint8_t>& out) {
    const int version = first.protocol_version();
    if (is_supported_version(version)) return false;
    encode_version_refusal(out, first.stream, version);
    return true;
}

FirstBytesVerdict check_first_bytes(std::span<const std::uint8_t> first_bytes, std::vector<std::uint8_t>& out) {
    if (first_bytes.empty()) return FirstBytesVerdict::need_more;
    const int version = first_bytes[0] & 0x7F;
    if (is_supported_version(version)) return FirstBytesVerdict::accepted;
    std::int16_t stream = 0;
    if (version <= 2) {
        // v1/v2: version, flags, 1-byte signed stream, opcode, length.
        if (first_bytes.size() < 3) return FirstBytesVerdict::need_more;
        stream = static_cast<std::int8_t>(first_bytes[2]);
    } else {
        if (first_bytes.size() < 4) return FirstBytesVerdict::need_more;
        stream = static_cast<std::int16_t>(static_cast<std::uint16_t>((first_bytes[2] << 8) | first_bytes[3]));
    }
    encode_version_refusal(out, stream, version);
    return FirstBytesVerdict::refused;
}

std::optional<int> version_from_refusal(const Error& error) {
    if (error.code != error_codes::protocol_error) return std::nullopt;
    constexpr std::string_view marker = "the greatest is ";
    const auto at = error.message.rfind(marker);
    if (at == std::string::npos) return std::nullopt;
    int version = 0;
    std::size_t i = at + marker.size();
    if (i >= error.message.size()) return std::nullopt;
    for (; i < error.message.size() && error.message[i] >= '0' && error.message[i] <= '9' && version < 1000; ++i)
        version = version * 10 + (error.message[i] - '0');
    if (i != error.message.size() || version == 0) return std::nullopt;
    return version;
}

}  // namespace routelab::cql
