// Version negotiation, ScyllaDB sharding and SUPPORTED keys, SASL PLAIN, LZ4, events,
// BATCH and frame prefixes: examples with the bytes or values the reference gives.
#include <catch2/catch.hpp>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "driver/protocol/murmur3.hpp"
#include "driver/protocol/response_view.hpp"
#include "driver/protocol/sasl.hpp"
#include "driver/protocol/scylla_supported.hpp"
#include "driver/protocol/sharding.hpp"
#include "driver/protocol/version_negotiation.hpp"

using namespace routelab::cql;

namespace {

Frame single_frame(const std::vector<std::uint8_t>& bytes, FrameAssembler& assembler) {
    assembler.feed(bytes);
    Frame f;
    REQUIRE(assembler.next(f) == FrameAssembler::Status::frame);
    return f;
}

}  // namespace

TEST_CASE("v5, DSE and v1/v2 first frames are refused with the v4 error drivers understand") {
    for (const std::uint8_t version : std::vector<std::uint8_t>{0x05, 0x41, 0x42, 0x06}) {
        FrameHeader h;
        h.version = version;
        h.stream = 3;
        h.opcode = Opcode::options;
        std::vector<std::uint8_t> out;
        REQUIRE(refuse_unsupported_version(h, out));
        FrameAssembler a;
        const Frame f = single_frame(out, a);
        CHECK(f.header.version == 0x84);
        CHECK(f.header.stream == 3);
        CHECK(f.header.opcode == Opcode::error);
        auto e = decode_response(f);
        REQUIRE(e.ok());
        const auto& error = std::get<Error>(*e);
        CHECK(error.code == 0x000A);
        CHECK(error.message == "Invalid or unsupported protocol version (" + std::to_string(version & 0x7F) +
                                   "); the lowest supported version is 3 and the greatest is 4");
        CHECK(version_from_refusal(error) == 4);
    }
    FrameHeader v3;
    v3.version = 3;
    std::vector<std::uint8_t> out;
    CHECK_FALSE(refuse_unsupported_version(v3, out));
    CHECK(out.empty());
}

TEST_CASE("first raw bytes: v1/v2 use a 1-byte stream id") {
    std::vector<std::uint8_t> out;
    CHECK(check_first_bytes(std::vector<std::uint8_t>{0x04}, out) == FirstBytesVerdict::accepted);
    CHECK(check_first_bytes(std::vector<std::uint8_t>{0x02, 0x00}, out) == FirstBytesVerdict::need_more);
    REQUIRE(check_first_bytes(std::vector<std::uint8_t>{0x02, 0x00, 0x07}, out) == FirstBytesVerdict::refused);
    CHECK(decode_header(out.data()).stream == 7);
    out.clear();
    REQUIRE(check_first_bytes(std::vector<std::uint8_t>{0x42, 0x00, 0x01, 0x02, 0x05}, out) == FirstBytesVerdict::refused);
    CHECK(decode_header(out.data()).stream == 0x0102);
}

TEST_CASE("shard of a token matches the ScyllaDB drivers' vectors") {
    CHECK(shard_of(-9219783007514621794LL, 4, 12) == 3);
    CHECK(shard_of(9222582454147032830LL, 4, 12) == 3);
    CHECK(shard_of(-9217148724365525195LL, 4, 12) == 1);
    CHECK(shard_of(-9215501124608928187LL, 4, 12) == 2);
    CHECK(shard_of(-9209452951616763088LL, 4, 12) == 0);
    CHECK(shard_of(0, 4, 12) == 0);
    const std::string test = "test";
    CHECK(shard_of(murmur3_token(std::span(reinterpret_cast<const std::uint8_t*>(test.data()), test.size())), 8, 12) == 6);
}

TEST_CASE("shard-aware source ports") {
    CHECK(shard_of_source_port(50001, 4) == 1);
    CHECK(source_port_for_shard(3, 4, 49152) == std::optional<std::uint16_t>(49155));
    CHECK(source_port_for_shard(0, 4, 65535) == std::optional<std::uint16_t>(49152));
    CHECK(source_port_for_shard(2, 8, 1000) == std::optional<std::uint16_t>(49154));
}

