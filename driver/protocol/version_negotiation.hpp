#pragma once
// Protocol version negotiation. A server speaks v3 and v4; anything else (v5, DSE 0x41 /
// 0x42, v1/v2) on the first frame is refused with an ERROR that makes the Python, Node.js
// and gocql drivers settle on v4: version byte 0x84, the request's stream id, code
// 0x000A and "Invalid or unsupported protocol version (N); the lowest supported version
// is 3 and the greatest is 4" (Python matches a substring, Node.js the prefix, gocql the
// tail). The server then closes the connection.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "driver/protocol/frame.hpp"
#include "driver/protocol/messages/errors.hpp"

namespace routelab::cql {

constexpr int min_supported_version = 3;
constexpr int max_supported_version = 4;

inline bool is_supported_version(int version) { return version >= min_supported_version && version <= max_supported_version; }

std::string unsupported_version_message(int requested_version);

// Appends the refusal frame for a first frame that asked for `requested_version`.
void encode_version_refusal(std::vector<std::uint8_t>& out, std::int16_t stream, int requested_version);

// Given the first frame's header: false if its version is supported (nothing written);
// true if not, after appending the refusal to `out`.
bool refuse_unsupported_version(const FrameHeader& first, std::vector<std::uint8_t>& out);

// The same decision from the first raw bytes of a connection, before they are framed —
// v1/v2 headers are 8 bytes with a 1-byte stream id, so a v4 FrameAssembler would
// misread them. Needs 1 byte for a supported version, 3 for v1/v2 and 4 otherwise.
enum class FirstBytesVerdict { need_more, accepted, refused };
FirstBytesVerdict check_first_bytes(std::span<const std::uint8_t> first_bytes, std::vector<std::uint8_t>& out);

// Client side: the version a refusal tells us to use ("... the greatest is N"), if the
// error is a version refusal that names one.
std::optional<int> version_from_refusal(const Error& error);

}  // namespace routelab::cql
