// Round-trip properties: decode(encode(m)) == m for every request and response message
// type, every error body, every event and every CQL value type, each checked on its own
// (so none is left to chance by a random pick); the assembler yields the same messages
// for every way of splitting a byte stream; compression is transparent; shard math
// agrees with the 128-bit formula.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <algorithm>

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

void check_request_round_trip(const Request& request, int version, const FrameExtras& extras) {
    const auto stream = *rc::gen::inRange<std::int16_t>(0, 32767);
    std::vector<std::uint8_t> out;
    encode_request(out, stream, request, static_cast<std::uint8_t>(version), &extras);
    FrameAssembler assembler;
    const Frame f = only_frame(assembler, out);
    RC_ASSERT(f.header.stream == stream);
    RC_ASSERT(f.header.version == version);
    RC_ASSERT(f.header.opcode == opcode_of(request));
    auto decoded = decode_request_with_extras(f);
    if (!decoded.ok()) RC_FAIL(decoded.error().to_string());
    RC_ASSERT(decoded->message == request);
    RC_ASSERT(decoded->extras == extras);
}

void check_response_round_trip(const Response& response, int version, const FrameExtras& extras) {
    const auto stream = *rc::gen::inRange<std::int16_t>(-1, 32767);
    std::vector<std::uint8_t> out;
    encode_response(out, stream, response, static_cast<std::uint8_t>(version), &extras);
    FrameAssembler assembler;
    const Frame f = only_frame(assembler, out);
    RC_ASSERT(f.header.stream == stream);
    RC_ASSERT(f.header.version == (version | 0x80));
    RC_ASSERT(f.header.opcode == opcode_of(response));
    auto decoded = decode_response_with_extras(f);
    if (!decoded.ok()) RC_FAIL(decoded.error().to_string());
    RC_ASSERT(decoded->message == response);
    RC_ASSERT(decoded->extras == extras);
}

// Cut points for a stream of `size` bytes: anything from one piece to one byte per piece.
std::vector<std::size_t> random_cuts(std::size_t size) {
    auto cuts = *rc::gen::oneOf(rc::gen::container<std::vector<std::size_t>>(rc::gen::inRange<std::size_t>(0, size + 1)),
                                rc::gen::just([size] {
                                    std::vector<std::size_t> every(size + 1);
                                    for (std::size_t i = 0; i <= size; ++i) every[i] = i;
                                    return every;
                                }()));
    cuts.push_back(0);
    cuts.push_back(size);
    std::sort(cuts.begin(), cuts.end());
    return cuts;
}

}  // namespace

TEST_CASE("every request type round-trips through frames") {
    for (const auto& kind : gen::request_kinds(4)) {
        const auto g = kind.second;
        rc::prop("v4 " + kind.first + " with extras", [g] { check_request_round_trip(*g, 4, *gen::extras(false)); });
    }
    for (const auto& kind : gen::request_kinds(3)) {
        const auto g = kind.second;
        rc::prop("v3 " + kind.first, [g] { check_request_round_trip(*g, 3, FrameExtras{}); });
    }
}

TEST_CASE("every response type round-trips through frames") {
    for (const auto& kind : gen::response_kinds(4)) {
        const auto g = kind.second;
        rc::prop("v4 " + kind.first + " with extras", [g] { check_response_round_trip(*g, 4, *gen::extras(true)); });
    }
    for (const auto& kind : gen::response_kinds(3)) {
        const auto g = kind.second;
        rc::prop("v3 " + kind.first, [g] { check_response_round_trip(*g, 3, FrameExtras{}); });
    }
}

TEST_CASE("every error body round-trips") {
    for (const auto& kind : gen::error_kinds()) {
        const auto g = kind.second;
        rc::prop(kind.first, [g] { check_response_round_trip(Response{*g}, 4, FrameExtras{}); });
    }
}