TEST_CASE("ScyllaDB SUPPORTED keys build and parse back") {
    ScyllaSupported s;
    s.sharding = ScyllaSharding{2, 8, 12, "org.apache.cassandra.dht.Murmur3Partitioner", "biased-token-round-robin", 19042, std::nullopt};
    s.lwt_metadata_mask = 0x80000000u;
    s.rate_limit_error_code = 0xF000;
    s.tablets_routing_v1 = true;
    StringMultimap options{{"CQL_VERSION", {"3.3.1"}}, {"COMPRESSION", {"lz4"}}};
    add_scylla_options(s, options);
    CHECK(options.at("SCYLLA_SHARD") == std::vector<std::string>{"2"});
    CHECK(options.at("SCYLLA_LWT_ADD_METADATA_MARK") == std::vector<std::string>{"LWT_OPTIMIZATION_META_BIT_MASK=2147483648"});
    CHECK(options.at("SCYLLA_RATE_LIMIT_ERROR") == std::vector<std::string>{"ERROR_CODE=61440"});
    CHECK(parse_scylla_options(options) == s);
    options.erase("SCYLLA_SHARDING_IGNORE_MSB");
    CHECK_FALSE(parse_scylla_options(options).sharding.has_value());  // all-or-nothing
    StringMap startup;
    add_scylla_startup_options(s, startup);
    CHECK(startup.at("SCYLLA_LWT_ADD_METADATA_MARK") == "LWT_OPTIMIZATION_META_BIT_MASK=2147483648");
    CHECK(startup.count("TABLETS_ROUTING_V1") == 1);
}

TEST_CASE("SASL PLAIN tokens") {
    const Bytes token = sasl_plain_token("cassandra", "secret");
    CHECK(token == Bytes{0, 'c', 'a', 's', 's', 'a', 'n', 'd', 'r', 'a', 0, 's', 'e', 'c', 'r', 'e', 't'});
    CHECK(parse_sasl_plain(token) == SaslPlainCredentials{"", "cassandra", "secret"});
    CHECK_FALSE(parse_sasl_plain(Bytes{'a', 0, 'b'}).has_value());
}

TEST_CASE("events are pushed on stream -1 with their bodies") {
    Inet node{InetAddress::v4(127, 0, 0, 2), 9042};
    std::vector<std::uint8_t> out;
    encode_response(out, event_stream_id, Event{TopologyChange{"NEW_NODE", node}});
    const std::vector<std::uint8_t> expected{0x84, 0, 0xFF, 0xFF, 0x0C, 0, 0, 0, 0x24, 0, 15, 'T', 'O', 'P', 'O', 'L', 'O', 'G', 'Y',
                                             '_', 'C', 'H', 'A', 'N', 'G', 'E', 0, 8, 'N', 'E', 'W', '_', 'N', 'O', 'D', 'E',
                                             4, 127, 0, 0, 2, 0, 0, 0x23, 0x52};
    CHECK(out == expected);
    ClientRoutesChange routes{"UPDATE_NODES", {"c1", "c1"}, {"h1", "h2"}};
    out.clear();
    encode_response(out, -1, Event{routes});
    FrameAssembler a;
    auto decoded = decode_response(single_frame(out, a));
    REQUIRE(decoded.ok());
    CHECK(std::get<ClientRoutesChange>(std::get<Event>(*decoded).change) == routes);
}

TEST_CASE("BATCH of a query and a prepared id") {
    Batch b;
    b.type = BatchType::unlogged;
    b.statements = {{std::string("INSERT INTO t (k) VALUES (?)"), {Value::of({0, 0, 0, 1})}, {}},
                    {Bytes{0xAB, 0xCD}, {Value::null(), Value::not_set()}, {}}};
    b.consistency = Consistency::local_quorum;
    b.default_timestamp_us = 42;
    std::vector<std::uint8_t> out;
    encode_request(out, 9, b);
    CHECK(out[4] == 0x0D);
    FrameAssembler a;
    auto decoded = decode_request(single_frame(out, a));
    REQUIRE(decoded.ok());
    CHECK(std::get<Batch>(*decoded) == b);
}

