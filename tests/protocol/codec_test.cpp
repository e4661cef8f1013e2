// Frames the skeleton uses, encoded and decoded back, plus malformed input that must give
// a typed error with its offset instead of a crash.
#include <catch2/catch.hpp>

#include "driver/protocol/codec.hpp"

using namespace routelab::cql;

namespace {

Frame single_frame(const std::vector<std::uint8_t>& bytes, FrameAssembler& assembler) {
    assembler.feed(bytes);
    Frame f;
    REQUIRE(assembler.next(f) == FrameAssembler::Status::frame);
    return f;
}

}  // namespace

TEST_CASE("STARTUP is a v4 request frame with a string map body") {
    std::vector<std::uint8_t> out;
    encode_request(out, 0, Startup{{{"CQL_VERSION", "3.0.0"}}});
    const std::vector<std::uint8_t> expected{0x04, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x16, 0x00, 0x01,
                                             0x00, 0x0b, 'C',  'Q',  'L',  '_',  'V',  'E',  'R',  'S',  'I',
                                             'O',  'N',  0x00, 0x05, '3',  '.',  '0',  '.',  '0'};
    CHECK(out == expected);
}

TEST_CASE("EXECUTE and RESULT Rows round-trip") {
    Execute e;
    e.id = {1, 2, 3, 4};
    e.parameters.consistency = Consistency::quorum;
    e.parameters.values = {Value::of({0, 0, 0, 0, 0, 0, 0, 7}), Value::null(), Value::not_set()};
    e.parameters.page_size = 100;
    e.parameters.default_timestamp_us = 1234;
    std::vector<std::uint8_t> out;
    encode_request(out, 42, e);
    FrameAssembler a;
    const Frame f = single_frame(out, a);
    CHECK(f.header.stream == 42);
    CHECK(f.header.opcode == Opcode::execute);
    auto decoded = decode_request(f);
    REQUIRE(decoded.ok());
    CHECK(std::get<Execute>(*decoded) == e);

    RowsResult rows;
    rows.metadata.columns = {{"ks", "kv", "v", ColumnType::of(TypeId::blob)}};
    rows.metadata.column_count = 1;
    rows.rows = {{Bytes{9, 9}}, {std::nullopt}};
    out.clear();
    encode_response(out, 42, Result{rows});
    FrameAssembler b;
    auto response = decode_response(single_frame(out, b));
    REQUIRE(response.ok());
    CHECK(std::get<RowsResult>(std::get<Result>(*response)) == rows);
}

TEST_CASE("errors carry their code-specific bodies") {
    Error e{error_codes::unavailable, "Cannot achieve consistency level QUORUM", error_detail::Unavailable{Consistency::quorum, 2, 1}};
    std::vector<std::uint8_t> out;
    encode_response(out, 7, e);
    FrameAssembler a;
    auto decoded = decode_response(single_frame(out, a));
    REQUIRE(decoded.ok());
    CHECK(std::get<Error>(*decoded) == e);
}

TEST_CASE("malformed bodies give the offset and what was expected") {
    SECTION("truncated EXECUTE") {
        std::vector<std::uint8_t> out;
        encode_request(out, 1, Execute{{1, 2}, {}});
        out.pop_back();
        out[8] = static_cast<std::uint8_t>(out[8] - 1);  // keep the header honest about the shorter body
        FrameAssembler a;
        auto decoded = decode_request(single_frame(out, a));
        REQUIRE_FALSE(decoded.ok());
        CHECK(decoded.error().offset == 6);  // id (2 + 2 bytes), consistency (2), then the missing flags
        CHECK_THAT(decoded.error().expected, Catch::Contains("[byte]"));
    }
    SECTION("invalid UTF-8 in a string") {
        const std::vector<std::uint8_t> body{0x00, 0x01, 0x00, 0x02, 0xC3, 0x28, 0x00, 0x00};
        Frame f{FrameHeader{4, 0, 0, Opcode::startup, static_cast<std::uint32_t>(body.size())}, body};
        auto decoded = decode_request(f);
        REQUIRE_FALSE(decoded.ok());
        CHECK_THAT(decoded.error().to_string(), Catch::Contains("UTF-8"));
    }
    SECTION("a forged huge count is refused without allocating") {
        const std::vector<std::uint8_t> body{0xFF, 0xFF};
        Frame f{FrameHeader{4, 0, 0, Opcode::register_events, 2}, body};
        auto decoded = decode_request(f);
        REQUIRE_FALSE(decoded.ok());
        CHECK_THAT(decoded.error().expected, Catch::Contains("count"));
    }
    SECTION("a 2 GB length header is refused before any body is buffered") {
        FrameAssembler a(1024 * 1024);
        const std::vector<std::uint8_t> header{0x04, 0, 0, 0, 0x07, 0x7F, 0xFF, 0xFF, 0xFF};
        a.feed(header);
        Frame f;
        CHECK(a.next(f) == FrameAssembler::Status::error);
        CHECK(a.error().offset == 5);
    }
    SECTION("unknown opcode") {
        Frame f{FrameHeader{4, 0, 0, static_cast<Opcode>(0x04), 0}, {}};
        CHECK_FALSE(decode_request(f).ok());
    }
}

TEST_CASE("the assembler yields the same frames one byte at a time") {
    std::vector<std::uint8_t> stream;
    encode_request(stream, 1, Options{});
    encode_request(stream, 2, Query{"SELECT * FROM system.local", {}});
    encode_request(stream, 3, Prepare{"SELECT v FROM ks.kv WHERE k = ?"});
    FrameAssembler a;
    std::vector<std::int16_t> streams;
    for (auto byte : stream) {
        a.feed(std::span<const std::uint8_t>(&byte, 1));
        Frame f;
        while (a.next(f) == FrameAssembler::Status::frame) {
            REQUIRE(decode_request(f).ok());
            streams.push_back(f.header.stream);
        }
    }
    CHECK(streams == std::vector<std::int16_t>{1, 2, 3});
}
