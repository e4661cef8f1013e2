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

namespace {

// A few valid frames of each direction whose bodies exercise most field kinds.
std::vector<std::vector<std::uint8_t>> sample_requests() {
    std::vector<std::vector<std::uint8_t>> frames(5);
    encode_request(frames[0], 1, Startup{{{"CQL_VERSION", "3.0.0"}, {"COMPRESSION", "lz4"}}});
    QueryParameters p;
    p.consistency = Consistency::local_quorum;
    p.values = {Value::of({0, 0, 0, 7}), Value::null(), Value::not_set()};
    p.value_names = {"a", "b", "c"};
    p.page_size = 100;
    p.paging_state = Bytes{1, 2, 3};
    p.serial_consistency = Consistency::local_serial;
    p.default_timestamp_us = 1234567;
    encode_request(frames[1], 2, Query{"SELECT * FROM ks.t WHERE k = ?", p});
    FrameExtras extras;
    extras.custom_payload = BytesMap{{"session", Bytes{9, 9}}};
    encode_request(frames[2], 3, Execute{Bytes(16, 0xAB), p}, 4, &extras);
    Batch b;
    b.statements = {{std::string("INSERT INTO t (k) VALUES (?)"), {Value::of({1})}, {}}, {Bytes{0xCD}, {Value::null()}, {}}};
    b.serial_consistency = Consistency::serial;
    b.default_timestamp_us = 5;
    encode_request(frames[3], 4, b);
    encode_request(frames[4], 5, Register{{"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE", "CLIENT_ROUTES_CHANGE"}});
    return frames;
}

std::vector<std::vector<std::uint8_t>> sample_responses() {
    std::vector<std::vector<std::uint8_t>> frames(6);
    RowsResult rows;
    rows.metadata.columns = {{"ks", "t", "k", ColumnType::of(TypeId::int_)}, {"ks", "t", "v", ColumnType::of(TypeId::varchar)}};
    rows.metadata.column_count = 2;
    rows.metadata.paging_state = Bytes{7};
    rows.rows = {{Bytes{0, 0, 0, 1}, Bytes{'x'}}, {Bytes{0, 0, 0, 2}, std::nullopt}};
    FrameExtras extras;
    extras.tracing_id = Uuid{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
    extras.warnings = {"careful"};
    extras.custom_payload = BytesMap{{"tablets-routing-v1", Bytes{1}}};
    encode_response(frames[0], 1, rows, 4, &extras);
    PreparedResult prepared;
    prepared.id = Bytes(16, 1);
    ColumnType list = ColumnType::of(TypeId::list);
    list.parameters = {ColumnType::of(TypeId::uuid)};
    prepared.metadata.columns = {{"ks", "t", "k", ColumnType::of(TypeId::int_)}, {"ks", "t", "ids", list}};
    prepared.metadata.pk_indexes = {0};
    prepared.result_metadata = rows.metadata;
    encode_response(frames[1], 2, prepared);
    encode_response(frames[2], 3, Error{error_codes::write_timeout, "timed out", error_detail::WriteTimeout{Consistency::quorum, 1, 2, "SIMPLE"}});
    encode_response(frames[3], -1, Event{StatusChange{"UP", Inet{InetAddress::v4(10, 0, 0, 1), 9042}}});
    encode_response(frames[4], -1, Event{ClientRoutesChange{"UPDATE_NODES", {"c1"}, {"h1"}}});
    encode_response(frames[5], 4, Supported{{{"CQL_VERSION", {"3.3.1"}}, {"COMPRESSION", {"lz4", "snappy"}}}});
    return frames;
}

// The frame with its header's length set to the first `n` body bytes only.
Frame truncated(const std::vector<std::uint8_t>& bytes, std::size_t n) {
    Frame f;
    f.header = decode_header(bytes.data());
    f.header.length = static_cast<std::uint32_t>(n);
    f.body = std::span<const std::uint8_t>(bytes).subspan(header_size, n);
    return f;
}

}  // namespace

TEST_CASE("every proper prefix of a valid body is an error, never a crash") {
    for (const auto& bytes : sample_requests()) {
        const std::size_t body = bytes.size() - header_size;
        REQUIRE(decode_request(truncated(bytes, body)).ok());
        for (std::size_t n = 0; n < body; ++n) {
            auto r = decode_request(truncated(bytes, n));
            INFO("request opcode " << int(bytes[4]) << ", prefix " << n << " of " << body);
            // OPTIONS-like empty bodies aside, a prefix must never decode.
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().offset <= n);
        }
    }
    for (const auto& bytes : sample_responses()) {
        const std::size_t body = bytes.size() - header_size;
        REQUIRE(decode_response(truncated(bytes, body)).ok());
        // The view validates Rows (and errors' code and message) in full; other kinds only
        // by their header, so only those are swept through it.
        auto full_view = decode_response_view(truncated(bytes, body));
        REQUIRE(full_view.ok());
        const bool view_validates = full_view->kind == ResponseView::Kind::rows;
        for (std::size_t n = 0; n < body; ++n) {
            INFO("response opcode " << int(bytes[4]) << ", prefix " << n << " of " << body);
            auto r = decode_response(truncated(bytes, n));
            REQUIRE_FALSE(r.ok());
            CHECK(r.error().offset <= n);
            if (view_validates) CHECK_FALSE(decode_response_view(truncated(bytes, n)).ok());
        }
    }
}

