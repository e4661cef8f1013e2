#include "driver/protocol/vint.hpp"

#include <bit>

namespace routelab::cql {

void write_unsigned_vint(std::vector<std::uint8_t>& out, std::uint64_t v) {
    int size = 1;
    while (size < 9 && (size == 8 ? v >= (std::uint64_t{1} << 56) : v >= (std::uint64_t{1} << (7 * size)))) ++size;
    const int extra = size - 1;
    const std::size_t start = out.size();
    for (int i = size - 1; i >= 0; --i) out.push_back(static_cast<std::uint8_t>(i >= 8 ? 0 : v >> (8 * i)));
    out[start] = static_cast<std::uint8_t>(out[start] | static_cast<std::uint8_t>(~(0xFFu >> extra)));
}

void write_signed_vint(std::vector<std::uint8_t>& out, std::int64_t v) {
    const auto u = static_cast<std::uint64_t>(v);
    write_unsigned_vint(out, (u << 1) ^ static_cast<std::uint64_t>(v >> 63));
}

std::uint64_t read_unsigned_vint(ByteReader& r) {
    const std::uint8_t first = r.byte();
    if (r.failed()) return 0;
    const int extra = std::countl_one(first);
    std::uint64_t v = extra >= 8 ? 0 : (first & (0xFFu >> extra));
    const auto rest = r.raw(static_cast<std::size_t>(extra));
    for (const std::uint8_t b : rest) v = (v << 8) | b;
    return v;
}

std::int64_t read_signed_vint(ByteReader& r) {
    const std::uint64_t u = read_unsigned_vint(r);
    return static_cast<std::int64_t>((u >> 1) ^ (~(u & 1) + 1));
}

}  // namespace routelab::cql
