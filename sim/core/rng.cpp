#include "sim/core/rng.hpp"

namespace routelab::sim {

namespace {
__extension__ typedef unsigned __int128 uint128;
constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
}  // namespace

RngStream::RngStream(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& word : s_) word = splitmix64_next(state);
}

std::uint64_t RngStream::next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
}

std::uint64_t RngStream::below(std::uint64_t bound) {
    // Lemire: multiply into 128 bits, reject the small biased zone.
    uint128 m = static_cast<uint128>(next_u64()) * bound;
    auto low = static_cast<std::uint64_t>(m);
    if (low < bound) {
        const std::uint64_t threshold = (0 - bound) % bound;
        while (low < threshold) {
            m = static_cast<uint128>(next_u64()) * bound;
            low = static_cast<std::uint64_t>(m);
        }
    }
    return static_cast<std::uint64_t>(m >> 64);
}

double RngStream::unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

RngStream RngStream::fork(std::string_view name) {
    std::uint64_t state = next_u64() ^ fnv1a64(name);
    return RngStream(splitmix64_next(state));
}

RngStream Rng::stream(std::string_view name) const {
    std::uint64_t state = root_seed_ ^ fnv1a64(name);
    return RngStream(splitmix64_next(state));
}

}  // namespace routelab::sim
