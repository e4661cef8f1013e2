// Client side: arbitrary bytes from a server, through framing, decompression, the full
// response decoder, the zero-copy rows view and the value decoder for every cell.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "driver/protocol/response_view.hpp"
#include "driver/protocol/values.hpp"

using namespace routelab::cql;

namespace {

void decode_cells(const RowsResult& rows) {
    const auto& columns = rows.metadata.columns;
    for (const auto& row : rows.rows)
        for (std::size_t i = 0; i < row.size() && i < columns.size(); ++i) {
            if (!row[i]) continue;
            auto value = decode_value(columns[i].type, *row[i]);
            if (value.ok()) {
                Bytes again;
                (void)encode_value(columns[i].type, *value, again);
            }
        }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> input(data, size);
    FrameAssembler assembler(1u << 20);
    assembler.feed(input);
    std::vector<std::uint8_t> scratch, out;
    Frame frame;
    while (assembler.next(frame) == FrameAssembler::Status::frame) {
        auto plain = decompress_frame(Compression::lz4, frame, scratch, 1u << 20);
        if (!plain.ok()) continue;
        if (auto view = decode_response_view(*plain); view.ok() && view->kind == ResponseView::Kind::rows) {
            (void)view->rows.metadata();
            CellReader cells = view->rows.cells();
            while (!cells.at_end()) (void)cells.next();
        }
        FrameExtras extras;
        auto response = decode_response(*plain, &extras);
        if (!response.ok()) continue;
        if (const auto* result = std::get_if<Result>(&*response))
            if (const auto* rows = std::get_if<RowsResult>(result)) decode_cells(*rows);
        out.clear();
        encode_response(out, plain->header.stream, *response, static_cast<std::uint8_t>(plain->header.protocol_version()), &extras);
    }
    return 0;
}