TEST_CASE("a stream cut short never yields a partial frame") {
    for (const auto& bytes : sample_responses()) {
        for (std::size_t n = 0; n < bytes.size(); ++n) {
            FrameAssembler a;
            a.feed(std::span<const std::uint8_t>(bytes).first(n));
            Frame f;
            CHECK(a.next(f) == FrameAssembler::Status::need_more);
        }
    }
}

TEST_CASE("a wrong length in the header is an error") {
    std::vector<std::uint8_t> bytes;
    encode_request(bytes, 1, Prepare{"SELECT 1"});
    // One byte longer than the body: the next frame's first byte is read as trailing garbage.
    std::vector<std::uint8_t> longer = bytes;
    longer[8] = static_cast<std::uint8_t>(longer[8] + 1);
    encode_request(longer, 2, Options{});
    FrameAssembler a;
    a.feed(longer);
    Frame f;
    REQUIRE(a.next(f) == FrameAssembler::Status::frame);
    auto r = decode_request(f);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().expected == "the end of the PREPARE body, 1 bytes left");
    // One byte shorter: the [long string] runs past the body.
    auto s = decode_request(truncated(bytes, bytes.size() - header_size - 1));
    REQUIRE_FALSE(s.ok());
    CHECK(s.error().offset == 4);
    CHECK(s.error().expected.find("[long string] bytes") != std::string::npos);
}

TEST_CASE("unknown opcodes are refused in both directions") {
    for (const std::uint8_t op : {std::uint8_t{0x04}, std::uint8_t{0x11}, std::uint8_t{0x7F}, std::uint8_t{0xFF}}) {
        INFO("opcode " << int(op));
        auto r = decode_request(frame_of(4, static_cast<Opcode>(op), {}));
        REQUIRE_FALSE(r.ok());
        CHECK(r.error().expected.find("a request opcode") != std::string::npos);
        auto s = decode_response(frame_of(0x84, static_cast<Opcode>(op), {}));
        REQUIRE_FALSE(s.ok());
        CHECK(s.error().expected.find("a response opcode") != std::string::npos);
    }
    // Response opcodes on the request side and the reverse.
    CHECK_FALSE(decode_request(frame_of(4, Opcode::result, {0, 0, 0, 1})).ok());
    CHECK_FALSE(decode_response(frame_of(0x84, Opcode::query, {})).ok());
}

TEST_CASE("bad UTF-8 in a query string and in a text value") {
    // QUERY "\xC0\x80" (overlong NUL), consistency ONE, no flags.
    const std::vector<std::uint8_t> body{0, 0, 0, 2, 0xC0, 0x80, 0, 1, 0};
    auto r = decode_request(frame_of(4, Opcode::query, body));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().offset == 4);
    CHECK(r.error().expected == "a UTF-8 [long string]");
    // A surrogate (U+D800) in an event's change string.
    const std::vector<std::uint8_t> event{0, 13, 'S', 'T', 'A', 'T', 'U', 'S', '_', 'C', 'H', 'A', 'N', 'G', 'E', 0, 3, 0xED, 0xA0, 0x80};
    auto e = decode_response(frame_of(0x84, Opcode::event, event));
    REQUIRE_FALSE(e.ok());
    CHECK(e.error().offset == 17);
}

TEST_CASE("events: unequal client route lists, unknown types and bad inet sizes") {
    // CLIENT_ROUTES_CHANGE with 1 connection id and 0 host ids.
    std::vector<std::uint8_t> body;
    ByteWriter w(body);
    w.string("CLIENT_ROUTES_CHANGE");
    w.string("UPDATE_NODES");
    w.string_list({"c1"});
    const std::size_t hosts_at = body.size();
    w.string_list({});
    auto r = decode_response(frame_of(0x84, Opcode::event, body));
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().offset == hosts_at);
    CHECK(r.error().expected == "as many host ids as connection ids (1), got 0");
    body.clear();
    w.string("KEYSPACE_CHANGE");
    CHECK_FALSE(decode_response(frame_of(0x84, Opcode::event, body)).ok());
    body.clear();
    w.string("TOPOLOGY_CHANGE");
    w.string("NEW_NODE");
    const std::size_t size_at = body.size();
    w.byte(5);
    auto bad_inet = decode_response(frame_of(0x84, Opcode::event, body));
    REQUIRE_FALSE(bad_inet.ok());
    CHECK(bad_inet.error().offset == size_at);
}

TEST_CASE("a legitimately highly compressible body is not mistaken for a forged length") {
    Query q{std::string(1 << 20, 'a'), {}};
    std::vector<std::uint8_t> out, scratch, inflated;
    encode_request(out, 1, q);
    compress_frame(Compression::lz4, out, 0, scratch);
    FrameAssembler a;
    a.feed(out);
    Frame f;
    REQUIRE(a.next(f) == FrameAssembler::Status::frame);
    auto plain = decompress_frame(Compression::lz4, f, inflated);
    REQUIRE(plain.ok());
    auto decoded = decode_request(*plain);
    REQUIRE(decoded.ok());
    CHECK(std::get<Query>(*decoded) == q);
    // The limit applies to the declared uncompressed length, before allocating.
    std::vector<std::uint8_t> small;
    auto limited = decompress_frame(Compression::lz4, f, small, 1000);
    REQUIRE_FALSE(limited.ok());
    CHECK(limited.error().expected.find("uncompressed length <= 1000") != std::string::npos);
    CHECK(small.capacity() == 0);
}
