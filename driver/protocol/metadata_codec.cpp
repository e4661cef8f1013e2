// Type [option]s, column specs, Rows metadata and Prepared metadata.
#include <string>

#include "driver/protocol/body_codec.hpp"

namespace routelab::cql {

namespace {

constexpr int max_type_depth = 32;  // nesting bound so a forged type cannot recurse without end

std::string hex16(std::uint16_t v) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s = "0x";
    for (int shift = 12; shift >= 0; shift -= 4) s.push_back(digits[(v >> shift) & 0xF]);
    return s;
}

bool all_same_table(const std::vector<ColumnSpec>& columns) {
    for (const auto& c : columns)
        if (c.keyspace != columns[0].keyspace || c.table != columns[0].table) return false;
    return !columns.empty();
}

// Uses the global table spec whenever every column names the same table, as servers do.
void write_column_specs(ByteWriter& w, const std::vector<ColumnSpec>& columns, bool global) {
    if (global) {
        w.string(columns[0].keyspace);
        w.string(columns[0].table);
    }
    for (const auto& c : columns) {
        if (!global) {
            w.string(c.keyspace);
            w.string(c.table);
        }
        w.string(c.name);
        write_column_type(w, c.type);
    }
}

std::vector<ColumnSpec> read_column_specs(ByteReader& r, std::size_t count, bool global) {
    std::vector<ColumnSpec> out;
    std::string ks, table;
    if (global) {
        ks = r.string();
        table = r.string();
    }
    out.reserve(count);
    for (std::size_t i = 0; i < count && !r.failed(); ++i) {
        ColumnSpec c;
        if (global) {
            c.keyspace = ks;
            c.table = table;
        } else {
            c.keyspace = r.string();
            c.table = r.string();
        }
        c.name = r.string();
        c.type = read_column_type(r);
        out.push_back(std::move(c));
    }
    return out;
}

}  // namespace

void write_column_type(ByteWriter& w, const ColumnType& t) {
    w.u16(static_cast<std::uint16_t>(t.id));
    switch (t.id) {
        case TypeId::custom: w.string(t.custom_class); break;
        case TypeId::list:
        case TypeId::set:
            invariant(t.parameters.size() == 1, "list/set types have one parameter");
            write_column_type(w, t.parameters[0]);
            break;
        case TypeId::map:
            invariant(t.parameters.size() == 2, "map types have two parameters");
            write_column_type(w, t.parameters[0]);
            write_column_type(w, t.parameters[1]);
            break;
        case TypeId::udt:
            invariant(t.udt_field_names.size() == t.parameters.size(), "one UDT field name per field type");
            w.string(t.udt_keyspace);
            w.string(t.udt_name);
            w.u16(static_cast<std::uint16_t>(t.parameters.size()));
            for (std::size_t i = 0; i < t.parameters.size(); ++i) {
                w.string(t.udt_field_names[i]);
                write_column_type(w, t.parameters[i]);
            }
            break;
        case TypeId::tuple:
            w.u16(static_cast<std::uint16_t>(t.parameters.size()));
            for (const auto& p : t.parameters) write_column_type(w, p);
            break;
        default: break;
    }
}

ColumnType read_column_type(ByteReader& r, int depth) {
    ColumnType t;
    if (depth > max_type_depth) {
        r.fail("a type nested at most " + std::to_string(max_type_depth) + " deep");
        return t;
    }
    const std::size_t at = r.offset();
    const std::uint16_t id = r.u16();
    t.id = static_cast<TypeId>(id);
    switch (t.id) {
        case TypeId::custom: t.custom_class = r.string(); break;
        case TypeId::ascii: case TypeId::bigint: case TypeId::blob: case TypeId::boolean:
        case TypeId::counter: case TypeId::decimal: case TypeId::double_: case TypeId::float_:
        case TypeId::int_: case TypeId::timestamp: case TypeId::uuid: case TypeId::varchar:
        case TypeId::varint: case TypeId::timeuuid: case TypeId::inet: case TypeId::date:
        case TypeId::time: case TypeId::smallint: case TypeId::tinyint: case TypeId::duration: break;
        case TypeId::list:
        case TypeId::set: t.parameters.push_back(read_column_type(r, depth + 1)); break;
        case TypeId::map:
            t.parameters.push_back(read_column_type(r, depth + 1));
            t.parameters.push_back(read_column_type(r, depth + 1));
            break;
        case TypeId::udt: {
            t.udt_keyspace = r.string();
            t.udt_name = r.string();
            const std::size_t n = r.count(r.u16(), 4, "UDT field");
            for (std::size_t i = 0; i < n && !r.failed(); ++i) {
                t.udt_field_names.push_back(r.string());
                t.parameters.push_back(read_column_type(r, depth + 1));
            }
            break;
        }
        case TypeId::tuple: {
            const std::size_t n = r.count(r.u16(), 2, "tuple element");
            for (std::size_t i = 0; i < n && !r.failed(); ++i) t.parameters.push_back(read_column_type(r, depth + 1));
            break;
        }
        default:
            if (!r.failed()) r.fail_at(at, "a known type [option] id, got " + hex16(id));
    }
    return t;
}

