#pragma once
// RapidCheck generators for protocol messages and CQL values. Sizes are kept small so
// each property runs its 100 cases quickly; the shapes (optional parts present or not,
// nulls, nesting) are what matter.
#include <rapidcheck.h>

#include <string>
#include <utility>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/marshal_types.hpp"
#include "driver/protocol/values.hpp"

namespace routelab::cql::gen {

// A generator per alternative, named, so properties can cover each one on its own.
template <typename T>
using Kinds = std::vector<std::pair<std::string, rc::Gen<T>>>;

// Picks one of the kinds uniformly.
template <typename T>
rc::Gen<T> any_of(const Kinds<T>& kinds) {
    std::vector<rc::Gen<T>> gens;
    for (const auto& k : kinds) gens.push_back(k.second);
    return rc::gen::mapcat(rc::gen::inRange<std::size_t>(0, gens.size()), [gens](std::size_t i) { return gens[i]; });
}

template <typename T>
rc::Gen<std::optional<T>> opt(rc::Gen<T> g) {
    return rc::gen::oneOf(rc::gen::just(std::optional<T>{}),
                          rc::gen::map(std::move(g), [](T x) { return std::optional<T>(std::move(x)); }));
}

inline rc::Gen<std::string> text() {
    // Printable ASCII plus a few multi-byte code points: valid UTF-8 by construction.
    return rc::gen::map(rc::gen::container<std::vector<int>>(rc::gen::inRange(0, 100)), [](const std::vector<int>& cs) {
        std::string s;
        for (int c : cs) {
            if (c < 95) s.push_back(static_cast<char>(' ' + c));
            else if (c < 98) s += "\xC3\xA9";          // é
            else s += "\xE2\x82\xAC";                   // €
        }
        return s;
    });
}

inline rc::Gen<Bytes> bytes() { return rc::gen::container<Bytes>(rc::gen::arbitrary<std::uint8_t>()); }
inline rc::Gen<std::optional<Bytes>> optional_bytes() { return opt(bytes()); }
inline rc::Gen<Consistency> consistency() {
    return rc::gen::map(rc::gen::inRange<int>(0, 11), [](int c) { return static_cast<Consistency>(c); });
}
inline rc::Gen<std::vector<std::string>> text_list() { return rc::gen::container<std::vector<std::string>>(text()); }
inline rc::Gen<Uuid> uuid() {
    return rc::gen::map(rc::gen::container<std::vector<std::uint8_t>>(16, rc::gen::arbitrary<std::uint8_t>()),
                        [](const std::vector<std::uint8_t>& b) {
                            Uuid u{};
                            std::copy(b.begin(), b.end(), u.begin());
                            return u;
                        });
}
inline rc::Gen<InetAddress> inet_address() {
    return rc::gen::map(rc::gen::pair(rc::gen::arbitrary<bool>(), uuid()), [](const std::pair<bool, Uuid>& p) {
        InetAddress ip;
        ip.size = p.first ? 16 : 4;
        std::copy(p.second.begin(), p.second.begin() + ip.size, ip.bytes.begin());
        return ip;
    });
}
inline rc::Gen<Inet> inet() {
    return rc::gen::build<Inet>(rc::gen::set(&Inet::address, inet_address()), rc::gen::set(&Inet::port, rc::gen::inRange(0, 65536)));
}

inline rc::Gen<Value> value(bool not_set_allowed = true) {
    return rc::gen::oneOf(rc::gen::map(bytes(), [](Bytes b) { return Value::of(std::move(b)); }), rc::gen::just(Value::null()),
                          rc::gen::just(not_set_allowed ? Value::not_set() : Value::null()));
}

inline rc::Gen<QueryParameters> query_parameters(bool not_set_allowed = true) {
    return rc::gen::exec([=] {
        QueryParameters p;
        p.consistency = *consistency();
        p.values = *rc::gen::container<std::vector<Value>>(value(not_set_allowed));
        if (!p.values.empty() && *rc::gen::arbitrary<bool>())
            p.value_names = *rc::gen::container<std::vector<std::string>>(p.values.size(), text());
        p.skip_metadata = *rc::gen::arbitrary<bool>();
        p.page_size = *opt(rc::gen::arbitrary<std::int32_t>());
        p.paging_state = *opt(bytes());
        p.serial_consistency = *opt(consistency());
        p.default_timestamp_us = *opt(rc::gen::arbitrary<std::int64_t>());
        return p;
    });
}

inline rc::Gen<ColumnType> native_type() {
    static const std::vector<TypeId> natives{
        TypeId::ascii, TypeId::bigint, TypeId::blob, TypeId::boolean, TypeId::counter, TypeId::decimal, TypeId::double_,
        TypeId::float_, TypeId::int_, TypeId::timestamp, TypeId::uuid, TypeId::varchar, TypeId::varint, TypeId::timeuuid,
        TypeId::inet, TypeId::date, TypeId::time, TypeId::smallint, TypeId::tinyint, TypeId::duration};
    return rc::gen::map(rc::gen::elementOf(natives), [](TypeId id) { return ColumnType::of(id); });
}

// Vector elements: anything with a marshal class name (no UDTs) — fixed-size natives are
// packed, the rest carry a vint length.
inline rc::Gen<ColumnType> vector_element_type(int depth) {
    if (depth >= 2) return native_type();
    return rc::gen::exec([=] {
        switch (*rc::gen::inRange(0, 4)) {
            case 0: {
                ColumnType t = ColumnType::of(TypeId::list);
                t.parameters = {*native_type()};
                return t;
            }
            case 1: return vector_type(*vector_element_type(depth + 1), static_cast<std::uint32_t>(*rc::gen::inRange(1, 4)));
            default: return *native_type();
        }
    });
}

inline rc::Gen<ColumnType> column_type(int depth = 0) {
    static const std::vector<TypeId> natives{
        TypeId::ascii, TypeId::bigint, TypeId::blob, TypeId::boolean, TypeId::counter, TypeId::decimal, TypeId::double_,
        TypeId::float_, TypeId::int_, TypeId::timestamp, TypeId::uuid, TypeId::varchar, TypeId::varint, TypeId::timeuuid,
        TypeId::inet, TypeId::date, TypeId::time, TypeId::smallint, TypeId::tinyint, TypeId::duration};
    auto native = rc::gen::map(rc::gen::elementOf(natives), [](TypeId id) { return ColumnType::of(id); });
    if (depth >= 2) return native;
    return rc::gen::exec([=] {
        const int kind = *rc::gen::inRange(0, 12);
        ColumnType t;
        switch (kind) {
            case 0: t = ColumnType::of(*rc::gen::element(TypeId::list, TypeId::set)); t.parameters = {*column_type(depth + 1)}; break;
            case 1: t = ColumnType::of(TypeId::map); t.parameters = {*column_type(depth + 1), *column_type(depth + 1)}; break;
            case 2:
                t = ColumnType::of(TypeId::tuple);
                t.parameters = *rc::gen::container<std::vector<ColumnType>>(*rc::gen::inRange<std::size_t>(1, 4), column_type(depth + 1));
                break;
            case 3:
                t = ColumnType::of(TypeId::udt);
                t.udt_keyspace = *text();
                t.udt_name = *text();
                t.parameters = *rc::gen::container<std::vector<ColumnType>>(*rc::gen::inRange<std::size_t>(1, 4), column_type(depth + 1));
                t.udt_field_names = *rc::gen::container<std::vector<std::string>>(t.parameters.size(), text());
                break;
            case 4: t = vector_type(*vector_element_type(depth + 1), static_cast<std::uint32_t>(*rc::gen::inRange(1, 5))); break;
            default: t = *native; break;
        }
        return t;
    });
}

// Every kind of CQL type, each alone: the natives, the collections, tuple, UDT, vectors
// of fixed- and variable-size elements, and custom types.
inline Kinds<ColumnType> type_kinds() {
    Kinds<ColumnType> kinds;
    for (const TypeId id : {TypeId::ascii, TypeId::bigint, TypeId::blob, TypeId::boolean, TypeId::counter, TypeId::decimal,
                            TypeId::double_, TypeId::float_, TypeId::int_, TypeId::timestamp, TypeId::uuid, TypeId::varchar,
                            TypeId::varint, TypeId::timeuuid, TypeId::inet, TypeId::date, TypeId::time, TypeId::smallint,
                            TypeId::tinyint, TypeId::duration})
        kinds.emplace_back(type_name(ColumnType::of(id)), rc::gen::just(ColumnType::of(id)));
    const auto with_parameters = [](TypeId id, std::size_t n) {
        return rc::gen::exec([=] {
            ColumnType t = ColumnType::of(id);
            t.parameters = *rc::gen::container<std::vector<ColumnType>>(n, column_type(1));
            return t;
        });
    };
    kinds.emplace_back("list", with_parameters(TypeId::list, 1));
    kinds.emplace_back("set", with_parameters(TypeId::set, 1));
    kinds.emplace_back("map", with_parameters(TypeId::map, 2));
    kinds.emplace_back("tuple", rc::gen::mapcat(rc::gen::inRange<std::size_t>(1, 5), [=](std::size_t n) { return with_parameters(TypeId::tuple, n); }));
    kinds.emplace_back("UDT", rc::gen::exec([] {
        ColumnType t = ColumnType::of(TypeId::udt);
        t.udt_keyspace = *text();
        t.udt_name = *text();
        t.parameters = *rc::gen::container<std::vector<ColumnType>>(*rc::gen::inRange<std::size_t>(1, 5), column_type(1));
        t.udt_field_names = *rc::gen::container<std::vector<std::string>>(t.parameters.size(), text());
        return t;
    }));
    kinds.emplace_back("vector of fixed-size elements", rc::gen::exec([] {
        const TypeId id = *rc::gen::element(TypeId::boolean, TypeId::int_, TypeId::float_, TypeId::bigint, TypeId::double_,
                                            TypeId::timestamp, TypeId::uuid, TypeId::timeuuid);
        return vector_type(ColumnType::of(id), static_cast<std::uint32_t>(*rc::gen::inRange(1, 9)));
    }));
    kinds.emplace_back("vector of variable-size elements", rc::gen::exec([] {
        return vector_type(*vector_element_type(0), static_cast<std::uint32_t>(*rc::gen::inRange(1, 6)));
    }));
    kinds.emplace_back("custom DurationType", rc::gen::just([] {
        ColumnType t = ColumnType::of(TypeId::custom);
        t.custom_class = std::string(marshal_prefix) + "DurationType";
        return t;
    }()));
    kinds.emplace_back("custom (opaque bytes)", rc::gen::just([] {
        ColumnType t = ColumnType::of(TypeId::custom);
        t.custom_class = "com.example.GeoPointType";
        return t;
    }()));
    return kinds;
}

inline rc::Gen<ColumnSpec> column_spec(const std::string& ks, const std::string& table) {
    return rc::gen::exec([=] { return ColumnSpec{ks, table, *text(), *column_type()}; });
}
inline rc::Gen<std::vector<ColumnSpec>> column_specs() {
    return rc::gen::exec([] {
        // Either one table for all (global spec on the wire) or per-column tables.
        if (*rc::gen::arbitrary<bool>()) {
            const std::string ks = *text(), table = *text();
            return *rc::gen::container<std::vector<ColumnSpec>>(column_spec(ks, table));
        }
        return *rc::gen::container<std::vector<ColumnSpec>>(rc::gen::exec([] { return *column_spec(*text(), *text()); }));
    });
}
inline rc::Gen<RowsMetadata> rows_metadata() {
    return rc::gen::exec([] {
        RowsMetadata m;
        m.no_metadata = *rc::gen::arbitrary<bool>();
        m.paging_state = *opt(bytes());
        if (m.no_metadata) {
            m.column_count = *rc::gen::inRange(0, 5);
        } else {
            m.columns = *column_specs();
            m.column_count = static_cast<std::int32_t>(m.columns.size());
        }
        return m;
    });
}

// Rows for a metadata block; none when there are no columns (the decoder refuses rows
// without columns, which would cost nothing on the wire but memory to hold).
inline rc::Gen<std::vector<Row>> rows_for(const RowsMetadata& m) {
    if (m.column_count == 0) return rc::gen::just(std::vector<Row>{});
    return rc::gen::container<std::vector<Row>>(rc::gen::container<Row>(static_cast<std::size_t>(m.column_count), optional_bytes()));
}

inline rc::Gen<SchemaChange> schema_change() {
    return rc::gen::exec([] {
        SchemaChange c;
        c.change_type = *rc::gen::element<std::string>("CREATED", "UPDATED", "DROPPED");
        c.target = *rc::gen::element<std::string>("KEYSPACE", "TABLE", "TYPE", "FUNCTION", "AGGREGATE");
        c.keyspace = *text();
        if (c.target != "KEYSPACE") c.name = *text();
        if (c.target == "FUNCTION" || c.target == "AGGREGATE") c.argument_types = *text_list();
        return c;
    });
}

inline rc::Gen<Batch> batch(int version = 4) {
    const bool v4 = version >= 4;
    return rc::gen::exec([=] {
        Batch b;
        b.type = static_cast<BatchType>(*rc::gen::inRange(0, 3));
        const bool named = *rc::gen::arbitrary<bool>();
        b.statements = *rc::gen::container<std::vector<BatchStatement>>(rc::gen::exec([=] {
            BatchStatement s;
            if (*rc::gen::arbitrary<bool>()) s.query_or_id = *text();
            else s.query_or_id = *rc::gen::resize(16, bytes());
            s.values = *rc::gen::container<std::vector<Value>>(value(v4));
            if (named) s.value_names = *rc::gen::container<std::vector<std::string>>(s.values.size(), text());
            return s;
        }));
        b.consistency = *consistency();
        b.serial_consistency = *opt(consistency());
        b.default_timestamp_us = *opt(rc::gen::arbitrary<std::int64_t>());
        return b;
    });
}

inline Kinds<Request> request_kinds(int version = 4) {
    const bool v4 = version >= 4;
    auto as_request = [](auto g) { return rc::gen::map(g, [](auto m) { return Request{std::move(m)}; }); };
    return {
        {"STARTUP", rc::gen::map(rc::gen::container<StringMap>(text(), text()), [](StringMap m) { return Request{Startup{std::move(m)}}; })},
        {"OPTIONS", rc::gen::just(Request{Options{}})},
        {"QUERY", rc::gen::exec([=] { return Request{Query{*text(), *query_parameters(v4)}}; })},
        {"PREPARE", rc::gen::map(text(), [](std::string q) { return Request{Prepare{std::move(q)}}; })},
        {"EXECUTE", rc::gen::exec([=] { return Request{Execute{*rc::gen::resize(16, bytes()), *query_parameters(v4)}}; })},
        {"REGISTER", rc::gen::map(text_list(), [](std::vector<std::string> l) { return Request{Register{std::move(l)}}; })},
        {"AUTH_RESPONSE", rc::gen::map(optional_bytes(), [](std::optional<Bytes> t) { return Request{AuthResponse{std::move(t)}}; })},
        {"BATCH", as_request(batch(version))},
    };
}

inline rc::Gen<Request> request(int version = 4) { return any_of(request_kinds(version)); }

inline Kinds<Error> error_kinds() {
    using namespace error_detail;
    const auto i32 = [] { return *rc::gen::arbitrary<std::int32_t>(); };
    const auto with = [](std::int32_t code, auto detail_gen) {
        return rc::gen::exec([=] { return Error{code, *text(), ErrorDetail{*detail_gen}}; });
    };
    return {
        {"Unavailable", with(error_codes::unavailable, rc::gen::exec([=] { return Unavailable{*consistency(), i32(), i32()}; }))},
        {"Write_timeout", with(error_codes::write_timeout, rc::gen::exec([=] {
             return WriteTimeout{*consistency(), i32(), i32(), *rc::gen::element<std::string>("SIMPLE", "BATCH", "UNLOGGED_BATCH", "COUNTER", "BATCH_LOG", "CAS", "VIEW", "CDC")};
         }))},
        {"Read_timeout", with(error_codes::read_timeout, rc::gen::exec([=] { return ReadTimeout{*consistency(), i32(), i32(), *rc::gen::arbitrary<bool>()}; }))},
        {"Read_failure", with(error_codes::read_failure, rc::gen::exec([=] { return ReadFailure{*consistency(), i32(), i32(), i32(), *rc::gen::arbitrary<bool>()}; }))},
        {"Write_failure", with(error_codes::write_failure, rc::gen::exec([=] { return WriteFailure{*consistency(), i32(), i32(), i32(), *text()}; }))},
        {"Function_failure", with(error_codes::function_failure, rc::gen::exec([] { return FunctionFailure{*text(), *text(), *text_list()}; }))},
        {"Already_exists", with(error_codes::already_exists, rc::gen::exec([] { return AlreadyExists{*text(), *text()}; }))},
        {"Unprepared", with(error_codes::unprepared, rc::gen::exec([] { return Unprepared{*rc::gen::resize(16, bytes())}; }))},
        {"Rate_limit (ScyllaDB)", with(error_codes::scylla_rate_limit, rc::gen::exec([] {
             return RateLimit{static_cast<RateLimitOperation>(*rc::gen::inRange(0, 2)), *rc::gen::arbitrary<bool>()};
         }))},
        {"unknown code with a tail", with(0x3333, rc::gen::exec([] { return Opaque{*rc::gen::nonEmpty(bytes())}; }))},
        {"codes without a tail", rc::gen::exec([] {
             const std::int32_t code = *rc::gen::element(error_codes::server_error, error_codes::protocol_error, error_codes::bad_credentials,
                                                         error_codes::overloaded, error_codes::is_bootstrapping, error_codes::truncate_error,
                                                         error_codes::cdc_write_failure, error_codes::syntax_error, error_codes::unauthorized,
                                                         error_codes::invalid, error_codes::config_error);
             return Error{code, *text(), {}};
         })},
    };
}

inline rc::Gen<Error> error() { return any_of(error_kinds()); }

inline Kinds<Event> event_kinds() {
    return {
        {"TOPOLOGY_CHANGE", rc::gen::exec([] { return Event{TopologyChange{*rc::gen::element<std::string>("NEW_NODE", "REMOVED_NODE", "MOVED_NODE"), *inet()}}; })},
        {"STATUS_CHANGE", rc::gen::exec([] { return Event{StatusChange{*rc::gen::element<std::string>("UP", "DOWN"), *inet()}}; })},
        {"SCHEMA_CHANGE", rc::gen::exec([] { return Event{*schema_change()}; })},
        {"CLIENT_ROUTES_CHANGE", rc::gen::exec([] {
             ClientRoutesChange c;
             c.connection_ids = *text_list();
             c.host_ids = *rc::gen::container<std::vector<std::string>>(c.connection_ids.size(), text());
             return Event{std::move(c)};
         })},
    };
}

inline rc::Gen<Event> event() { return any_of(event_kinds()); }

inline rc::Gen<PreparedResult> prepared_result(int version = 4) {
    return rc::gen::exec([=] {
        PreparedResult p;
        p.id = *rc::gen::resize(16, bytes());
        p.metadata.columns = *column_specs();
        if (version >= 4) p.metadata.pk_indexes = *rc::gen::container<std::vector<std::uint16_t>>(rc::gen::arbitrary<std::uint16_t>());
        p.metadata.lwt = *rc::gen::arbitrary<bool>();
        p.result_metadata = *rows_metadata();
        return p;
    });
}

inline Kinds<Response> response_kinds(int version = 4) {
    auto as_response = [](auto g) { return rc::gen::map(g, [](auto m) { return Response{std::move(m)}; }); };
    auto as_result = [](auto g) { return rc::gen::map(g, [](auto m) { return Response{Result{std::move(m)}}; }); };
    Kinds<Response> kinds{
        {"ERROR", as_response(error())},
        {"READY", rc::gen::just(Response{Ready{}})},
        {"AUTHENTICATE", rc::gen::map(text(), [](std::string a) { return Response{Authenticate{std::move(a)}}; })},
        {"SUPPORTED", rc::gen::map(rc::gen::container<StringMultimap>(text(), text_list()), [](StringMultimap m) { return Response{Supported{std::move(m)}}; })},
        {"RESULT Void", rc::gen::just(Response{Result{VoidResult{}}})},
        {"RESULT Rows", as_result(rc::gen::exec([] {
             RowsResult r;
             r.metadata = *rows_metadata();
             r.rows = *rows_for(r.metadata);
             return r;
         }))},
        {"RESULT Set_keyspace", rc::gen::map(text(), [](std::string k) { return Response{Result{SetKeyspaceResult{std::move(k)}}}; })},
        {"RESULT Prepared", as_result(prepared_result(version))},
        {"RESULT Schema_change", rc::gen::map(schema_change(), [](SchemaChange c) { return Response{Result{SchemaChangeResult{std::move(c)}}}; })},
        {"AUTH_CHALLENGE", rc::gen::map(optional_bytes(), [](std::optional<Bytes> t) { return Response{AuthChallenge{std::move(t)}}; })},
        {"AUTH_SUCCESS", rc::gen::map(optional_bytes(), [](std::optional<Bytes> t) { return Response{AuthSuccess{std::move(t)}}; })},
        {"EVENT", as_response(event())},
    };
    return kinds;
}

inline rc::Gen<Response> response(int version = 4) { return any_of(response_kinds(version)); }

inline rc::Gen<FrameExtras> extras(bool response) {
    return rc::gen::exec([=] {
        FrameExtras e;
        if (response) {
            e.tracing_id = *opt(uuid());
            e.warnings = *text_list();
        } else {
            e.tracing_requested = *rc::gen::arbitrary<bool>();
        }
        e.custom_payload = *opt(rc::gen::container<BytesMap>(text(), optional_bytes()));
        return e;
    });
}

// A type and a value of that type (nulls only where the type allows them).
inline rc::Gen<CqlValue> value_of(const ColumnType& t, int depth = 0);

inline rc::Gen<CqlValue> non_null_value_of(const ColumnType& t, int depth) {
    auto wrap = [](auto g) { return rc::gen::map(g, [](auto x) { return CqlValue{std::move(x)}; }); };
    if (is_duration(t)) {
        return rc::gen::exec([] {
            return CqlValue{Duration{*rc::gen::arbitrary<std::int32_t>(), *rc::gen::arbitrary<std::int32_t>(), *rc::gen::arbitrary<std::int64_t>()}};
        });
    }
    if (auto info = vector_info(t)) {
        const ColumnType element = info->element;
        const std::size_t n = info->dimension;
        return rc::gen::exec([=] {
            CqlCollection c;
            for (std::size_t i = 0; i < n; ++i) c.elements.push_back(*non_null_value_of(element, depth + 1));
            return CqlValue{std::move(c)};
        });
    }
    switch (t.id) {
        case TypeId::boolean: return wrap(rc::gen::arbitrary<bool>());
        case TypeId::tinyint: return wrap(rc::gen::arbitrary<std::int8_t>());
        case TypeId::smallint: return wrap(rc::gen::arbitrary<std::int16_t>());
        case TypeId::int_: return wrap(rc::gen::arbitrary<std::int32_t>());
        case TypeId::bigint: case TypeId::counter: case TypeId::timestamp: return wrap(rc::gen::arbitrary<std::int64_t>());
        case TypeId::time: return wrap(rc::gen::inRange<std::int64_t>(0, 86'400'000'000'000));
        case TypeId::date: return wrap(rc::gen::arbitrary<std::uint32_t>());
        case TypeId::float_: return wrap(rc::gen::map(rc::gen::arbitrary<std::int32_t>(), [](std::int32_t i) { return static_cast<float>(i) / 8.0f; }));
        case TypeId::double_: return wrap(rc::gen::map(rc::gen::arbitrary<std::int64_t>(), [](std::int64_t i) { return static_cast<double>(i) / 16.0; }));
        case TypeId::uuid: case TypeId::timeuuid: return wrap(uuid());
        case TypeId::inet: return wrap(inet_address());
        case TypeId::ascii: return wrap(rc::gen::container<std::string>(rc::gen::inRange<char>(0, 127)));
        case TypeId::varchar: return wrap(text());
        case TypeId::varint: return wrap(rc::gen::map(rc::gen::nonEmpty(bytes()), [](Bytes b) { return Varint{std::move(b)}; }));
        case TypeId::decimal:
            return rc::gen::exec([] { return CqlValue{Decimal{*rc::gen::arbitrary<std::int32_t>(), *rc::gen::nonEmpty(bytes())}}; });
        case TypeId::list: case TypeId::set: {
            const ColumnType element = t.parameters.at(0);
            return rc::gen::exec([=] {
                CqlCollection c;
                c.elements = *rc::gen::resize(4, rc::gen::container<std::vector<CqlValue>>(non_null_value_of(element, depth + 1)));
                return CqlValue{std::move(c)};
            });
        }
        case TypeId::map: {
            const ColumnType k = t.parameters.at(0), v = t.parameters.at(1);
            return rc::gen::exec([=] {
                CqlMap m;
                const std::size_t n = static_cast<std::size_t>(*rc::gen::inRange(0, 4));
                for (std::size_t i = 0; i < n; ++i) {
                    m.keys.push_back(*non_null_value_of(k, depth + 1));
                    m.values.push_back(*non_null_value_of(v, depth + 1));
                }
                return CqlValue{std::move(m)};
            });
        }
        case TypeId::tuple: case TypeId::udt: {
            const std::vector<ColumnType> types = t.parameters;
            return rc::gen::exec([=] {
                CqlFields f;
                const std::size_t n = static_cast<std::size_t>(*rc::gen::inRange<std::size_t>(0, types.size() + 1));
                for (std::size_t i = 0; i < n; ++i) f.fields.push_back(*value_of(types[i], depth + 1));
                return CqlValue{std::move(f)};
            });
        }
        default: return wrap(bytes());  // blob and other custom types
    }
}

inline rc::Gen<CqlValue> value_of(const ColumnType& t, int depth) {
    return rc::gen::weightedOneOf<CqlValue>({{1, rc::gen::just(CqlValue{})}, {6, non_null_value_of(t, depth)}});
}

}  // namespace routelab::cql::gen
