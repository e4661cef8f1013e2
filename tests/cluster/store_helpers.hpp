#pragma once
// Coordinator-level tests write and read one regular cell of a clustering-less row.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mock_cluster/storage/mutation.hpp"
#include "mock_cluster/storage/row_set.hpp"

namespace routelab::test {

// The mutation setting the row's only regular cell (or deleting the partition).
inline std::string value_mutation(std::string_view value, bool delete_partition = false) {
    std::vector<std::uint8_t> bytes;
    cluster::MutationWriter w(bytes, delete_partition ? cluster::MutationKind::delete_partition : cluster::MutationKind::upsert,
                              true, {}, {});
    if (!delete_partition)
        w.cell(0, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(value.data()), value.size()));
    return std::string(bytes.begin(), bytes.end());
}

// The visible value of that cell in what a read gathered.
inline std::optional<std::string> visible_value(const cluster::RowSet* rows) {
    std::optional<std::string> out;
    if (rows == nullptr) return out;
    rows->for_each_visible(false, [&](std::string_view, const cluster::RowVersion& row, std::int64_t deletion) {
        out = (!row.cells.empty() && cluster::cell_visible(row.cells[0], deletion)) ? row.cells[0].value : std::string();
        return false;
    });
    return out;
}

}  // namespace routelab::test
