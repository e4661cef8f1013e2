// Malformed input never crashes, hangs or over-allocates: each case below must give a
// typed error naming the byte offset and what was expected.
#include <catch2/catch.hpp>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "driver/protocol/response_view.hpp"

using namespace routelab::cql;

namespace {

Frame frame_of(std::uint8_t version, Opcode opcode, const std::vector<std::uint8_t>& body, std::uint8_t flags = 0) {
    Frame f;
    f.header.version = version;
    f.header.flags = flags;
    f.header.opcode = opcode;
    f.header.length = static_cast<std::uint32_t>(body.size());
    f.body = body;
    return f;
}

}  // namespace

TEST_CASE("a 2 GB length header fails before anything is buffered for it") {
    FrameAssembler a;
    const std::vector<std::uint8_t> header{0x04, 0, 0, 1, 0x07, 0x80, 0, 0, 0};
    a.feed(header);
    Frame f;
    REQUIRE(a.next(f) == FrameAssembler::Status::error);
    CHECK(a.error().offset == 5);
    CHECK(a.error().expected.find("frame body length <= 268435456") != std::string::npos);
    CHECK(a.buffered() == 9);
}

TEST_CASE("a configurable limit applies at the right stream offset") {
    FrameAssembler a(16);
    std::vector<std::uint8_t> bytes;
    encode_request(bytes, 0, Options{});
    encode_request(bytes, 1, Prepare{"SELECT * FROM a_table_with_a_long_name"});
    a.feed(bytes);
    Frame f;
    REQUIRE(a.next(f) == FrameAssembler::Status::frame);
    REQUIRE(a.next(f) == FrameAssembler::Status::error);
    CHECK(a.error().offset == 9 + 5);
}

TEST_CASE("truncated bodies name the missing field") {
    std::vector<std::uint8_t> out;
    encode_request(out, 0, Query{"SELECT 1", {}});
    const std::vector<std::uint8_t> body(out.begin() + 9, out.end() - 1);  // drop the flags byte
    auto r = decode_request(frame_of(4, Opcode::query, body));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().offset == body.size());
    CHECK(r.error().expected.find("[byte]") != std::string::npos);
}

TEST_CASE("unknown and wrong-direction opcodes are refused") {
    auto r = decode_request(frame_of(4, static_cast<Opcode>(0x04), {}));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().expected.find("request opcode") != std::string::npos);
    auto s = decode_response(frame_of(0x84, static_cast<Opcode>(0x42), {}));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().expected.find("response opcode") != std::string::npos);
    CHECK_FALSE(decode_request(frame_of(0x84, Opcode::options, {})).ok());
    CHECK_FALSE(decode_request(frame_of(0x05, Opcode::options, {})).ok());
}

TEST_CASE("bad UTF-8 in a [string] is an error at the string") {
    // STARTUP {"A": "\xff"}
    const std::vector<std::uint8_t> body{0, 1, 0, 1, 'A', 0, 1, 0xFF};
    auto r = decode_request(frame_of(4, Opcode::startup, body));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().offset == 7);
    CHECK(r.error().expected == "a UTF-8 [string]");
}

TEST_CASE("negative and oversized counts fail without allocating") {
    // RESULT Rows, no metadata, 1 column, row count 0x7fffffff.
    const std::vector<std::uint8_t> rows{0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 1, 0x7F, 0xFF, 0xFF, 0xFF};
    auto r = decode_response(frame_of(0x84, Opcode::result, rows));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().expected.find("row count") != std::string::npos);
    CHECK_FALSE(decode_response_view(frame_of(0x84, Opcode::result, rows)).ok());
    // A [value] of length -3 in EXECUTE.
    const std::vector<std::uint8_t> execute{0, 1, 9, 0, 1, 0x01, 0, 1, 0xFF, 0xFF, 0xFF, 0xFD};
    auto e = decode_request(frame_of(4, Opcode::execute, execute));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().offset == 8);
    CHECK(e.error().expected == "a [value] length >= -2, got -3");
    // v3 has no "not set".
    const std::vector<std::uint8_t> unset{0, 1, 9, 0, 1, 0x01, 0, 1, 0xFF, 0xFF, 0xFF, 0xFE};
    CHECK_FALSE(decode_request(frame_of(3, Opcode::execute, unset)).ok());
    CHECK(decode_request(frame_of(4, Opcode::execute, unset)).ok());
}

TEST_CASE("trailing bytes, bad kinds and bad consistency are errors") {
    auto v = decode_response(frame_of(0x84, Opcode::result, {0, 0, 0, 1, 0}));
    REQUIRE_FALSE(v.ok());
    CHECK(v.error().expected == "the end of the RESULT body, 1 bytes left");
    auto k = decode_response(frame_of(0x84, Opcode::result, {0, 0, 0, 9}));
    REQUIRE_FALSE(k.ok());
    CHECK(k.error().offset == 0);
    auto c = decode_request(frame_of(4, Opcode::query, {0, 0, 0, 0, 0, 0x20, 0}));
    REQUIRE_FALSE(c.ok());
    CHECK(c.error().offset == 4);
}

TEST_CASE("compressed frames are checked before allocating") {
    std::vector<std::uint8_t> scratch;
    // Declares 200 MB from a 5-byte block: more than LZ4 can produce.
    const std::vector<std::uint8_t> forged{0x0C, 0x00, 0x00, 0x00, 0x10, 0, 0, 0, 0};
    auto r = decompress_frame(Compression::lz4, frame_of(0x84, Opcode::result, forged, frame_flags::compression), scratch);
    REQUIRE_FALSE(r.ok());
    CHECK(scratch.capacity() < 1024);
    const std::vector<std::uint8_t> corrupt{0, 0, 0, 20, 0xFF, 0xFF, 0xFF};
    CHECK_FALSE(decompress_frame(Compression::lz4, frame_of(0x84, Opcode::result, corrupt, frame_flags::compression), scratch).ok());
    CHECK_FALSE(decompress_frame(Compression::none, frame_of(0x84, Opcode::result, corrupt, frame_flags::compression), scratch).ok());
    CHECK_FALSE(decode_response(frame_of(0x84, Opcode::ready, {}, frame_flags::compression)).ok());
}
