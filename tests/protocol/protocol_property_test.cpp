// Round-trip properties: decode(encode(m)) == m for every message, value and frame
// prefix; the assembler yields the same frames for every split of the byte stream;
// compression is transparent; shard math stays in range.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "driver/protocol/response_view.hpp"
#include "driver/protocol/sharding.hpp"
#include "tests/protocol/generators.hpp"

using namespace routelab::cql;

namespace {

std::vector<Frame> frames_of(FrameAssembler& assembler, std::span<const std::uint8_t> bytes) {
    assembler.feed(bytes);
    std::vector<Frame> out;
    Frame f;
    while (assembler.next(f) == FrameAssembler::Status::frame) out.push_back(f);
    return out;
}

Frame only_frame(FrameAssembler& assembler, const std::vector<std::uint8_t>& bytes) {
    auto frames = frames_of(assembler, bytes);
    RC_ASSERT(frames.size() == 1u);
    return frames[0];
}

}  // namespace

TEST_CASE("requests round-trip through frames") {
    rc::prop("v4 request with extras", [] {
        const Request request = *gen::request(4);
        const FrameExtras extras = *gen::extras(false);
        const auto stream = *rc::gen::inRange<std::int16_t>(0, 32767);
        std::vector<std::uint8_t> out;
        encode_request(out, stream, request, 4, &extras);
        FrameAssembler assembler;
        const Frame f = only_frame(assembler, out);
        RC_ASSERT(f.header.stream == stream);
        RC_ASSERT(f.header.opcode == opcode_of(request));
        FrameExtras decoded_extras;
        auto decoded = decode_request(f, &decoded_extras);
        if (!decoded.ok()) RC_FAIL(decoded.error().to_string());
        RC_ASSERT(*decoded == request);
        RC_ASSERT(decoded_extras == extras);
    });
    rc::prop("v3 request", [] {
        const Request request = *gen::request(3);
        std::vector<std::uint8_t> out;
        encode_request(out, 1, request, 3);
        FrameAssembler assembler;
        auto decoded = decode_request(only_frame(assembler, out));
        RC_ASSERT(decoded.ok());
        RC_ASSERT(*decoded == request);
    });
}

TEST_CASE("responses round-trip through frames") {
    rc::prop("v4 response with extras", [] {
        const Response response = *gen::response(4);
        const FrameExtras extras = *gen::extras(true);
        std::vector<std::uint8_t> out;
        encode_response(out, -1, response, 4, &extras);
        FrameAssembler assembler;
        FrameExtras decoded_extras;
        auto decoded = decode_response(only_frame(assembler, out), &decoded_extras);
        if (!decoded.ok()) RC_FAIL(decoded.error().to_string());
        RC_ASSERT(*decoded == response);
        RC_ASSERT(decoded_extras == extras);
    });
    rc::prop("v3 response", [] {
        const Response response = *gen::response(3);
        std::vector<std::uint8_t> out;
        encode_response(out, 7, response, 3);
        FrameAssembler assembler;
        auto decoded = decode_response(only_frame(assembler, out));
        RC_ASSERT(decoded.ok());
        RC_ASSERT(*decoded == response);
    });
}

TEST_CASE("the rows view sees the same cells as the full decoder") {
    rc::prop("rows view", [] {
        RowsResult rows;
        rows.metadata = *gen::rows_metadata();
        rows.rows = *gen::rows_for(rows.metadata);
        std::vector<std::uint8_t> out;
        encode_response(out, 3, rows);
        FrameAssembler assembler;
        auto view = decode_response_view(only_frame(assembler, out));
        RC_ASSERT(view.ok());
        RC_ASSERT(view->kind == ResponseView::Kind::rows);
        RC_ASSERT(view->rows.row_count() == rows.rows.size());
        auto metadata = view->rows.metadata();
        RC_ASSERT(metadata.ok());
        RC_ASSERT(*metadata == rows.metadata);
        CellReader cells = view->rows.cells();
        for (const auto& row : rows.rows)
            for (const auto& cell : row) {
                const CellView c = cells.next();
                RC_ASSERT(c.has_value() == cell.has_value());
                if (c) RC_ASSERT(Bytes(c->begin(), c->end()) == *cell);
            }
        RC_ASSERT(cells.at_end());
    });
}

TEST_CASE("the assembler yields the same frames for every split") {
    rc::prop("any split", [] {
        const auto requests = *rc::gen::resize(8, rc::gen::nonEmpty(rc::gen::container<std::vector<Request>>(gen::request())));
        std::vector<std::uint8_t> stream;
        for (std::size_t i = 0; i < requests.size(); ++i) encode_request(stream, static_cast<std::int16_t>(i), requests[i]);
        // Cut points, then feed the pieces one by one.
        auto cuts = *rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, stream.size() + 1));
        cuts.push_back(0);
        cuts.push_back(stream.size());
        std::sort(cuts.begin(), cuts.end());
        FrameAssembler assembler;
        std::vector<Request> decoded;
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
            assembler.feed(std::span<const std::uint8_t>(stream).subspan(cuts[i], cuts[i + 1] - cuts[i]));
            Frame f;
            while (assembler.next(f) == FrameAssembler::Status::frame) {
                auto r = decode_request(f);
                if (!r.ok()) RC_FAIL(r.error().to_string());
                RC_ASSERT(f.header.stream == static_cast<std::int16_t>(decoded.size()));
                decoded.push_back(*r);
            }
        }
        RC_ASSERT(decoded == requests);
        RC_ASSERT(assembler.buffered() == 0u);
    });
}

TEST_CASE("LZ4 compression is transparent") {
    rc::prop("compress then decompress", [] {
        const Response response = *gen::response();
        std::vector<std::uint8_t> out, scratch, inflated;
        encode_response(out, 5, response);
        compress_frame(Compression::lz4, out, 0, scratch);
        FrameAssembler assembler;
        const Frame f = only_frame(assembler, out);
        auto plain = decompress_frame(Compression::lz4, f, inflated);
        RC_ASSERT(plain.ok());
        auto decoded = decode_response(*plain);
        RC_ASSERT(decoded.ok());
        RC_ASSERT(*decoded == response);
    });
}

TEST_CASE("CQL values round-trip for every type") {
    rc::prop("encode then decode", [] {
        const ColumnType type = *gen::column_type();
        const CqlValue value = *gen::non_null_value_of(type, 0);
        Bytes out;
        const auto error = encode_value(type, value, out);
        RC_ASSERT(!error.has_value());
        auto decoded = decode_value(type, out);
        RC_ASSERT(decoded.ok());
        RC_ASSERT(*decoded == value);
    });
}

TEST_CASE("shard math stays in range and is monotonic in the token") {
    rc::prop("shard_of", [](std::int64_t a, std::int64_t b) {
        const auto shards = *rc::gen::inRange(1u, 256u);
        const auto msb = *rc::gen::inRange(0u, 16u);
        RC_ASSERT(shard_of(a, shards, msb) < shards);
        if (msb == 0 && a <= b) RC_ASSERT(shard_of(a, shards, 0) <= shard_of(b, shards, 0));
    });
    rc::prop("source port lands on its shard", [] {
        const auto shards = *rc::gen::inRange(1u, 128u);
        const auto shard = *rc::gen::inRange(0u, shards);
        const auto candidate = *rc::gen::arbitrary<std::uint16_t>();
        const auto port = source_port_for_shard(shard, shards, candidate);
        RC_ASSERT(port.has_value());
        RC_ASSERT(*port >= 49152);
        RC_ASSERT(shard_of_source_port(*port, shards) == shard);
    });
}
