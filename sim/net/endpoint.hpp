#pragma once
// An IPv4 address and port. The simulated network uses the same addresses a live run
// binds on loopback (127.0.0.x), so a scenario means the same thing in both modes.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routelab::net {

struct Endpoint {
    std::uint32_t ip = 0;  // host byte order
    std::uint16_t port = 0;

    constexpr auto operator<=>(const Endpoint&) const = default;
    std::string to_string() const;
    std::string ip_string() const;
};

constexpr std::uint32_t ipv4(std::uint8_t a, std::uint8_t b, std::uint8_t c, std::uint8_t d) {
    return (std::uint32_t{a} << 24) | (std::uint32_t{b} << 16) | (std::uint32_t{c} << 8) | std::uint32_t{d};
}

std::optional<std::uint32_t> parse_ipv4(std::string_view text);
std::string format_ipv4(std::uint32_t ip);

}  // namespace routelab::net
