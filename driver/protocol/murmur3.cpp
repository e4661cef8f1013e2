#include "driver/protocol/murmur3.hpp"

#include "driver/protocol/invariant.hpp"

namespace routelab::cql {

namespace {

constexpr std::uint64_t c1 = 0x87c37b91114253d5ULL;
constexpr std::uint64_t c2 = 0x4cf5ad432745937fULL;

constexpr std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

constexpr std::uint64_t fmix(std::uint64_t k) {
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    k *= 0xc4ceb9fe1a85ec53ULL;
    k ^= k >> 33;
    return k;
}

std::uint64_t little_endian_word(const std::uint8_t* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

// A Java byte widened to long: values >= 0x80 become negative (all high bits set).
std::uint64_t java_byte(std::uint8_t b) { return static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int8_t>(b))); }

}  // namespace

std::int64_t murmur3_token(std::span<const std::uint8_t> key) {
    const std::size_t length = key.size();
    const std::size_t blocks = length / 16;
    std::uint64_t h1 = 0;
    std::uint64_t h2 = 0;
    for (std::size_t i = 0; i < blocks; ++i) {
        std::uint64_t k1 = little_endian_word(key.data() + i * 16);
        std::uint64_t k2 = little_endian_word(key.data() + i * 16 + 8);
        k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1;
        h1 = rotl(h1, 27); h1 += h2; h1 = h1 * 5 + 0x52dce729;
        k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2;
        h2 = rotl(h2, 31); h2 += h1; h2 = h2 * 5 + 0x38495ab5;
    }
    const std::uint8_t* tail = key.data() + blocks * 16;
    const std::size_t rest = length & 15;
    std::uint64_t k1 = 0;
    std::uint64_t k2 = 0;
    for (std::size_t i = rest; i > 8; --i) k2 ^= java_byte(tail[i - 1]) << ((i - 9) * 8);
    if (rest > 8) {
        k2 *= c2; k2 = rotl(k2, 33); k2 *= c1; h2 ^= k2;
    }
    for (std::size_t i = std::min<std::size_t>(rest, 8); i > 0; --i) k1 ^= java_byte(tail[i - 1]) << ((i - 1) * 8);
    if (rest > 0) {
        k1 *= c1; k1 = rotl(k1, 31); k1 *= c2; h1 ^= k1;
    }
    h1 ^= length;
    h2 ^= length;
    h1 += h2;
    h2 += h1;
    h1 = fmix(h1);
    h2 = fmix(h2);
    h1 += h2;
    const auto token = static_cast<std::int64_t>(h1);
    return token == INT64_MIN ? INT64_MAX : token;
}

void composite_partition_key(std::span<const std::span<const std::uint8_t>> components, std::vector<std::uint8_t>& out) {
    out.clear();
    for (const auto& c : components) {
        invariant(c.size() <= 0xFFFF, "a partition key component holds at most 65535 bytes");
        out.push_back(static_cast<std::uint8_t>(c.size() >> 8));
        out.push_back(static_cast<std::uint8_t>(c.size()));
        out.insert(out.end(), c.begin(), c.end());
        out.push_back(0);
    }
}

std::span<const std::uint8_t> composite_component(std::span<const std::uint8_t> key, std::size_t i) {
    const auto length_at = [&key](std::size_t at) { return std::size_t{key[at]} << 8 | std::size_t{key[at + 1]}; };
    std::size_t at = 0;
    for (std::size_t skip = 0; skip < i; ++skip) at += 2 + length_at(at) + 1;
    return key.subspan(at + 2, length_at(at));
}

}  // namespace routelab::cql