TEST_CASE("every event round-trips on stream -1") {
    for (const auto& kind : gen::event_kinds()) {
        const auto g = kind.second;
        rc::prop(kind.first, [g] {
            const Event event = *g;
            std::vector<std::uint8_t> out;
            encode_response(out, event_stream_id, event);
            FrameAssembler assembler;
            const Frame f = only_frame(assembler, out);
            RC_ASSERT(f.header.stream == event_stream_id);
            RC_ASSERT(f.header.opcode == Opcode::event);
            auto decoded = decode_response(f);
            if (!decoded.ok()) RC_FAIL(decoded.error().to_string());
            RC_ASSERT(std::get<Event>(*decoded) == event);
        });
    }
}

TEST_CASE("every CQL value type round-trips") {
    for (const auto& kind : gen::type_kinds()) {
        const auto g = kind.second;
        rc::prop(kind.first, [g] {
            const ColumnType type = *g;
            const CqlValue value = *gen::non_null_value_of(type, 0);
            Bytes out;
            const auto error = encode_value(type, value, out);
            if (error) RC_FAIL(*error);
            auto decoded = decode_value(type, out);
            if (!decoded.ok()) RC_FAIL(decoded.error().to_string());
            RC_ASSERT(*decoded == value);
        });
    }
}

TEST_CASE("typed cells survive a RESULT Rows frame and the allocation-free view") {
    rc::prop("encode_value -> Rows -> RowsView -> decode_cell", [] {
        RowsResult rows;
        rows.metadata.columns = *rc::gen::resize(4, gen::column_specs());
        rows.metadata.column_count = static_cast<std::int32_t>(rows.metadata.columns.size());
        const auto row_count = *rc::gen::inRange<std::size_t>(0, 4);
        std::vector<std::vector<CqlValue>> values;
        for (std::size_t r = 0; r < row_count && !rows.metadata.columns.empty(); ++r) {
            Row row;
            std::vector<CqlValue> typed;
            for (const auto& column : rows.metadata.columns) {
                const CqlValue v = *gen::value_of(column.type, 0);
                if (v.is_null()) {
                    row.push_back(std::nullopt);
                } else {
                    Bytes cell;
                    RC_ASSERT(!encode_value(column.type, v, cell).has_value());
                    row.push_back(std::move(cell));
                }
                typed.push_back(v);
            }
            rows.rows.push_back(std::move(row));
            values.push_back(std::move(typed));
        }
        std::vector<std::uint8_t> out;
        encode_response(out, 1, rows);
        FrameAssembler assembler;
        auto view = decode_response_view(only_frame(assembler, out));
        if (!view.ok()) RC_FAIL(view.error().to_string());
        RC_ASSERT(view->kind == ResponseView::Kind::rows);
        CellReader cells = view->rows.cells();
        for (const auto& row : values)
            for (std::size_t c = 0; c < row.size(); ++c) {
                auto decoded = decode_cell(rows.metadata.columns[c].type, cells.next());
                if (!decoded.ok()) RC_FAIL(decoded.error().to_string());
                RC_ASSERT(*decoded == row[c]);
            }
        RC_ASSERT(cells.at_end());
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
        RC_ASSERT(view->rows.paging_state().has_value() == rows.metadata.paging_state.has_value());
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

TEST_CASE("the assembler yields the same messages for every split of the stream") {
    rc::prop("requests", [] {
        const auto requests = *rc::gen::resize(8, rc::gen::nonEmpty(rc::gen::container<std::vector<Request>>(gen::request())));
        std::vector<std::uint8_t> stream;
        for (std::size_t i = 0; i < requests.size(); ++i) encode_request(stream, static_cast<std::int16_t>(i), requests[i]);
        const auto cuts = random_cuts(stream.size());
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
        RC_ASSERT(assembler.stream_offset() == stream.size());
    });
    rc::prop("LZ4-compressed responses with extras", [] {
        const auto responses = *rc::gen::resize(8, rc::gen::nonEmpty(rc::gen::container<std::vector<Response>>(gen::response())));
        std::vector<FrameExtras> extras;
        std::vector<std::uint8_t> stream, scratch, inflated;
        for (std::size_t i = 0; i < responses.size(); ++i) {
            extras.push_back(*gen::extras(true));
            const std::size_t start = stream.size();
            encode_response(stream, static_cast<std::int16_t>(i), responses[i], 4, &extras.back());
            if (*rc::gen::arbitrary<bool>()) compress_frame(Compression::lz4, stream, start, scratch);
        }
        const auto cuts = random_cuts(stream.size());
        FrameAssembler assembler;
        std::size_t seen = 0;
        for (std::size_t i = 0; i + 1 < cuts.size(); ++i) {
            assembler.feed(std::span<const std::uint8_t>(stream).subspan(cuts[i], cuts[i + 1] - cuts[i]));
            Frame f;
            while (assembler.next(f) == FrameAssembler::Status::frame) {
                auto plain = decompress_frame(Compression::lz4, f, inflated);
                if (!plain.ok()) RC_FAIL(plain.error().to_string());
                auto r = decode_response_with_extras(*plain);
                if (!r.ok()) RC_FAIL(r.error().to_string());
                RC_ASSERT(seen < responses.size());
                RC_ASSERT(f.header.stream == static_cast<std::int16_t>(seen));
                RC_ASSERT(r->message == responses[seen]);
                RC_ASSERT(r->extras == extras[seen]);
                ++seen;
            }
        }
        RC_ASSERT(seen == responses.size());
    });
}

TEST_CASE("LZ4 compression is transparent in both directions") {
    rc::prop("responses", [] {
        const Response response = *gen::response();
        std::vector<std::uint8_t> out, scratch, inflated;
        encode_response(out, 5, response);
        compress_frame(Compression::lz4, out, 0, scratch);
        FrameAssembler assembler;
        auto plain = decompress_frame(Compression::lz4, only_frame(assembler, out), inflated);
        if (!plain.ok()) RC_FAIL(plain.error().to_string());
        auto decoded = decode_response(*plain);
        RC_ASSERT(decoded.ok());
        RC_ASSERT(*decoded == response);
    });
    rc::prop("requests with a custom payload", [] {
        const Request request = *gen::request();
        FrameExtras extras;
        extras.custom_payload = BytesMap{{"routelab-session", *gen::optional_bytes()}};
        std::vector<std::uint8_t> out, scratch, inflated;
        encode_request(out, 5, request, 4, &extras);
        compress_frame(Compression::lz4, out, 0, scratch);
        FrameAssembler assembler;
        auto plain = decompress_frame(Compression::lz4, only_frame(assembler, out), inflated);
        if (!plain.ok()) RC_FAIL(plain.error().to_string());
        auto decoded = decode_request_with_extras(*plain);
        RC_ASSERT(decoded.ok());
        RC_ASSERT(decoded->message == request);
        RC_ASSERT(decoded->extras == extras);
    });
}

namespace {
// The reference formula with a real 128-bit product (GCC/Clang extension).
__extension__ typedef unsigned __int128 uint128;
unsigned shard_by_128_bits(std::int64_t token, unsigned nr_shards, unsigned ignore_msb) {
    std::uint64_t biased = static_cast<std::uint64_t>(token) + (std::uint64_t{1} << 63);
    biased <<= ignore_msb;
    return static_cast<unsigned>((static_cast<uint128>(biased) * nr_shards) >> 64);
}
}  // namespace

TEST_CASE("shard math agrees with the 128-bit formula and stays in range") {
    rc::prop("shard_of", [](std::int64_t a, std::int64_t b) {
        const auto shards = *rc::gen::oneOf(rc::gen::inRange(1u, 256u), rc::gen::inRange(1u, 0xFFFFFFFFu));
        const auto msb = *rc::gen::inRange(0u, 64u);
        RC_ASSERT(shard_of(a, shards, msb) == shard_by_128_bits(a, shards, msb));
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
        const ShardPorts ports = source_ports_for_shard(shard, shards);
        RC_ASSERT(ports.count > 0u);
        RC_ASSERT(shard_of_source_port(ports.lowest, shards) == shard);
        RC_ASSERT(ports.lowest - 49152u < shards);
        RC_ASSERT(65535u - (ports.lowest + (ports.count - 1) * shards) < shards);
    });
}