void write_rows_metadata(ByteWriter& w, const RowsMetadata& m) {
    std::int32_t flags = 0;
    const bool global = !m.no_metadata && all_same_table(m.columns);
    if (global) flags |= rows_flags::global_tables_spec;
    if (m.paging_state) flags |= rows_flags::has_more_pages;
    if (m.no_metadata) flags |= rows_flags::no_metadata;
    w.i32(flags);
    w.i32(m.no_metadata ? m.column_count : static_cast<std::int32_t>(m.columns.size()));
    if (m.paging_state) w.bytes(std::span<const std::uint8_t>(*m.paging_state));
    if (!m.no_metadata) write_column_specs(w, m.columns, global);
}

RowsMetadata read_rows_metadata(ByteReader& r) {
    RowsMetadata m;
    const std::int32_t flags = r.i32();
    const std::size_t count_at = r.offset();
    m.column_count = r.i32();
    if (m.column_count < 0 && !r.failed()) r.fail_at(count_at, "a non-negative column count, got " + std::to_string(m.column_count));
    if (flags & rows_flags::has_more_pages) {
        auto state = r.bytes();
        m.paging_state = state ? std::move(*state) : Bytes{};
    }
    m.no_metadata = (flags & rows_flags::no_metadata) != 0;
    if (!m.no_metadata) {
        const std::size_t n = r.count(m.column_count, 4, "column");
        m.columns = read_column_specs(r, n, (flags & rows_flags::global_tables_spec) != 0);
    }
    return m;
}

void write_prepared_metadata(ByteWriter& w, const PreparedMetadata& m, int version) {
    const bool global = all_same_table(m.columns);
    std::uint32_t flags = global ? static_cast<std::uint32_t>(rows_flags::global_tables_spec) : 0u;
    if (m.lwt) flags |= lwt_metadata_flag;
    w.i32(static_cast<std::int32_t>(flags));
    w.i32(static_cast<std::int32_t>(m.columns.size()));
    // v3 has no partition key indexes; drivers then fall back to table metadata.
    if (version >= 4) {
        w.i32(static_cast<std::int32_t>(m.pk_indexes.size()));
        for (auto i : m.pk_indexes) w.u16(i);
    }
    write_column_specs(w, m.columns, global);
}

PreparedMetadata read_prepared_metadata(ByteReader& r, int version) {
    PreparedMetadata m;
    const auto flags = static_cast<std::uint32_t>(r.i32());
    m.lwt = (flags & lwt_metadata_flag) != 0;
    const std::size_t columns = r.count(r.i32(), 4, "prepared column");
    if (version >= 4) {
        const std::size_t pk = r.count(r.i32(), 2, "partition key index");
        m.pk_indexes.reserve(pk);
        for (std::size_t i = 0; i < pk && !r.failed(); ++i) m.pk_indexes.push_back(r.u16());
    }
    m.columns = read_column_specs(r, columns, (flags & static_cast<std::uint32_t>(rows_flags::global_tables_spec)) != 0);
    return m;
}

void write_schema_change(ByteWriter& w, const SchemaChange& c) {
    w.string(c.change_type);
    w.string(c.target);
    w.string(c.keyspace);
    if (c.target == "KEYSPACE") return;
    w.string(c.name);
    if (c.target == "FUNCTION" || c.target == "AGGREGATE") w.string_list(c.argument_types);
}

SchemaChange read_schema_change(ByteReader& r) {
    SchemaChange c;
    c.change_type = r.string();
    const std::size_t target_at = r.offset();
    c.target = r.string();
    c.keyspace = r.string();
    if (c.target == "KEYSPACE") return c;
    if (c.target == "TABLE" || c.target == "TYPE") {
        c.name = r.string();
    } else if (c.target == "FUNCTION" || c.target == "AGGREGATE") {
        c.name = r.string();
        c.argument_types = r.string_list();
    } else if (!r.failed()) {
        r.fail_at(target_at, "a schema change target KEYSPACE, TABLE, TYPE, FUNCTION or AGGREGATE, got '" + c.target + "'");
    }
    return c;
}

}  // namespace routelab::cql
