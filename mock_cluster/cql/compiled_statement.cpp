#include "mock_cluster/cql/compiled_statement.hpp"

#include "mock_cluster/cql/literal.hpp"

namespace routelab::cluster::cql {

namespace {

using routelab::cql::error_codes::invalid;

struct Compiler {
    const Schema& schema;
    CompiledStatement out;
    CompileError error;
    bool failed = false;

    void fail(std::string message) {
        if (!failed) error = {invalid, std::move(message)};
        failed = true;
    }

    ValueSource source(const Term& term, const ColumnDef& column) {
        ValueSource s;
        if (const auto* marker = std::get_if<BindMarker>(&term)) {
            s.kind = ValueSource::Kind::bind;
            s.bind_index = marker->index;
            if (out.bind_specs.size() <= marker->index) out.bind_specs.resize(marker->index + 1);
            out.bind_specs[marker->index] = {out.table->keyspace, out.table->name, column.name, column.type};
            return s;
        }
        const auto& literal = std::get<Literal>(term);
        if (!literal.quoted && literal.text == "null") return s;  // unset = null
        std::string why;
        auto bytes = literal_bytes(literal, column.type, why);
        if (!bytes) fail("invalid value for column " + column.name + ": " + why);
        s.kind = ValueSource::Kind::constant;
        if (bytes) s.constant = std::move(*bytes);
        return s;
    }

    bool resolve_table(const Statement& st, const std::string& current_keyspace) {
        const std::string& ks = st.keyspace.empty() ? current_keyspace : st.keyspace;
        if (ks.empty()) {
            fail("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
            return false;
        }
        out.keyspace = schema.keyspace(ks);
        if (out.keyspace == nullptr) {
            fail("Keyspace " + ks + " does not exist");
            return false;
        }
        out.table = schema.table(ks, st.table);
        if (out.table == nullptr) {
            fail("unconfigured table " + st.table);
            return false;
        }
        return true;
    }

    // The WHERE clause must name every partition-key column with '=' and nothing else.
    void partition_key_from(const std::vector<Relation>& where) {
        const TableDef& t = *out.table;
        out.partition_key.resize(t.partition_key_columns);
        std::vector<bool> seen(t.partition_key_columns, false);
        for (const auto& r : where) {
            auto index = t.column_index(r.column);
            if (!index) return fail("Undefined column name " + r.column);
            if (*index >= t.partition_key_columns)
                return fail("restricting non-partition-key column " + r.column + " is not supported by the mock cluster");
            out.partition_key[*index] = source(r.value, t.columns[*index]);
            seen[*index] = true;
        }
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (!seen[i]) return fail("partition key column " + t.columns[i].name + " must be restricted with =");
    }

    void finish_binds() {
        for (const auto& spec : out.bind_specs)
            if (spec.name.empty()) return fail("a bind marker could not be typed");
        // pk_indexes only when every partition-key column is bound by a marker.
        out.pk_indexes.clear();
        for (const auto& pk : out.partition_key) {
            if (pk.kind != ValueSource::Kind::bind) {
                out.pk_indexes.clear();
                return;
            }
            out.pk_indexes.push_back(static_cast<std::uint16_t>(pk.bind_index));
        }
    }

    void compile_select(const Select& sel) {
        const TableDef& t = *out.table;
        out.kind = CompiledStatement::Kind::select;
        if (sel.columns.empty()) {
            for (std::size_t i = 0; i < t.columns.size(); ++i) out.projection.push_back(i);
        } else {
            for (const auto& name : sel.columns) {
                auto index = t.column_index(name);
                if (!index) return fail("Undefined column name " + name);
                out.projection.push_back(*index);
            }
        }
        partition_key_from(sel.where);
        if (sel.limit) {
            ColumnDef limit_column{"[limit]", routelab::cql::ColumnType::of(routelab::cql::TypeId::int_)};
            out.limit = source(*sel.limit, limit_column);
        }
        for (auto i : out.projection)
            out.result_metadata.columns.push_back({t.keyspace, t.name, t.columns[i].name, t.columns[i].type});
        out.result_metadata.column_count = static_cast<std::int32_t>(out.projection.size());
    }

    void compile_insert(const Insert& ins) {
        const TableDef& t = *out.table;
        out.kind = CompiledStatement::Kind::write;
        if (ins.if_not_exists) return fail("lightweight transactions (IF NOT EXISTS) are not supported yet");
        out.partition_key.resize(t.partition_key_columns);
        out.row_values.resize(t.columns.size() - t.partition_key_columns);
        std::vector<bool> pk_seen(t.partition_key_columns, false);
        for (std::size_t i = 0; i < ins.columns.size(); ++i) {
            auto index = t.column_index(ins.columns[i]);
            if (!index) return fail("Undefined column name " + ins.columns[i]);
            if (*index < t.partition_key_columns) {
                out.partition_key[*index] = source(ins.values[i], t.columns[*index]);
                pk_seen[*index] = true;
            } else {
                out.row_values[*index - t.partition_key_columns] = source(ins.values[i], t.columns[*index]);
            }
        }
        for (std::size_t i = 0; i < pk_seen.size(); ++i)
            if (!pk_seen[i]) return fail("Some partition key parts are missing: " + t.columns[i].name);
    }

    void compile_update(const Update& up) {
        const TableDef& t = *out.table;
        out.kind = CompiledStatement::Kind::write;
        out.row_values.resize(t.columns.size() - t.partition_key_columns);
        for (const auto& a : up.assignments) {
            auto index = t.column_index(a.column);
            if (!index) return fail("Undefined column name " + a.column);
            if (*index < t.partition_key_columns) return fail("PRIMARY KEY part " + a.column + " found in SET part");
            out.row_values[*index - t.partition_key_columns] = source(a.value, t.columns[*index]);
        }
        partition_key_from(up.where);
    }

    void compile_delete(const Delete& del) {
        out.kind = CompiledStatement::Kind::remove;
        partition_key_from(del.where);
    }
};

}  // namespace

CompileResult compile(const Statement& statement, const Schema& schema, const std::string& current_keyspace) {
    Compiler c{schema, {}, {}, false};
    if (std::holds_alternative<Use>(statement.body)) {
        if (schema.keyspace(statement.keyspace) == nullptr) return {std::nullopt, {invalid, "Keyspace '" + statement.keyspace + "' does not exist"}};
        c.out.kind = CompiledStatement::Kind::use;
        c.out.use_keyspace = statement.keyspace;
        return {std::move(c.out), {}};
    }
    if (c.resolve_table(statement, current_keyspace)) {
        std::visit(
            [&](const auto& body) {
                using T = std::decay_t<decltype(body)>;
                if constexpr (std::is_same_v<T, Select>) c.compile_select(body);
                else if constexpr (std::is_same_v<T, Insert>) c.compile_insert(body);
                else if constexpr (std::is_same_v<T, Update>) c.compile_update(body);
                else if constexpr (std::is_same_v<T, Delete>) c.compile_delete(body);
            },
            statement.body);
        if (!c.failed) c.finish_binds();
    }
    if (c.failed) return {std::nullopt, c.error};
    return {std::move(c.out), {}};
}

}  // namespace routelab::cluster::cql