TEST_CASE("response prefixes: tracing id, warnings, custom payload") {
    FrameExtras extras;
    extras.tracing_id = Uuid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    extras.warnings = {"Aggregation query used without partition key"};
    extras.custom_payload = BytesMap{{"tablets-routing-v1", Bytes{1, 2}}};
    std::vector<std::uint8_t> out;
    encode_response(out, 1, VoidResult{}, 4, &extras);
    CHECK(out[1] == (frame_flags::tracing | frame_flags::warning | frame_flags::custom_payload));
    FrameAssembler a;
    const Frame f = single_frame(out, a);
    FrameExtras got;
    auto decoded = decode_response(f, &got);
    REQUIRE(decoded.ok());
    CHECK(got == extras);
    auto view = decode_response_view(f);
    REQUIRE(view.ok());
    CHECK(view->kind == ResponseView::Kind::void_result);
}

TEST_CASE("LZ4 bodies: 4-byte length then the block; empty bodies stay plain") {
    Query q{std::string(300, 'a'), {}};
    std::vector<std::uint8_t> out, scratch, inflated;
    encode_request(out, 2, q);
    const std::size_t plain_size = out.size();
    compress_frame(Compression::lz4, out, 0, scratch);
    CHECK(out.size() < plain_size);
    CHECK((out[1] & frame_flags::compression) != 0);
    CHECK(out[9] == 0);
    CHECK((out[11] << 8 | out[12]) == static_cast<int>(plain_size - 9));
    FrameAssembler a;
    auto plain = decompress_frame(Compression::lz4, single_frame(out, a), inflated);
    REQUIRE(plain.ok());
    auto decoded = decode_request(*plain);
    REQUIRE(decoded.ok());
    CHECK(std::get<Query>(*decoded) == q);
    out.clear();
    encode_response(out, 2, Ready{});
    compress_frame(Compression::lz4, out, 0, scratch);
    CHECK(out.size() == 9);
    CHECK(out[1] == 0);
    CHECK(compression_from_name("lz4") == Compression::lz4);
    CHECK_FALSE(compression_from_name("snappy").has_value());
}

TEST_CASE("v3 Prepared results carry no partition key indexes") {
    PreparedResult p;
    p.id = {1};
    p.metadata.columns = {{"ks", "t", "k", ColumnType::of(TypeId::int_)}};
    p.metadata.pk_indexes = {0};
    std::vector<std::uint8_t> v3, v4;
    encode_response(v3, 0, Result{p}, 3);
    encode_response(v4, 0, Result{p}, 4);
    CHECK(v4.size() == v3.size() + 6);
    FrameAssembler a;
    auto decoded = decode_response(single_frame(v3, a));
    REQUIRE(decoded.ok());
    CHECK(std::get<PreparedResult>(std::get<Result>(*decoded)).metadata.pk_indexes.empty());
}

TEST_CASE("shard-aware source port ranges, as the Rust driver's tests check them") {
    // Every shard of 4, over the ephemeral range and a custom one: the ports are exactly
    // lowest, lowest + 4, ... up to the end of the range, each landing on its shard.
    for (const auto& [low, high] : std::vector<std::pair<std::uint16_t, std::uint16_t>>{{49152, 65535}, {21371, 42424}}) {
        for (unsigned shard = 0; shard < 4; ++shard) {
            std::uint32_t lowest = low;
            while (lowest % 4 != shard) ++lowest;
            const ShardPorts ports = source_ports_for_shard(shard, 4, low, high);
            CHECK(ports.lowest == lowest);
            CHECK(ports.count == (high - lowest) / 4 + 1);
            // Walking with source_port_for_shard from any start visits the same ports.
            const auto first = source_port_for_shard(shard, 4, static_cast<std::uint16_t>(low + 1000), low, high);
            REQUIRE(first.has_value());
            CHECK(*first % 4 == shard);
            CHECK((*first - ports.lowest) % 4 == 0);
        }
    }
    // A one-port range holds no port for shard 1 of 4.
    CHECK(source_ports_for_shard(1, 4, 49152, 49152).count == 0);
    CHECK_FALSE(source_port_for_shard(1, 4, 49152, 49152, 49152).has_value());
}

