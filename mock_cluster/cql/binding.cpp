#include "mock_cluster/cql/binding.hpp"

#include <algorithm>

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/byte_writer.hpp"
#include "driver/protocol/murmur3.hpp"
#include "mock_cluster/cql/paging_state.hpp"
#include "mock_cluster/storage/clustering_key.hpp"
#include "mock_cluster/storage/mutation.hpp"
#include "sim/core/rng.hpp"

namespace routelab::cluster::cql {

namespace {

namespace wire = routelab::cql;
using wire::error_codes::invalid;

// What a value source supplies: bytes, null, or nothing (a bind marker sent "unset").
struct Supplied {
    enum class Kind : std::uint8_t { bytes, null, unset } kind = Kind::null;
    std::span<const std::uint8_t> bytes;
};

Supplied value_of(const ValueSource& source, const wire::QueryParameters& p, std::optional<CompileError>& error) {
    switch (source.kind) {
        case ValueSource::Kind::unset: return {};
        case ValueSource::Kind::constant: return {Supplied::Kind::bytes, source.constant};
        case ValueSource::Kind::bind: {
            if (source.bind_index >= p.values.size()) {
                error = CompileError{invalid, "There were " + std::to_string(p.values.size()) + " markers(?) in CQL but " +
                                                  std::to_string(source.bind_index + 1) + " or more values are needed"};
                return {};
            }
            const auto& v = p.values[source.bind_index];
            if (v.kind == wire::Value::Kind::not_set) return {Supplied::Kind::unset, {}};
            if (v.kind == wire::Value::Kind::null) return {};
            return {Supplied::Kind::bytes, v.bytes};
        }
    }
    return {};
}

std::string_view as_text(std::span<const std::uint8_t> s) { return {reinterpret_cast<const char*>(s.data()), s.size()}; }

std::uint64_t partition_hash(const BoundOperation& b) { return sim::fnv1a64(as_text(b.partition_key)); }

// The comparable key of the bound prefix plus one more clustering value.
std::string extended_key(const TableDef& t, const BoundOperation& b, std::span<const std::uint8_t> value) {
    std::string key = b.clustering_key;
    const std::size_t position = b.clustering_columns;
    append_clustering_component(key, t.columns[t.partition_key_columns + position].type, value, t.order_of_clustering(position));
    return key;
}

std::optional<CompileError> bind_select(const CompiledStatement& s, const wire::QueryParameters& p, BoundOperation& out) {
    const TableDef& t = *s.table;
    std::optional<CompileError> error;
    out.limit = -1;
    if (s.limit) {
        const Supplied limit = value_of(*s.limit, p, error);
        if (error) return error;
        if (limit.kind != Supplied::Kind::bytes || limit.bytes.size() != 4) return CompileError{invalid, "LIMIT must be a 4-byte int"};
        wire::ByteReader r(limit.bytes);
        out.limit = r.i32();
        if (out.limit <= 0) return CompileError{invalid, "LIMIT must be strictly positive"};
    }
    out.page_size = p.page_size && *p.page_size > 0 ? *p.page_size : -1;
    out.limit_reached = false;

    // The slice in key order: the = prefix, narrowed by the bounds on the next column
    // (which swap sides on a DESC column), then by where the previous page ended.
    Slice slice;
    std::string lower, upper;
    if (out.clustering_columns != 0) {
        slice.lower = slice.upper = out.clustering_key;
    }
    const bool desc = out.clustering_columns < t.clustering_key_columns &&
                      t.order_of_clustering(out.clustering_columns) == ClusteringOrder::desc;
    auto apply_bound = [&](const std::optional<ClusteringBound>& bound, bool value_lower) -> bool {
        if (!bound) return true;
        const Supplied v = value_of(bound->value, p, error);
        if (error) return false;
        if (v.kind != Supplied::Kind::bytes) {
            error = CompileError{invalid, "Invalid null value in condition for column " +
                                              t.columns[t.partition_key_columns + out.clustering_columns].name};
            return false;
        }
        const bool key_lower = value_lower != desc;
        std::string& key = key_lower ? lower : upper;
        key = extended_key(t, out, v.bytes);
        (key_lower ? slice.lower : slice.upper) = key;
        (key_lower ? slice.lower_inclusive : slice.upper_inclusive) = bound->inclusive;
        return true;
    };
    if (!apply_bound(s.lower, true) || !apply_bound(s.upper, false)) return error;

    std::string resume_key;
    if (p.paging_state) {
        auto position = decode_paging_state(*p.paging_state);
        if (!position || position->partition_hash != partition_hash(out))
            return CompileError{wire::error_codes::protocol_error, "Invalid value for the paging state"};
        resume_key = std::move(position->last_key);
        out.limit = position->remaining;
        out.limit_reached = out.limit == 0;   // the previous page used up LIMIT: this one is empty
        // Continue strictly after the last row in the read's direction.
        if (s.reversed) {
            slice.upper = resume_key;
            slice.upper_inclusive = false;
        } else {
            slice.lower = resume_key;
            slice.lower_inclusive = false;
        }
    }
    write_slice(out.payload, slice);
    return std::nullopt;
}

std::optional<CompileError> bind_write(const CompiledStatement& s, const wire::QueryParameters& p, BoundOperation& out) {
    const TableDef& t = *s.table;
    std::optional<CompileError> error;
    MutationKind kind = MutationKind::upsert;
    if (s.kind == CompiledStatement::Kind::remove) {
        kind = out.clustering_columns == 0                       ? MutationKind::delete_partition
               : out.clustering_columns == t.clustering_key_columns ? MutationKind::delete_row
                                                                    : MutationKind::delete_prefix;
    }
    // The cells' size first, so that the mutation's buffer is allocated once.
    std::size_t cells_bytes = 0;
    for (const auto& source : s.regular_values) {
        if (!source) continue;
        const Supplied v = value_of(*source, p, error);
        if (error) return error;
        if (v.kind != Supplied::Kind::unset) cells_bytes += MutationWriter::cell_size(v.bytes.size());
    }
    MutationWriter m(out.payload, kind, s.row_marker, out.clustering_key, out.clustering_raw, cells_bytes);
    for (std::size_t i = 0; i < s.regular_values.size(); ++i) {
        if (!s.regular_values[i]) continue;
        const Supplied v = value_of(*s.regular_values[i], p, error);
        if (error) return error;
        if (v.kind == Supplied::Kind::unset) continue;   // left as it is
        m.cell(static_cast<std::uint16_t>(i), v.kind == Supplied::Kind::bytes ? std::optional(v.bytes) : std::nullopt);
    }
    out.condition_values.resize(s.conditions.size());
    for (std::size_t i = 0; i < s.conditions.size(); ++i) {
        const Supplied v = value_of(s.conditions[i].value, p, error);
        if (error) return error;
        if (v.kind == Supplied::Kind::bytes) out.condition_values[i].emplace(v.bytes.begin(), v.bytes.end());
        else out.condition_values[i].reset();
    }
    return std::nullopt;
}

// The clustering values of a stored row, in column order, into `values` (cleared; a
// caller reuses it from row to row).
void clustering_values(std::string_view raw, std::vector<std::span<const std::uint8_t>>& values) {
    values.clear();
    wire::ByteReader r(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size()));
    while (!r.failed() && !r.at_end()) {
        auto v = r.bytes_view();
        values.push_back(v ? *v : std::span<const std::uint8_t>{});
    }
}

wire::Bytes to_bytes(std::span<const std::uint8_t> bytes) { return wire::Bytes(bytes.begin(), bytes.end()); }

// The current row a conditional statement's read found, if visible.
struct CurrentRow {
    const RowVersion* row = nullptr;
    std::int64_t deletion = never;
    std::optional<std::span<const std::uint8_t>> cell(std::size_t regular) const {
        if (row == nullptr || regular >= row->cells.size() || !cell_visible(row->cells[regular], deletion)) return std::nullopt;
        const auto& v = row->cells[regular].value;
        return std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(v.data()), v.size());
    }
};
CurrentRow current_row(const RowSet& rows) {
    CurrentRow current;
    rows.for_each_visible(false, [&](std::string_view, const RowVersion& row, std::int64_t deletion) {
        current = {&row, deletion};
        return false;
    });
    return current;
}

