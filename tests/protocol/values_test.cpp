// CQL value encodings: exact bytes for a few types, and the typed errors bad bytes give.
#include <catch2/catch.hpp>

#include "driver/protocol/values.hpp"
#include "driver/protocol/vint.hpp"

using namespace routelab::cql;

namespace {

ColumnType list_of(TypeId id) {
    ColumnType t = ColumnType::of(TypeId::list);
    t.parameters = {ColumnType::of(id)};
    return t;
}

}  // namespace

TEST_CASE("native values encode big-endian") {
    Bytes out;
    REQUIRE_FALSE(encode_value(ColumnType::of(TypeId::int_), CqlValue{std::int32_t{-2}}, out));
    CHECK(out == Bytes{0xFF, 0xFF, 0xFF, 0xFE});
    out.clear();
    REQUIRE_FALSE(encode_value(ColumnType::of(TypeId::date), CqlValue{std::uint32_t{1u << 31}}, out));
    CHECK(out == Bytes{0x80, 0, 0, 0});
    out.clear();
    CHECK(encode_value(ColumnType::of(TypeId::int_), CqlValue{std::string("x")}, out).has_value());
    CHECK(encode_value(ColumnType::of(TypeId::ascii), CqlValue{std::string("\xC3\xA9")}, out).has_value());
    CHECK(out.empty());
}

TEST_CASE("collections: [int] count then [bytes] elements") {
    Bytes out;
    CqlValue list{CqlCollection{{CqlValue{std::int32_t{1}}, CqlValue{std::int32_t{2}}}}};
    REQUIRE_FALSE(encode_value(list_of(TypeId::int_), list, out));
    CHECK(out == Bytes{0, 0, 0, 2, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0, 2});
    auto back = decode_value(list_of(TypeId::int_), out);
    REQUIRE(back.ok());
    CHECK(*back == list);
}

TEST_CASE("bad values give the offset and the expectation") {
    auto text = decode_value(ColumnType::of(TypeId::varchar), Bytes{'o', 'k', 0xC0, 0x80});
    REQUIRE_FALSE(text.ok());
    CHECK(text.error().expected == "UTF-8 text");
    auto negative = decode_value(list_of(TypeId::int_), Bytes{0xFF, 0xFF, 0xFF, 0xFF});
    REQUIRE_FALSE(negative.ok());
    CHECK(negative.error().expected.find("non-negative") != std::string::npos);
    auto huge = decode_value(list_of(TypeId::int_), Bytes{0x7F, 0xFF, 0xFF, 0xFF, 0, 0, 0, 4});
    REQUIRE_FALSE(huge.ok());
    auto null_element = decode_value(list_of(TypeId::int_), Bytes{0, 0, 0, 1, 0xFF, 0xFF, 0xFF, 0xFF});
    REQUIRE_FALSE(null_element.ok());
    CHECK(null_element.error().offset == 4);
    auto short_int = decode_value(list_of(TypeId::int_), Bytes{0, 0, 0, 1, 0, 0, 0, 2, 0, 1});
    REQUIRE_FALSE(short_int.ok());
    CHECK(short_int.error().offset == 8);
    CHECK(short_int.error().expected == "4 bytes for a int, got 2");
    CHECK_FALSE(decode_value(ColumnType::of(TypeId::inet), Bytes{1, 2, 3}).ok());
    CHECK_FALSE(decode_value(ColumnType::of(TypeId::ascii), Bytes{0x80}).ok());
}

TEST_CASE("vectors: fixed-size elements packed, variable-size ones vint-prefixed") {
    const ColumnType floats = vector_type(ColumnType::of(TypeId::float_), 2);
    CHECK(floats.custom_class == "org.apache.cassandra.db.marshal.VectorType(org.apache.cassandra.db.marshal.FloatType, 2)");
    Bytes out;
    REQUIRE_FALSE(encode_value(floats, CqlValue{CqlCollection{{CqlValue{1.0f}, CqlValue{-2.0f}}}}, out));
    CHECK(out == Bytes{0x3F, 0x80, 0, 0, 0xC0, 0, 0, 0});
    const ColumnType texts = vector_type(ColumnType::of(TypeId::varchar), 2);
    out.clear();
    REQUIRE_FALSE(encode_value(texts, CqlValue{CqlCollection{{CqlValue{std::string("ab")}, CqlValue{std::string("")}}}}, out));
    CHECK(out == Bytes{2, 'a', 'b', 0});
    CHECK(encode_value(floats, CqlValue{CqlCollection{{CqlValue{1.0f}}}}, out).has_value());
    auto info = vector_info(floats);
    REQUIRE(info);
    CHECK(info->dimension == 2);
    CHECK(info->element == ColumnType::of(TypeId::float_));
}

TEST_CASE("durations are three zigzag vints") {
    Bytes out;
    REQUIRE_FALSE(encode_value(ColumnType::of(TypeId::duration), CqlValue{Duration{1, -1, 200}}, out));
    CHECK(out == Bytes{0x02, 0x01, 0x81, 0x90});
    auto back = decode_value(ColumnType::of(TypeId::duration), out);
    REQUIRE(back.ok());
    CHECK(*back == CqlValue{Duration{1, -1, 200}});
}

TEST_CASE("unsigned vints round-trip at every size") {
    for (int bits = 0; bits < 64; ++bits) {
        const std::uint64_t v = (std::uint64_t{1} << bits) | 1;
        Bytes out;
        write_unsigned_vint(out, v);
        ByteReader r(out);
        CHECK(read_unsigned_vint(r) == v);
        CHECK(r.at_end());
    }
}
