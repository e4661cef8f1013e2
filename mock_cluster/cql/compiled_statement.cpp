#include "mock_cluster/cql/compiled_statement.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "mock_cluster/cql/literal.hpp"

namespace routelab::cluster::cql {

namespace {

using routelab::cql::error_codes::config_error;
using routelab::cql::error_codes::invalid;
using routelab::cql::error_codes::unauthorized;

constexpr const char* locator_prefix = "org.apache.cassandra.locator.";

bool valid_schema_name(const std::string& name) {
    if (name.empty() || name.size() > 48) return false;
    return std::all_of(name.begin(), name.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::optional<int> replication_factor(const Literal& value) {
    int v = -1;
    auto [end, ec] = std::from_chars(value.text.data(), value.text.data() + value.text.size(), v);
    if (ec != std::errc{} || end != value.text.data() + value.text.size() || v < 0) return std::nullopt;
    return v;
}

struct Compiler {
    const Schema& schema;
    CompiledStatement out;
    CompileError error;
    bool failed = false;
    const TableDef* shape = nullptr;   // the table bind markers are typed against

    void fail(std::string message, std::int32_t code = invalid) {
        if (!failed) error = {code, std::move(message)};
        failed = true;
    }

    ValueSource marker_source(const BindMarker& marker, routelab::cql::ColumnSpec spec) {
        ValueSource s;
        s.kind = ValueSource::Kind::bind;
        s.bind_index = marker.index;
        if (out.bind_specs.size() <= marker.index) out.bind_specs.resize(marker.index + 1);
        out.bind_specs[marker.index] = std::move(spec);
        return s;
    }

    ValueSource source(const Term& term, const ColumnDef& column) {
        if (const auto* marker = std::get_if<BindMarker>(&term))
            return marker_source(*marker, {shape->keyspace, shape->name, column.name, column.type});
        ValueSource s;
        const auto& literal = std::get<Literal>(term);
        if (!literal.quoted && literal.text == "null") return s;  // unset = null
        std::string why;
        auto bytes = literal_bytes(literal, column.type, why);
        if (!bytes) fail("invalid value for column " + column.name + ": " + why);
        s.kind = ValueSource::Kind::constant;
        if (bytes) s.constant = std::move(*bytes);
        return s;
    }

    // `column IN ?`: the marker binds a list of the column's type, named as Cassandra does.
    ValueSource list_source(const Term& term, const ColumnDef& column) {
        routelab::cql::ColumnType list = routelab::cql::ColumnType::of(routelab::cql::TypeId::list);
        list.parameters = {column.type};
        return marker_source(std::get<BindMarker>(term), {shape->keyspace, shape->name, "in(" + column.name + ")", list});
    }

    bool resolve_table(const Statement& st, const std::string& current_keyspace) {
        const std::string& ks = st.keyspace.empty() ? current_keyspace : st.keyspace;
        if (ks.empty()) {
            fail("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
            return false;
        }
        if (system_tables::is_system_keyspace(ks)) {
            if (!system_tables::is_served_system_keyspace(ks)) {
                fail("Keyspace " + ks + " does not exist");
                return false;
            }
            out.system_table = system_tables::find(ks, st.table);
            if (out.system_table == nullptr) {
                fail("unconfigured table " + st.table);
                return false;
            }
            shape = &out.system_table->shape;
            return true;
        }
        out.keyspace = schema.keyspace_ptr(ks);
        if (out.keyspace == nullptr) {
            fail("Keyspace " + ks + " does not exist");
            return false;
        }
        out.table = schema.table_ptr(ks, st.table);
        if (out.table == nullptr) {
            fail("unconfigured table " + st.table);
            return false;
        }
        shape = out.table.get();
        return true;
    }

    // The WHERE clause of a user-table statement: every partition-key column with =; the
    // first clustering columns with =, then maybe a slice (<, <=, >, >=) on the next one.
    // Returns false (after failing) when something else is asked.
    bool key_from(const std::vector<Relation>& where, bool allow_slice) {
        const TableDef& t = *out.table;
        const std::size_t pk = t.partition_key_columns;
        out.partition_key.resize(pk);
        std::vector<bool> seen(pk, false);
        std::vector<std::optional<ValueSource>> clustering_eq(t.clustering_key_columns);
        std::optional<std::size_t> sliced;   // clustering position with a slice
        for (const auto& r : where) {
            auto index = t.column_index(r.column);
            if (!index) return fail("Undefined column name " + r.column), false;
            if (r.op == Relation::Op::in_marker || r.op == Relation::Op::in_list)
                return fail("IN restrictions on user tables are not supported by the mock cluster (column " + r.column + ")"), false;
            if (*index >= pk + t.clustering_key_columns)
                return fail("restricting non-primary-key column " + r.column + " is not supported by the mock cluster"), false;
            const bool eq = r.op == Relation::Op::eq;
            if (*index < pk) {
                if (!eq) return fail("Only EQ and IN relation are supported on the partition key (unless you use the token() function)"), false;
                out.partition_key[*index] = source(r.value, t.columns[*index]);
                seen[*index] = true;
                continue;
            }
            const std::size_t position = *index - pk;
            if (eq) {
                clustering_eq[position] = source(r.value, t.columns[*index]);
                continue;
            }
            if (!allow_slice) return fail("Invalid operator " + relation_text(r.op) + " for PRIMARY KEY part " + r.column), false;
            if (sliced && *sliced != position)
                return fail("Clustering column \"" + r.column + "\" cannot be restricted (preceding column \"" +
                            t.columns[pk + *sliced].name + "\" is restricted by a non-EQ relation)"), false;
            sliced = position;
            const bool lower = r.op == Relation::Op::gt || r.op == Relation::Op::ge;
            auto& bound = lower ? out.lower : out.upper;
            if (bound) return fail("More than one restriction was found for the " + std::string(lower ? "start" : "end") + " bound on " + r.column), false;
            bound = ClusteringBound{source(r.value, t.columns[*index]), r.op == Relation::Op::ge || r.op == Relation::Op::le};
        }
        for (std::size_t i = 0; i < seen.size(); ++i)
            if (!seen[i]) return fail("partition key column " + t.columns[i].name + " must be restricted with ="), false;
        // = restrictions must form a prefix, and a slice may follow only that prefix.
        std::size_t prefix = 0;
        while (prefix < clustering_eq.size() && clustering_eq[prefix]) out.clustering_prefix.push_back(std::move(*clustering_eq[prefix++]));
        for (std::size_t i = prefix; i < clustering_eq.size(); ++i) {
            if (clustering_eq[i] || (sliced && *sliced == i && i != prefix)) {
                const std::size_t missing = prefix;
                return fail("PRIMARY KEY column \"" + t.columns[pk + i].name + "\" cannot be restricted as preceding column \"" +
                            t.columns[pk + missing].name + "\" is not restricted"), false;
            }
        }
        if (sliced && *sliced < prefix)
            return fail("Column \"" + t.columns[pk + *sliced].name + "\" cannot be restricted by both an equality and a slice"), false;
        return true;
    }

    static std::string relation_text(Relation::Op op) {
        switch (op) {
            case Relation::Op::lt: return "<";
            case Relation::Op::le: return "<=";
            case Relation::Op::gt: return ">";
            case Relation::Op::ge: return ">=";
            default: return "=";
        }
    }

    bool full_clustering_key(const char* what) {
        const TableDef& t = *out.table;
        if (out.clustering_prefix.size() == t.clustering_key_columns) return true;
        fail(std::string(what) + " must restrict every clustering column with =; missing " +
             t.columns[t.partition_key_columns + out.clustering_prefix.size()].name);
        return false;
    }

    void conditions_from(bool if_exists, const std::vector<Condition>& conditions) {
        const TableDef& t = *out.table;
        if (if_exists) out.lwt = LwtKind::if_exists;
        if (conditions.empty()) return;
        out.lwt = LwtKind::if_conditions;
        for (const auto& c : conditions) {
            auto index = t.column_index(c.column);
            if (!index) return fail("Undefined column name " + c.column);
            if (*index < t.partition_key_columns + t.clustering_key_columns)
                return fail("PRIMARY KEY column '" + c.column + "' cannot have IF conditions");
            out.conditions.push_back({*index, source(c.value, t.columns[*index])});
        }
    }

    void finish_binds() {
        for (const auto& spec : out.bind_specs)
            if (spec.name.empty()) return fail("a bind marker could not be typed");
    }

    // pk_indexes only when every partition-key column is bound by a marker.
    void user_pk_indexes() {
        out.pk_indexes.clear();
        for (const auto& pk : out.partition_key) {
            if (pk.kind != ValueSource::Kind::bind) {
                out.pk_indexes.clear();
                return;
            }
            out.pk_indexes.push_back(static_cast<std::uint16_t>(pk.bind_index));
        }
    }

    void projection_and_metadata(const std::vector<std::string>& columns) {
        const TableDef& t = *shape;
        if (columns.empty()) {
            for (std::size_t i = 0; i < t.columns.size(); ++i) out.projection.push_back(i);
        } else {
            for (const auto& name : columns) {
                if (name.rfind("token(", 0) == 0) {
                    std::string expected = "token(";
                    for (std::size_t i = 0; i < t.partition_key_columns; ++i) expected += (i ? "," : "") + t.columns[i].name;
                    if (name != expected + ")")
                        return fail("token() takes the partition key columns in order: " + expected + ")");
                    out.projection.push_back(token_selector);
                    continue;
                }
                auto index = t.column_index(name);
                if (!index) return fail("Undefined column name " + name);
                out.projection.push_back(*index);
            }
        }
        for (std::size_t p = 0; p < out.projection.size(); ++p) {
            const std::size_t i = out.projection[p];
            if (i == token_selector) {
                std::string name;  // "token(a, b)", as Cassandra prints it
                for (char c : columns[p]) {
                    name.push_back(c);
                    if (c == ',') name.push_back(' ');
                }
                out.result_metadata.columns.push_back({t.keyspace, t.name, "system." + name,
                                                       routelab::cql::ColumnType::of(routelab::cql::TypeId::bigint)});
                continue;
            }
            out.result_metadata.columns.push_back({t.keyspace, t.name, t.columns[i].name, t.columns[i].type});
        }
        out.result_metadata.column_count = static_cast<std::int32_t>(out.projection.size());
    }

    void limit_from(const Select& sel) {
        if (!sel.limit) return;
        ColumnDef limit_column{"[limit]", routelab::cql::ColumnType::of(routelab::cql::TypeId::int_)};
        out.limit = source(*sel.limit, limit_column);
    }

    void compile_select(const Select& sel) {
        const TableDef& t = *out.table;
        out.kind = CompiledStatement::Kind::select;
        projection_and_metadata(sel.columns);
        if (!key_from(sel.where, true)) return;
        if (sel.order_by) {
            const auto& [column, descending] = *sel.order_by;
            if (t.clustering_key_columns == 0 || column != t.columns[t.partition_key_columns].name)
                return fail("Order by is currently only supported on the clustered columns of the PRIMARY KEY, got " + column +
                            " (the mock cluster orders by the first clustering column only)");
            out.reversed = descending != (t.order_of_clustering(0) == ClusteringOrder::desc);
        }
        limit_from(sel);
        user_pk_indexes();
    }

    void compile_system_select(const Select& sel) {
        const TableDef& t = *shape;
        out.kind = CompiledStatement::Kind::system_select;
        for (const auto& c : sel.columns)
            if (c.rfind("token(", 0) == 0) return fail("token() is not supported on system tables by the mock cluster");
        projection_and_metadata(sel.columns);
        for (const auto& r : sel.where) {
            auto index = t.column_index(r.column);
            if (!index) return fail("Undefined column name " + r.column);
            RowFilter f;
            f.column = *index;
            f.op = r.op;
            switch (r.op) {
                case Relation::Op::eq: f.values.push_back(source(r.value, t.columns[*index])); break;
                case Relation::Op::in_marker: f.values.push_back(list_source(r.value, t.columns[*index])); break;
                case Relation::Op::in_list:
                    for (const auto& term : r.in_values) f.values.push_back(source(term, t.columns[*index]));
                    break;
                case Relation::Op::lt:
                case Relation::Op::le:
                case Relation::Op::gt:
                case Relation::Op::ge:
                    return fail("range restrictions (" + relation_text(r.op) + ") on system tables are not supported by the mock cluster");
            }
            out.filters.push_back(std::move(f));
        }
        limit_from(sel);
        // Routing information when the whole partition key is bound with `= ?`.
        for (std::size_t pk = 0; pk < t.partition_key_columns; ++pk) {
            auto it = std::find_if(out.filters.begin(), out.filters.end(), [&](const RowFilter& f) {
                return f.column == pk && f.op == Relation::Op::eq && f.values[0].kind == ValueSource::Kind::bind;
            });
            if (it == out.filters.end()) {
                out.pk_indexes.clear();
                break;
            }
            out.pk_indexes.push_back(static_cast<std::uint16_t>(it->values[0].bind_index));
        }
    }

    void compile_insert(const Insert& ins) {
        const TableDef& t = *out.table;
        const std::size_t pk = t.partition_key_columns;
        const std::size_t keys = pk + t.clustering_key_columns;
        out.kind = CompiledStatement::Kind::write;
        out.row_marker = true;
        if (ins.if_not_exists) out.lwt = LwtKind::if_not_exists;
        out.partition_key.resize(pk);
        out.clustering_prefix.resize(t.clustering_key_columns);
        out.regular_values.resize(t.columns.size() - keys);
        std::vector<bool> key_seen(keys, false);
        for (std::size_t i = 0; i < ins.columns.size(); ++i) {
            auto index = t.column_index(ins.columns[i]);
            if (!index) return fail("Undefined column name " + ins.columns[i]);
            ValueSource value = source(ins.values[i], t.columns[*index]);
            if (*index < keys) {
                key_seen[*index] = true;
                (*index < pk ? out.partition_key[*index] : out.clustering_prefix[*index - pk]) = std::move(value);
            } else {
                out.regular_values[*index - keys] = std::move(value);
            }
        }
        for (std::size_t i = 0; i < key_seen.size(); ++i)
            if (!key_seen[i]) return fail("Some primary key parts are missing: " + t.columns[i].name);
        user_pk_indexes();
    }

    void compile_update(const Update& up) {
        const TableDef& t = *out.table;
        const std::size_t keys = t.partition_key_columns + t.clustering_key_columns;
        out.kind = CompiledStatement::Kind::write;
        out.regular_values.resize(t.columns.size() - keys);
        for (const auto& a : up.assignments) {
            auto index = t.column_index(a.column);
            if (!index) return fail("Undefined column name " + a.column);
            if (*index < keys) return fail("PRIMARY KEY part " + a.column + " found in SET part");
            out.regular_values[*index - keys] = source(a.value, t.columns[*index]);
        }
        if (!key_from(up.where, false) || !full_clustering_key("UPDATE")) return;
        conditions_from(up.if_exists, up.conditions);
        user_pk_indexes();
    }

    void compile_delete(const Delete& del) {
        out.kind = CompiledStatement::Kind::remove;
        // No clustering value: the partition; some: the rows under that prefix; all: the row.
        if (!key_from(del.where, false)) return;
        conditions_from(del.if_exists, del.conditions);
        if (out.conditional() && !full_clustering_key("DELETE with IF conditions")) return;
        user_pk_indexes();
    }

    // ---- schema changes ----

    bool refuse_system(const std::string& keyspace) {
        if (!system_tables::is_system_keyspace(keyspace)) return false;
        fail(keyspace + " keyspace is not user-modifiable.", unauthorized);
        return true;
    }

    std::string keyspace_for(const Statement& st, const std::string& current_keyspace) {
        const std::string& ks = st.keyspace.empty() ? current_keyspace : st.keyspace;
        if (ks.empty()) fail("No keyspace has been specified. USE a keyspace, or explicitly specify keyspace.tablename");
        return ks;
    }

    void compile_create_keyspace(const Statement& st, const CreateKeyspace& ck) {
        if (refuse_system(st.keyspace)) return;
        if (!valid_schema_name(st.keyspace))
            return fail("Keyspace name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \"" +
                        st.keyspace + "\")");
        CreateKeyspacePlan plan;
        plan.name = st.keyspace;
        plan.if_not_exists = ck.if_not_exists;
        plan.durable_writes = ck.durable_writes.value_or(true);
        std::string strategy_class;
        for (const auto& [key, value] : ck.replication)
            if (key == "class") strategy_class = value.text;
        if (strategy_class.empty()) return fail("Missing replication strategy class", config_error);
        const std::string short_class = strategy_class.rfind(locator_prefix, 0) == 0
                                            ? strategy_class.substr(std::string_view(locator_prefix).size())
                                            : strategy_class;
        if (short_class == "SimpleStrategy") {
            std::optional<int> rf;
            for (const auto& [key, value] : ck.replication) {
                if (key == "class") continue;
                if (key != "replication_factor")
                    return fail("Unrecognized strategy option {" + key + "} passed to SimpleStrategy for keyspace " + plan.name, config_error);
                rf = replication_factor(value);
                if (!rf) return fail("Replication factor must be non-negative integer; found " + value.text, config_error);
            }
            if (!rf) return fail("SimpleStrategy requires a replication_factor strategy option.", config_error);
            plan.strategy = ReplicationStrategy::simple(*rf);
        } else if (short_class == "NetworkTopologyStrategy") {
            std::map<std::string, int> per_dc;
            for (const auto& [key, value] : ck.replication) {
                if (key == "class") continue;
                auto rf = replication_factor(value);
                if (!rf) return fail("Replication factor must be non-negative integer; found " + value.text, config_error);
                per_dc[key] = *rf;   // "replication_factor" (every DC) is expanded when applied
            }
            plan.strategy = ReplicationStrategy::network_topology(std::move(per_dc));
        } else {
            return fail("replication strategy class " + strategy_class +
                            " is not supported by the mock cluster (use SimpleStrategy or NetworkTopologyStrategy)",
                        config_error);
        }
        out.schema_change = std::move(plan);
    }

    void compile_create_table(const Statement& st, const CreateTable& ct, const std::string& current_keyspace) {
        const std::string ks = keyspace_for(st, current_keyspace);
        if (failed || refuse_system(ks)) return;
        if (!valid_schema_name(st.table))
            return fail("Table name must not be empty, more than 48 characters long, or contain non-alphanumeric-underscore characters (got \"" +
                        st.table + "\")");
        std::map<std::string, routelab::cql::ColumnType> declared;
        for (const auto& c : ct.columns) {
            routelab::cql::ColumnType type;
            if (!routelab::cql::parse_type_name(c.type, type))
                return fail("Unknown type " + c.type + " (user-defined types are not supported by the mock cluster)");
            if (type.id == routelab::cql::TypeId::counter) return fail("counter columns are not supported by the mock cluster");
            if (!declared.emplace(c.name, type).second) return fail("Multiple definition of identifier " + c.name);
        }
        CreateTablePlan plan;
        plan.if_not_exists = ct.if_not_exists;
        TableDef& t = plan.table;
        t.keyspace = ks;
        t.name = st.table;
        std::set<std::string> key_columns;
        auto add_key = [&](const std::string& name) {
            auto it = declared.find(name);
            if (it == declared.end()) return fail("Unknown definition " + name + " referenced in PRIMARY KEY");
            if (!key_columns.insert(name).second) return fail("Duplicate definition for " + name + " in PRIMARY KEY");
            t.columns.push_back({name, it->second});
        };
        for (const auto& name : ct.partition_key) add_key(name);
        for (const auto& name : ct.clustering_key) add_key(name);
        if (failed) return;
        t.partition_key_columns = ct.partition_key.size();
        t.clustering_key_columns = ct.clustering_key.size();
        for (const auto& [name, type] : declared)   // regular columns by name, as Cassandra lists them
            if (key_columns.count(name) == 0) t.columns.push_back({name, type});
        if (!ct.clustering_order.empty()) {
            if (ct.clustering_order.size() > ct.clustering_key.size())
                return fail("Only clustering key columns can be defined in CLUSTERING ORDER directive");
            for (std::size_t i = 0; i < ct.clustering_order.size(); ++i) {
                if (ct.clustering_order[i].first != ct.clustering_key[i])
                    return fail("The order of columns in the CLUSTERING ORDER directive must be the one of the clustering key (" +
                                ct.clustering_order[i].first + " is out of place)");
                t.clustering_order.push_back(ct.clustering_order[i].second ? ClusteringOrder::desc : ClusteringOrder::asc);
            }
        }
        out.schema_change = std::move(plan);
    }
};

}  // namespace

CompileResult compile(const Statement& statement, const Schema& schema, const std::string& current_keyspace) {
    Compiler c{schema, {}, {}, false, nullptr};
    if (std::holds_alternative<Use>(statement.body)) {
        if (schema.keyspace(statement.keyspace) == nullptr && !system_tables::is_served_system_keyspace(statement.keyspace))
            return {std::nullopt, {invalid, "Keyspace '" + statement.keyspace + "' does not exist"}};
        c.out.kind = CompiledStatement::Kind::use;
        c.out.use_keyspace = statement.keyspace;
        return {std::move(c.out), {}};
    }
    c.out.kind = CompiledStatement::Kind::schema_change;
    if (const auto* ck = std::get_if<CreateKeyspace>(&statement.body)) {
        c.compile_create_keyspace(statement, *ck);
    } else if (const auto* dk = std::get_if<DropKeyspace>(&statement.body)) {
        if (!c.refuse_system(statement.keyspace)) c.out.schema_change = DropKeyspacePlan{statement.keyspace, dk->if_exists};
    } else if (const auto* ct = std::get_if<CreateTable>(&statement.body)) {
        c.compile_create_table(statement, *ct, current_keyspace);
    } else if (const auto* dt = std::get_if<DropTable>(&statement.body)) {
        const std::string ks = c.keyspace_for(statement, current_keyspace);
        if (!c.failed && !c.refuse_system(ks)) c.out.schema_change = DropTablePlan{ks, statement.table, dt->if_exists};
    } else if (c.resolve_table(statement, current_keyspace)) {
        if (c.out.system_table != nullptr) {
            if (const auto* sel = std::get_if<Select>(&statement.body)) c.compile_system_select(*sel);
            else c.fail(c.shape->keyspace + " keyspace is not user-modifiable.", unauthorized);
        } else {
            std::visit(
                [&](const auto& body) {
                    using T = std::decay_t<decltype(body)>;
                    if constexpr (std::is_same_v<T, Select>) c.compile_select(body);
                    else if constexpr (std::is_same_v<T, Insert>) c.compile_insert(body);
                    else if constexpr (std::is_same_v<T, Update>) c.compile_update(body);
                    else if constexpr (std::is_same_v<T, Delete>) c.compile_delete(body);
                },
                statement.body);
        }
        if (!c.failed) c.finish_binds();
    }
    if (c.failed) return {std::nullopt, c.error};
    return {std::move(c.out), {}};
}

}  // namespace routelab::cluster::cql
