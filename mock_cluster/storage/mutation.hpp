#pragma once
// The two messages a coordinator carries to replicas, as flat bytes (so it copies them
// into its slot without knowing their shape):
//
// - a Mutation: upsert a row (cells, maybe the row marker), or delete a row, the rows
//   under a clustering prefix, or the whole partition;
// - a Slice: which rows of a partition a read wants, as bounds on the comparable
//   clustering key. A bound matches every key it is a prefix of, so a bound made of the
//   first k clustering values covers all rows starting with them.
//
// Both are produced by the statement layer and trusted by the store.
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/byte_writer.hpp"

namespace routelab::cluster {

enum class MutationKind : std::uint8_t { upsert, delete_row, delete_prefix, delete_partition };

class MutationWriter {
public:
    // Starts a mutation in `out` (cleared). `key`: comparable clustering key (full for
    // upsert/delete_row, a prefix for delete_prefix, empty for delete_partition);
    // `clustering`: the clustering values as [bytes] (upsert). `cells_bytes`: what the
    // cells will add (the sum of cell_size), so that `out` is allocated once.
    MutationWriter(std::vector<std::uint8_t>& out, MutationKind kind, bool row_marker, std::string_view key,
                   std::span<const std::uint8_t> clustering, std::size_t cells_bytes = 0);
    // The bytes `cell` adds for a value of `value_size` bytes (0 for null).
    static constexpr std::size_t cell_size(std::size_t value_size) { return 2 + 4 + value_size; }
    // A regular column's new value (nullopt: null, a cell tombstone).
    void cell(std::uint16_t column, std::optional<std::span<const std::uint8_t>> value);

private:
    static constexpr std::size_t header_size(std::string_view key, std::span<const std::uint8_t> clustering) {
        return 1 + 1 + 4 + key.size() + 4 + clustering.size() + 2;
    }
    std::vector<std::uint8_t>& out_;
    std::size_t count_at_;
    std::uint16_t count_ = 0;
};

struct MutationView {
    MutationKind kind = MutationKind::upsert;
    bool row_marker = false;
    std::string_view key;
    std::string_view clustering;
    std::uint16_t cell_count = 0;
    std::span<const std::uint8_t> cells;   // walk with `for_each_cell`

    template <typename F>   // F(std::uint16_t column, bool null, std::string_view value)
    void for_each_cell(F f) const {
        routelab::cql::ByteReader r(cells);
        for (std::uint16_t i = 0; i < cell_count; ++i) {
            const std::uint16_t column = r.u16();
            const auto value = r.bytes_view();
            if (r.failed()) return;
            f(column, !value.has_value(),
              value ? std::string_view(reinterpret_cast<const char*>(value->data()), value->size()) : std::string_view());
        }
    }
};
MutationView read_mutation(std::string_view bytes);

struct Slice {
    std::optional<std::string_view> lower;
    bool lower_inclusive = true;
    std::optional<std::string_view> upper;
    bool upper_inclusive = true;

    bool above_lower(std::string_view key) const {
        if (!lower) return true;
        return key.starts_with(*lower) ? lower_inclusive : key > *lower;
    }
    bool below_upper(std::string_view key) const {
        if (!upper) return true;
        return key.starts_with(*upper) ? upper_inclusive : key < *upper;
    }
};
// A slice without bounds is written as no bytes at all, and no bytes read as everything.
void write_slice(std::vector<std::uint8_t>& out, const Slice& slice);
Slice read_slice(std::string_view bytes);

}  // namespace routelab::cluster