wire::ColumnSpec applied_column(const TableDef& t) {
    return {t.keyspace, t.name, "[applied]", wire::ColumnType::of(wire::TypeId::boolean)};
}

}  // namespace

std::optional<CompileError> bind(const CompiledStatement& s, const wire::QueryParameters& p, BoundOperation& out) {
    std::optional<CompileError> error;
    const std::size_t markers = s.bind_specs.size();
    if (p.values.size() != markers)
        return CompileError{invalid, "There were " + std::to_string(markers) + " markers(?) in CQL but " +
                                         std::to_string(p.values.size()) + " bound variables"};
    const TableDef& t = *s.table;
    // The key's values are views of the request (or the statement) until they are
    // copied into partition_key, the one copy the operation keeps.
    const auto key_value = [&](std::size_t i) -> std::optional<std::span<const std::uint8_t>> {
        const Supplied v = value_of(s.partition_key[i], p, error);
        if (error) return std::nullopt;
        if (v.kind != Supplied::Kind::bytes) {
            error = CompileError{invalid, "Invalid null value for partition key part " + t.columns[i].name};
            return std::nullopt;
        }
        return v.bytes;
    };
    out.key_columns = s.partition_key.size();
    if (out.key_columns == 1) {
        const auto value = key_value(0);
        if (!value) return error;
        out.partition_key.assign(value->begin(), value->end());
    } else {
        std::vector<std::span<const std::uint8_t>> parts(out.key_columns);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto value = key_value(i);
            if (!value) return error;
            parts[i] = *value;
        }
        wire::composite_partition_key(parts, out.partition_key);
    }
    out.token = wire::murmur3_token(out.partition_key);
    out.clustering_columns = s.clustering_prefix.size();
    out.clustering_raw.clear();
    out.clustering_key.clear();
    wire::ByteWriter clustering_raw(out.clustering_raw);
    for (std::size_t i = 0; i < s.clustering_prefix.size(); ++i) {
        const std::size_t column = t.partition_key_columns + i;
        const Supplied v = value_of(s.clustering_prefix[i], p, error);
        if (error) return error;
        if (v.kind != Supplied::Kind::bytes) return CompileError{invalid, "Invalid null value for clustering key part " + t.columns[column].name};
        clustering_raw.bytes(v.bytes);
        append_clustering_component(out.clustering_key, t.columns[column].type, v.bytes, t.order_of_clustering(i));
    }
    if (s.kind == CompiledStatement::Kind::select) return bind_select(s, p, out);
    return bind_write(s, p, out);
}

