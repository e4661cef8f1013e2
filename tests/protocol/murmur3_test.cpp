// Murmur3 tokens against vectors published by drivers (see the protocol reference §4.1):
// the ScyllaDB Rust driver's partitioner tests, the Python driver's metadata tests and
// gocql's murmur tests, including the signed-tail quirk.
#include <catch2/catch.hpp>

#include <string_view>

#include "driver/protocol/murmur3.hpp"

using routelab::cql::murmur3_token;

namespace {
std::int64_t token_of(std::string_view s) {
    return murmur3_token(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}
std::vector<std::uint8_t> from_hex(std::string_view hex) {
    std::vector<std::uint8_t> out;
    for (std::size_t i = 0; i + 1 < hex.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
    return out;
}
}  // namespace

TEST_CASE("Murmur3 tokens match the drivers' published vectors") {
    CHECK(token_of("test") == -6017608668500074083LL);
    CHECK(token_of("xd") == 4507812186440344727LL);
    CHECK(token_of("primary_key") == -1632642444691073360LL);
    CHECK(token_of("kremówki") == 4354931215268080151LL);
    CHECK(token_of("123") == -7468325962851647638LL);
    CHECK(token_of("hello") == -3758069500696749310LL);
    std::vector<std::uint8_t> repeated;
    for (int i = 0; i < 10; ++i) repeated.insert(repeated.end(), {0x00, 0xff, 0x10, 0xfa, 0x99});
    CHECK(murmur3_token(repeated) == 5837342703291459765LL);
}

TEST_CASE("Murmur3 sign-extends tail bytes as Cassandra's Java code does") {
    const auto key = from_hex("00104327529fb645dd00b883ec39ae448bb800000400066a6b00");
    CHECK(murmur3_token(key) == -9223371632693506265LL);
}

TEST_CASE("Murmur3 tokens of serialized integers and composite keys") {
    const std::vector<std::uint8_t> int1{0, 0, 0, 1};
    CHECK(murmur3_token(int1) == -4069959284402364209LL);
    const std::vector<std::uint8_t> bigint1{0, 0, 0, 0, 0, 0, 0, 1};
    CHECK(murmur3_token(bigint1) == 6292367497774912474LL);
    const std::vector<std::uint8_t> text_a{'a'};
    const std::span<const std::uint8_t> parts[] = {int1, text_a};
    std::vector<std::uint8_t> composite;
    routelab::cql::composite_partition_key(parts, composite);
    CHECK(composite == std::vector<std::uint8_t>{0, 4, 0, 0, 0, 1, 0, 0, 1, 'a', 0});
    CHECK(murmur3_token(composite) == 6516349416904725244LL);
}
