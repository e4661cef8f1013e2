#pragma once
// The hot path's view of a response frame: what kind it is and, for RESULT Rows, the
// cells in place — decoded without allocating. Anything else (Prepared, events, error
// details, ...) is left to decode_response(), which builds full messages.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "driver/protocol/decode_error.hpp"
#include "driver/protocol/frame.hpp"
#include "driver/protocol/messages/results.hpp"

namespace routelab::cql {

using CellView = std::optional<std::span<const std::uint8_t>>;  // nullopt = null cell

// Reads the cells of a RowsView in row-major order. The view validated every length, so
// reading never fails; reading past the last cell is a caller bug.
class CellReader {
public:
    CellReader() = default;
    CellReader(std::span<const std::uint8_t> cells, std::size_t count) : cells_(cells), left_(count) {}
    bool at_end() const { return left_ == 0; }
    std::size_t cells_left() const { return left_; }
    CellView next();

private:
    std::span<const std::uint8_t> cells_;
    std::size_t pos_ = 0;
    std::size_t left_ = 0;
};

class RowsView {
public:
    RowsView() = default;
    RowsView(std::int32_t flags, std::size_t column_count, std::size_t row_count, CellView paging_state,
             std::span<const std::uint8_t> metadata_bytes, std::span<const std::uint8_t> cell_bytes, std::size_t metadata_offset)
        : flags_(flags), column_count_(column_count), row_count_(row_count), paging_state_(paging_state),
          metadata_bytes_(metadata_bytes), cell_bytes_(cell_bytes), metadata_offset_(metadata_offset) {}

    std::size_t column_count() const { return column_count_; }
    std::size_t row_count() const { return row_count_; }
    bool no_metadata() const { return (flags_ & rows_flags::no_metadata) != 0; }
    // Present when there are more pages (a null paging state reads as an empty span).
    const CellView& paging_state() const { return paging_state_; }
    CellReader cells() const { return CellReader(cell_bytes_, column_count_ * row_count_); }
    // The full metadata, decoded on demand (allocates; not for the hot path).
    Decoded<RowsMetadata> metadata() const;

private:
    std::int32_t flags_ = 0;
    std::size_t column_count_ = 0;
    std::size_t row_count_ = 0;
    CellView paging_state_;
    std::span<const std::uint8_t> metadata_bytes_;  // from the flags to the last column spec
    std::span<const std::uint8_t> cell_bytes_;
    std::size_t metadata_offset_ = 0;               // of metadata_bytes_ within the body
};

struct ResponseView {
    enum class Kind : std::uint8_t { error, void_result, rows, other };
    Kind kind = Kind::other;
    Opcode opcode = Opcode::ready;
    std::int32_t error_code = 0;         // kind == error (the tail is not decoded)
    std::string_view error_message;      // kind == error
    RowsView rows;                       // kind == rows (fully validated)
};

// Views into frame.body; valid while it is. Body prefixes (tracing id, warnings, custom
// payload) are validated and skipped. For kind `other` only the header was checked.
Decoded<ResponseView> decode_response_view(const Frame& frame);

}  // namespace routelab::cql