std::span<const std::uint8_t> BoundOperation::key_component(std::size_t i) const {
    const std::span<const std::uint8_t> key(partition_key);
    return key_columns == 1 ? key : wire::composite_component(key, i);
}

wire::RowsResult rows_result(const CompiledStatement& s, const BoundOperation& bound, const RowSet* rows, bool skip_metadata) {
    wire::RowsResult result;
    if (skip_metadata) {
        // All of it but the columns, which are not copied only to be dropped.
        result.metadata.column_count = s.result_metadata.column_count;
        result.metadata.paging_state = s.result_metadata.paging_state;
        result.metadata.no_metadata = true;
    } else {
        result.metadata = s.result_metadata;
    }
    if (rows == nullptr || bound.limit_reached) return result;
    const TableDef& t = *s.table;
    const std::size_t pk = t.partition_key_columns;
    const std::size_t keys = pk + t.clustering_key_columns;
    const std::int64_t allowed = bound.limit < 0 ? INT64_MAX : bound.limit;
    const std::int64_t page = bound.page_size < 0 ? INT64_MAX : bound.page_size;
    std::int64_t emitted = 0;
    std::string last_key;
    bool more = false;
    std::vector<std::span<const std::uint8_t>> clustering;
    rows->for_each_visible(s.reversed, [&](std::string_view key, const RowVersion& stored, std::int64_t deletion) {
        if (emitted == allowed) return false;
        if (emitted == page) {
            more = true;
            return false;
        }
        clustering_values(stored.clustering, clustering);
        wire::Row row;
        row.reserve(s.projection.size());
        for (auto column : s.projection) {
            if (column == token_selector) {
                wire::Bytes token;
                wire::ByteWriter(token).i64(bound.token);
                row.emplace_back(std::move(token));
            } else if (column < pk) {
                row.emplace_back(to_bytes(bound.key_component(column)));
            } else if (column < keys) {
                row.emplace_back(to_bytes(clustering[column - pk]));
            } else {
                const std::size_t cell = column - keys;
                if (cell < stored.cells.size() && cell_visible(stored.cells[cell], deletion)) {
                    const auto& v = stored.cells[cell].value;
                    row.emplace_back(wire::Bytes(v.begin(), v.end()));
                } else {
                    row.emplace_back(std::nullopt);
                }
            }
        }
        result.rows.push_back(std::move(row));
        last_key.assign(key);
        ++emitted;
        return true;
    });
    if (more) {
        PagingPosition next;
        next.partition_hash = partition_hash(bound);
        next.remaining = bound.limit < 0 ? -1 : static_cast<std::int32_t>(allowed - emitted);
        next.last_key = std::move(last_key);
        result.metadata.paging_state = encode_paging_state(next);
    }
    return result;
}

