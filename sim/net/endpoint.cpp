#include "sim/net/endpoint.hpp"

#include <charconv>

namespace routelab::net {

std::string format_ipv4(std::uint32_t ip) {
    return std::to_string(ip >> 24) + "." + std::to_string((ip >> 16) & 0xff) + "." +
           std::to_string((ip >> 8) & 0xff) + "." + std::to_string(ip & 0xff);
}

std::string Endpoint::ip_string() const { return format_ipv4(ip); }
std::string Endpoint::to_string() const { return format_ipv4(ip) + ":" + std::to_string(port); }

std::optional<std::uint32_t> parse_ipv4(std::string_view text) {
    std::uint32_t ip = 0;
    for (int part = 0; part < 4; ++part) {
        unsigned value = 0;
        auto [next, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
        if (ec != std::errc{} || value > 255 || next == text.data()) return std::nullopt;
        ip = (ip << 8) | value;
        text.remove_prefix(static_cast<std::size_t>(next - text.data()));
        if (part < 3) {
            if (text.empty() || text.front() != '.') return std::nullopt;
            text.remove_prefix(1);
        }
    }
    if (!text.empty()) return std::nullopt;
    return ip;
}

}  // namespace routelab::net
