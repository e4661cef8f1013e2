#include "mock_cluster/system_tables/select.hpp"

#include <algorithm>

#include "driver/protocol/byte_reader.hpp"

namespace routelab::cluster::system_tables {

namespace {

namespace wire = routelab::cql;
using wire::error_codes::invalid;

struct Restriction {
    std::size_t column;
    std::vector<wire::Bytes> allowed;   // empty: nothing matches
};

// The value a source supplies; nullopt for null/unset.
std::optional<wire::Bytes> value_of(const cql::ValueSource& source, const wire::QueryParameters& p) {
    switch (source.kind) {
        case cql::ValueSource::Kind::unset: return std::nullopt;
        case cql::ValueSource::Kind::constant: return source.constant;
        case cql::ValueSource::Kind::bind: {
            const auto& v = p.values[source.bind_index];
            if (v.kind != wire::Value::Kind::bytes) return std::nullopt;
            return v.bytes;
        }
    }
    return std::nullopt;
}

}  // namespace

std::optional<cql::CompileError> select(const cql::CompiledStatement& s, const wire::QueryParameters& p, const SystemView& view,
                                        wire::RowsResult& out) {
    const std::size_t markers = s.bind_specs.size();
    if (p.values.size() != markers)
        return cql::CompileError{invalid, "There were " + std::to_string(markers) + " markers(?) in CQL but " +
                                              std::to_string(p.values.size()) + " bound variables"};
    std::vector<Restriction> restrictions;
    for (const auto& f : s.filters) {
        Restriction r{f.column, {}};
        if (f.op == cql::Relation::Op::in_marker) {
            // A list value: [int] n, then n [bytes].
            if (auto list = value_of(f.values[0], p)) {
                wire::ByteReader reader(*list);
                const std::int32_t n = reader.i32();
                for (std::int32_t i = 0; i < n && !reader.failed(); ++i)
                    if (auto element = reader.bytes()) r.allowed.push_back(std::move(*element));
                if (reader.failed() || n < 0 || !reader.at_end())
                    return cql::CompileError{invalid, "Invalid list value for IN restriction on " +
                                                          s.system_table->shape.columns[f.column].name};
            }
        } else {
            for (const auto& source : f.values)
                if (auto v = value_of(source, p)) r.allowed.push_back(std::move(*v));
        }
        restrictions.push_back(std::move(r));
    }
    std::int32_t limit = -1;
    if (s.limit) {
        auto v = value_of(*s.limit, p);
        if (!v || v->size() != 4) return cql::CompileError{invalid, "LIMIT must be a 4-byte int"};
        wire::ByteReader r(*v);
        limit = r.i32();
        if (limit <= 0) return cql::CompileError{invalid, "LIMIT must be strictly positive"};
    }

    out.metadata = s.result_metadata;
    if (p.skip_metadata) {
        out.metadata.no_metadata = true;
        out.metadata.columns.clear();
    }
    std::vector<Cells> rows;
    s.system_table->rows(view, rows);
    for (auto& cells : rows) {
        const bool match = std::all_of(restrictions.begin(), restrictions.end(), [&](const Restriction& r) {
            const auto& cell = cells[r.column];
            return cell && std::find(r.allowed.begin(), r.allowed.end(), *cell) != r.allowed.end();
        });
        if (!match) continue;
        wire::Row row;
        row.reserve(s.projection.size());
        for (auto column : s.projection) row.push_back(cells[column]);
        out.rows.push_back(std::move(row));
        if (limit > 0 && out.rows.size() >= static_cast<std::size_t>(limit)) break;
    }
    return std::nullopt;
}

}  // namespace routelab::cluster::system_tables