bool condition_holds(const CompiledStatement& s, const BoundOperation& bound, const RowSet& rows) {
    const CurrentRow current = current_row(rows);
    switch (s.lwt) {
        case LwtKind::none: return true;
        case LwtKind::if_not_exists: return current.row == nullptr;
        case LwtKind::if_exists: return current.row != nullptr;
        case LwtKind::if_conditions: break;
    }
    const std::size_t keys = s.table->partition_key_columns + s.table->clustering_key_columns;
    for (std::size_t i = 0; i < s.conditions.size(); ++i) {
        const auto value = current.cell(s.conditions[i].column - keys);
        const auto& wanted = bound.condition_values[i];
        if (value.has_value() != wanted.has_value()) return false;
        if (value && !std::equal(value->begin(), value->end(), wanted->begin(), wanted->end())) return false;
    }
    return true;
}

wire::RowsResult lwt_result(const CompiledStatement& s, const BoundOperation& bound, bool applied, const RowSet& rows) {
    const TableDef& t = *s.table;
    const std::size_t pk = t.partition_key_columns;
    const std::size_t keys = pk + t.clustering_key_columns;
    wire::RowsResult result;
    result.metadata.columns.push_back(applied_column(t));
    wire::Row row;
    row.emplace_back(wire::Bytes{static_cast<std::uint8_t>(applied ? 1 : 0)});
    const CurrentRow current = current_row(rows);
    // Not applied: the values that decided it, as Cassandra answers — the whole existing
    // row for IF NOT EXISTS, the conditions' columns for IF col = v, nothing more for IF
    // EXISTS (there is no row).
    std::vector<std::size_t> columns;
    if (!applied && s.lwt == LwtKind::if_not_exists && current.row != nullptr)
        for (std::size_t i = 0; i < t.columns.size(); ++i) columns.push_back(i);
    if (!applied && s.lwt == LwtKind::if_conditions)
        for (const auto& c : s.conditions)
            if (std::find(columns.begin(), columns.end(), c.column) == columns.end()) columns.push_back(c.column);
    std::vector<std::span<const std::uint8_t>> clustering;
    if (current.row) clustering_values(current.row->clustering, clustering);
    for (auto column : columns) {
        result.metadata.columns.push_back({t.keyspace, t.name, t.columns[column].name, t.columns[column].type});
        if (column < pk) row.emplace_back(to_bytes(bound.key_component(column)));
        else if (column < keys) row.emplace_back(column - pk < clustering.size() ? std::optional(to_bytes(clustering[column - pk])) : std::nullopt);
        else if (auto v = current.cell(column - keys)) row.emplace_back(to_bytes(*v));
        else row.emplace_back(std::nullopt);
    }
    result.metadata.column_count = static_cast<std::int32_t>(result.metadata.columns.size());
    result.rows.push_back(std::move(row));
    return result;
}

}  // namespace routelab::cluster::cql