TEST_CASE("ScyllaShardingInfo from a real-looking SUPPORTED") {
    const StringMultimap supported{
        {"CQL_VERSION", {"3.3.1"}},
        {"COMPRESSION", {"lz4", "snappy"}},
        {"SCYLLA_SHARD", {"5"}},
        {"SCYLLA_NR_SHARDS", {"12"}},
        {"SCYLLA_PARTITIONER", {"org.apache.cassandra.dht.Murmur3Partitioner"}},
        {"SCYLLA_SHARDING_ALGORITHM", {"biased-token-round-robin"}},
        {"SCYLLA_SHARDING_IGNORE_MSB", {"12"}},
        {"SCYLLA_SHARD_AWARE_PORT", {"19042"}},
        {"SCYLLA_SHARD_AWARE_PORT_SSL", {"19142"}},
        {"SCYLLA_LWT_ADD_METADATA_MARK", {"LWT_OPTIMIZATION_META_BIT_MASK=2147483648"}},
        {"SCYLLA_RATE_LIMIT_ERROR", {"ERROR_CODE=61440"}},
        {"TABLETS_ROUTING_V1", {""}},
    };
    const ScyllaShardingInfo info = parse_scylla_options(supported);
    REQUIRE(info.sharding.has_value());
    CHECK(info.sharding->shard == 5);
    CHECK(info.sharding->nr_shards == 12);
    CHECK(info.sharding->ignore_msb == 12);
    CHECK(info.sharding->shard_aware_port == std::optional<std::uint16_t>(19042));
    CHECK(info.sharding->shard_aware_port_ssl == std::optional<std::uint16_t>(19142));
    CHECK(info.lwt_metadata_mask == std::optional<std::uint32_t>(0x80000000u));
    CHECK(info.rate_limit_error_code == std::optional<std::int32_t>(0xF000));
    CHECK(info.tablets_routing_v1);
    // Written back, the same keys and values come out.
    StringMultimap again{{"CQL_VERSION", {"3.3.1"}}, {"COMPRESSION", {"lz4", "snappy"}}};
    add_scylla_options(info, again);
    CHECK(again == supported);
    // Inconsistent sharding keys switch sharding off, as in the Rust driver.
    StringMultimap bad = supported;
    bad["SCYLLA_SHARD"] = {"12"};
    CHECK_FALSE(parse_scylla_options(bad).sharding.has_value());
    bad["SCYLLA_SHARD"] = {"x"};
    CHECK_FALSE(parse_scylla_options(bad).sharding.has_value());
    bad["SCYLLA_SHARD"] = {"0"};
    bad["SCYLLA_NR_SHARDS"] = {"0"};
    CHECK_FALSE(parse_scylla_options(bad).sharding.has_value());
}

TEST_CASE("v1 first bytes are refused too, on their 1-byte stream id") {
    std::vector<std::uint8_t> out;
    REQUIRE(check_first_bytes(std::vector<std::uint8_t>{0x01, 0x00, 0x7F, 0x05}, out) == FirstBytesVerdict::refused);
    FrameAssembler a;
    const Frame f = single_frame(out, a);
    CHECK(f.header.version == 0x84);
    CHECK(f.header.stream == 0x7F);
    auto e = decode_response(f);
    REQUIRE(e.ok());
    CHECK(std::get<Error>(*e).message ==
          "Invalid or unsupported protocol version (1); the lowest supported version is 3 and the greatest is 4");
    CHECK(check_first_bytes(std::vector<std::uint8_t>{0x03}, out) == FirstBytesVerdict::accepted);
    CHECK(check_first_bytes(std::vector<std::uint8_t>{0x84}, out) == FirstBytesVerdict::accepted);
}

TEST_CASE("a custom payload on a request travels to the server (sticky proxy session keys)") {
    FrameExtras extras;
    extras.custom_payload = BytesMap{{"routelab-session-key", Bytes{'u', '4', '2'}}};
    extras.tracing_requested = true;
    std::vector<std::uint8_t> out;
    encode_request(out, 11, Query{"SELECT * FROM ks.t", {}}, 4, &extras);
    CHECK(out[1] == (frame_flags::tracing | frame_flags::custom_payload));
    // The payload comes first in the body: [short] 1, [string] key, [bytes] value.
    CHECK(out[9] == 0);
    CHECK(out[10] == 1);
    FrameAssembler a;
    auto decoded = decode_request_with_extras(single_frame(out, a));
    REQUIRE(decoded.ok());
    CHECK(decoded->extras == extras);
    CHECK(std::get<Query>(decoded->message).query == "SELECT * FROM ks.t");
}
