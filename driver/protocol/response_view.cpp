#include "driver/protocol/response_view.hpp"

#include <string>

#include "driver/protocol/body_codec.hpp"
#include "driver/protocol/invariant.hpp"

namespace routelab::cql {

namespace {

constexpr int max_type_depth = 32;

void skip_string_list(ByteReader& r) {
    const std::size_t n = r.count(r.u16(), 2, "[string list]");
    for (std::size_t i = 0; i < n && !r.failed(); ++i) r.string_view();
}

void skip_bytes_map(ByteReader& r) {
    const std::size_t n = r.count(r.u16(), 6, "[bytes map]");
    for (std::size_t i = 0; i < n && !r.failed(); ++i) {
        r.string_view();
        r.bytes_view();
    }
}

// Walks a type [option] without building it (mirrors read_column_type).
void skip_column_type(ByteReader& r, int depth) {
    if (depth > max_type_depth) return r.fail("a type nested at most " + std::to_string(max_type_depth) + " deep");
    const std::size_t at = r.offset();
    const std::uint16_t id = r.u16();
    if (r.failed()) return;
    switch (static_cast<TypeId>(id)) {
        case TypeId::custom: r.string_view(); return;
        case TypeId::list:
        case TypeId::set: return skip_column_type(r, depth + 1);
        case TypeId::map:
            skip_column_type(r, depth + 1);
            return skip_column_type(r, depth + 1);
        case TypeId::udt: {
            r.string_view();
            r.string_view();
            const std::size_t n = r.count(r.u16(), 4, "UDT field");
            for (std::size_t i = 0; i < n && !r.failed(); ++i) {
                r.string_view();
                skip_column_type(r, depth + 1);
            }
            return;
        }
        case TypeId::tuple: {
            const std::size_t n = r.count(r.u16(), 2, "tuple element");
            for (std::size_t i = 0; i < n && !r.failed(); ++i) skip_column_type(r, depth + 1);
            return;
        }
        default:
            if (id <= static_cast<std::uint16_t>(TypeId::duration) && id != 0x000A) return;
            r.fail_at(at, "a known type [option] id, got " + std::to_string(id));
    }
}

bool skip_prefixes(ByteReader& r, std::uint8_t flags) {
    if (flags & frame_flags::compression) {
        r.fail("an uncompressed body (decompress the frame before decoding it)");
        return false;
    }
    if (flags & frame_flags::tracing) r.raw(16);
    if (flags & frame_flags::warning) skip_string_list(r);
    if (flags & frame_flags::custom_payload) skip_bytes_map(r);
    return !r.failed();
}

RowsView read_rows_view(ByteReader& r, std::span<const std::uint8_t> body) {
    const std::size_t metadata_start = r.offset();
    const std::int32_t flags = r.i32();
    const std::size_t count_at = r.offset();
    const std::int32_t columns = r.i32();
    if (columns < 0 && !r.failed()) r.fail_at(count_at, "a non-negative column count, got " + std::to_string(columns));
    CellView paging_state;
    if (flags & rows_flags::has_more_pages) {
        paging_state = r.bytes_view();
        if (!paging_state) paging_state = std::span<const std::uint8_t>{};
    }
    if ((flags & rows_flags::no_metadata) == 0 && !r.failed()) {
        const std::size_t n = r.count(columns, 4, "column");
        if (flags & rows_flags::global_tables_spec) {
            r.string_view();
            r.string_view();
        }
        for (std::size_t i = 0; i < n && !r.failed(); ++i) {
            if ((flags & rows_flags::global_tables_spec) == 0) {
                r.string_view();
                r.string_view();
            }
            r.string_view();
            skip_column_type(r, 0);
        }
    }
    const std::size_t metadata_end = r.offset();
    const auto column_count = static_cast<std::size_t>(std::max(columns, 0));
    const std::size_t row_count = r.count(r.i32(), std::max<std::size_t>(column_count * 4, 1), "row");
    const std::size_t cells_start = r.offset();
    for (std::size_t i = 0; i < row_count * column_count && !r.failed(); ++i) r.bytes_view();
    if (r.failed()) return {};
    return RowsView(flags, column_count, row_count, paging_state, body.subspan(metadata_start, metadata_end - metadata_start),
                    body.subspan(cells_start, r.offset() - cells_start), metadata_start);
}

}  // namespace

CellView CellReader::next() {
    invariant(left_ > 0, "CellReader::next past the last cell");
    --left_;
    const auto* p = cells_.data() + pos_;
    const auto n = static_cast<std::int32_t>((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                             (std::uint32_t{p[2]} << 8) | p[3]);
    pos_ += 4;
    if (n < 0) return std::nullopt;
    auto cell = cells_.subspan(pos_, static_cast<std::size_t>(n));
    pos_ += static_cast<std::size_t>(n);
    return cell;
}

Decoded<RowsMetadata> RowsView::metadata() const {
    ByteReader r(metadata_bytes_, metadata_offset_);
    RowsMetadata m = read_rows_metadata(r);
    if (r.failed()) return r.error();
    return m;
}

Decoded<ResponseView> decode_response_view(const Frame& frame) {
    ByteReader r(frame.body);
    const int version = frame.header.protocol_version();
    if (version < 3 || version > 4) return DecodeError{0, "a protocol version 3 or 4 frame, got version " + std::to_string(version)};
    if (!frame.header.is_response()) return DecodeError{0, "a response frame (direction bit set)"};
    ResponseView v;
    v.opcode = frame.header.opcode;
    if (v.opcode != Opcode::result && v.opcode != Opcode::error) return v;
    if (!skip_prefixes(r, frame.header.flags)) return r.error();
    if (v.opcode == Opcode::error) {
        v.kind = ResponseView::Kind::error;
        v.error_code = r.i32();
        v.error_message = r.string_view();
        if (r.failed()) return r.error();
        return v;
    }
    const std::size_t kind_at = r.offset();
    const std::int32_t kind = r.i32();
    if (r.failed()) return r.error();
    if (kind == result_kinds::void_result) {
        v.kind = ResponseView::Kind::void_result;
    } else if (kind == result_kinds::rows) {
        v.kind = ResponseView::Kind::rows;
        v.rows = read_rows_view(r, frame.body);
    } else if (kind >= result_kinds::set_keyspace && kind <= result_kinds::schema_change) {
        return v;  // other
    } else {
        r.fail_at(kind_at, "a RESULT kind 1..5, got " + std::to_string(kind));
    }
    if (!r.failed() && !r.at_end()) r.fail("the end of the RESULT body, " + std::to_string(r.remaining()) + " bytes left");
    if (r.failed()) return r.error();
    return v;
}

}  // namespace routelab::cql
