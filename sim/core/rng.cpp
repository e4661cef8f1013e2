#include "sim/core/rng.hpp"

namespace routelab::sim {

namespace {
__extension__ typedef unsigned __int128 uint128;
}  // namespace

RngStream::RngStream(std::uint64_t seed) {
    std::uint64_t state = seed;
    for (auto& word : s_) word = splitmix64_next(state);
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

RngStream RngStream::fork(std::string_view name) {
    std::uint64_t state = next_u64() ^ fnv1a64(name);
    return RngStream(splitmix64_next(state));
}

RngStream Rng::stream(std::string_view name) const {
    std::uint64_t state = root_seed_ ^ fnv1a64(name);
    return RngStream(splitmix64_next(state));
}

}  // namespace routelab::sim
