#pragma once
// The value types behind the protocol's primitive notations ([uuid], [inet],
// [consistency], [value], [bytes map]) — shared by the byte cursors and the messages.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace routelab::cql {

using Bytes = std::vector<std::uint8_t>;
using Uuid = std::array<std::uint8_t, 16>;
using BytesMap = std::map<std::string, std::optional<Bytes>>;
using StringMap = std::map<std::string, std::string>;
using StringMultimap = std::map<std::string, std::vector<std::string>>;

// [consistency] codes.
enum class Consistency : std::uint16_t {
    any = 0, one = 1, two = 2, three = 3, quorum = 4, all = 5, local_quorum = 6,
    each_quorum = 7, serial = 8, local_serial = 9, local_one = 10,
};
constexpr std::uint16_t max_consistency_code = 10;

// An IPv4 (size 4) or IPv6 (size 16) address; bytes past `size` are zero.
struct InetAddress {
    std::uint8_t size = 4;
    std::array<std::uint8_t, 16> bytes{};
    bool operator==(const InetAddress&) const = default;
    static InetAddress v4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
        InetAddress ip;
        ip.bytes[0] = a; ip.bytes[1] = b; ip.bytes[2] = c; ip.bytes[3] = d;
        return ip;
    }
};

// [inet]: an address and a port.
struct Inet {
    InetAddress address;
    std::int32_t port = 0;
    bool operator==(const Inet&) const = default;
};

// A bound [value]: bytes, null (-1) or not set (-2, v4+).
struct Value {
    enum class Kind : std::uint8_t { bytes, null, not_set } kind = Kind::bytes;
    Bytes bytes;
    bool operator==(const Value&) const = default;
    static Value of(Bytes b) { return Value{Kind::bytes, std::move(b)}; }
    static Value null() { return Value{Kind::null, {}}; }
    static Value not_set() { return Value{Kind::not_set, {}}; }
};

}  // namespace routelab::cql
