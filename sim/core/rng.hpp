#pragma once
// Seeded randomness. One root seed per run; every component draws from its own named
// stream, seeded by SplitMix64(root ^ FNV-1a(name)), so adding a component or a draw in
// one stream never shifts the numbers of another. Never std::hash (implementation-defined).
#include <cstdint>
#include <string_view>

namespace routelab::sim {

constexpr std::uint64_t fnv1a64(std::string_view text) {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (char c : text) {
        h ^= static_cast<std::uint8_t>(c);
        h *= 0x100000001b3ULL;
    }
    return h;
}

constexpr std::uint64_t splitmix64_next(std::uint64_t& state) {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

// xoshiro256** drawing; seeded through SplitMix64 as its authors recommend.
class RngStream {
public:
    explicit RngStream(std::uint64_t seed);

    // Inline: several draws per simulated request, each a handful of instructions.
    std::uint64_t next_u64() {
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
    // Uniform in [0, bound) without modulo bias (Lemire's method); bound > 0.
    std::uint64_t below(std::uint64_t bound);
    // Uniform in [0, 1) with 53 random bits.
    double unit() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }
    // Uniform in (0, 1]: safe to take the logarithm of.
    double unit_open_zero() { return 1.0 - unit(); }
    // True with probability numerator/denominator (integer ratio: exact and portable).
    bool chance(std::uint64_t numerator, std::uint64_t denominator) { return below(denominator) < numerator; }
    // A child stream named relative to this one, e.g. a per-connection stream.
    RngStream fork(std::string_view name);

private:
    static constexpr std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4];
};

class Rng {
public:
    explicit Rng(std::uint64_t root_seed) : root_seed_(root_seed) {}
    std::uint64_t root_seed() const { return root_seed_; }
    RngStream stream(std::string_view name) const;

private:
    std::uint64_t root_seed_;
};

}  // namespace routelab::sim
