#include "mock_cluster/cql/binding.hpp"

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/byte_writer.hpp"
#include "driver/protocol/murmur3.hpp"

namespace routelab::cluster::cql {

namespace {

using routelab::cql::error_codes::invalid;

// The bytes a source supplies; nullopt for null/unset.
std::optional<std::span<const std::uint8_t>> value_of(const ValueSource& source, const routelab::cql::QueryParameters& p,
                                                      std::optional<CompileError>& error) {
    switch (source.kind) {
        case ValueSource::Kind::unset: return std::nullopt;
        case ValueSource::Kind::constant: return std::span<const std::uint8_t>(source.constant);
        case ValueSource::Kind::bind:
            if (source.bind_index >= p.values.size()) {
                error = CompileError{invalid, "There were " + std::to_string(p.values.size()) +
                                                  " markers(?) in CQL but " + std::to_string(source.bind_index + 1) +
                                                  " or more values are needed"};
                return std::nullopt;
            }
            const auto& v = p.values[source.bind_index];
            if (v.kind != routelab::cql::Value::Kind::bytes) return std::nullopt;
            return std::span<const std::uint8_t>(v.bytes);
    }
    return std::nullopt;
}

}  // namespace

std::optional<CompileError> bind(const CompiledStatement& s, const routelab::cql::QueryParameters& p, BoundOperation& out) {
    std::optional<CompileError> error;
    const std::size_t markers = s.bind_specs.size();
    if (p.values.size() != markers)
        return CompileError{invalid, "There were " + std::to_string(markers) + " markers(?) in CQL but " +
                                         std::to_string(p.values.size()) + " bound variables"};
    out.key_components.resize(s.partition_key.size());
    for (std::size_t i = 0; i < s.partition_key.size(); ++i) {
        auto bytes = value_of(s.partition_key[i], p, error);
        if (error) return error;
        if (!bytes) return CompileError{invalid, "Invalid null value for partition key part " + s.table->columns[i].name};
        out.key_components[i].assign(bytes->begin(), bytes->end());
    }
    if (out.key_components.size() == 1) {
        out.partition_key = out.key_components[0];
    } else {
        std::vector<std::span<const std::uint8_t>> parts(out.key_components.begin(), out.key_components.end());
        routelab::cql::composite_partition_key(parts, out.partition_key);
    }
    out.token = routelab::cql::murmur3_token(out.partition_key);
    out.row.clear();
    routelab::cql::ByteWriter w(out.row);
    for (const auto& source : s.row_values) {
        auto bytes = value_of(source, p, error);
        if (error) return error;
        if (bytes) w.bytes(*bytes);
        else w.i32(-1);
    }
    out.clustering_values.resize(s.clustering_filters.size());
    for (std::size_t i = 0; i < s.clustering_filters.size(); ++i) {
        auto bytes = value_of(s.clustering_filters[i].values[0], p, error);
        if (error) return error;
        if (bytes) out.clustering_values[i].emplace(bytes->begin(), bytes->end());
        else out.clustering_values[i].reset();
    }
    out.limit = -1;
    if (s.limit) {
        auto bytes = value_of(*s.limit, p, error);
        if (error) return error;
        if (!bytes || bytes->size() != 4) return CompileError{invalid, "LIMIT must be a 4-byte int"};
        routelab::cql::ByteReader r(*bytes);
        out.limit = r.i32();
        if (out.limit <= 0) return CompileError{invalid, "LIMIT must be strictly positive"};
    }
    return std::nullopt;
}

routelab::cql::RowsResult rows_result(const CompiledStatement& s, const BoundOperation& bound, bool found,
                                      std::string_view stored_row, bool skip_metadata) {
    routelab::cql::RowsResult result;
    result.metadata = s.result_metadata;
    if (skip_metadata) {
        result.metadata.no_metadata = true;
        result.metadata.columns.clear();
    }
    if (!found || bound.limit == 0) return result;
    // Split the stored image back into its non-key cells.
    std::vector<std::optional<routelab::cql::Bytes>> cells;
    routelab::cql::ByteReader r(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(stored_row.data()), stored_row.size()));
    const std::size_t stored_cells = s.table->columns.size() - s.table->partition_key_columns;
    for (std::size_t i = 0; i < stored_cells && !r.failed(); ++i) cells.push_back(r.bytes());
    const std::size_t pk_columns = s.table->partition_key_columns;
    // Clustering columns are stored with the row: a restriction on one is a comparison.
    for (std::size_t i = 0; i < s.clustering_filters.size(); ++i) {
        const std::size_t cell = s.clustering_filters[i].column - pk_columns;
        if (!bound.clustering_values[i] || cell >= cells.size() || cells[cell] != bound.clustering_values[i]) return result;
    }
    routelab::cql::Row row;
    row.reserve(s.projection.size());
    for (auto column : s.projection) {
        if (column == token_selector) {
            routelab::cql::Bytes token(8);
            for (int i = 0; i < 8; ++i) token[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(bound.token) >> (56 - 8 * i));
            row.emplace_back(std::move(token));
        } else if (column < pk_columns) row.emplace_back(bound.key_components[column]);
        else row.push_back(column - pk_columns < cells.size() ? cells[column - pk_columns] : std::nullopt);
    }
    result.rows.push_back(std::move(row));
    return result;
}

}  // namespace routelab::cluster::cql
