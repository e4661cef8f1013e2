#include "driver/protocol/codec.hpp"

#include <cassert>

#include "driver/protocol/byte_writer.hpp"

namespace routelab::cql {

namespace {

constexpr int max_type_depth = 32;  // nesting bound so a forged type cannot recurse forever

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

Consistency read_consistency(ByteReader& r) {
    const std::uint16_t v = r.u16();
    if (v > 10) r.fail("a [consistency] code 0..10, got " + std::to_string(v));
    return static_cast<Consistency>(v);
}

void write_column_specs(ByteWriter& w, const std::vector<ColumnSpec>& columns) {
    const bool global = !columns.empty() && [&] {
        for (const auto& c : columns)
            if (c.keyspace != columns[0].keyspace || c.table != columns[0].table) return false;
        return true;
    }();
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

bool all_same_table(const std::vector<ColumnSpec>& columns) {
    for (const auto& c : columns)
        if (c.keyspace != columns[0].keyspace || c.table != columns[0].table) return false;
    return !columns.empty();
}

// ---- bodies ----

void write_body(ByteWriter& w, const Request& request) {
    std::visit(Overloaded{
                   [&](const Startup& m) { w.string_map(m.options); },
                   [&](const Options&) {},
                   [&](const Query& m) {
                       w.long_string(m.query);
                       write_query_parameters(w, m.parameters);
                   },
                   [&](const Prepare& m) { w.long_string(m.query); },
                   [&](const Execute& m) {
                       w.short_bytes(m.id);
                       write_query_parameters(w, m.parameters);
                   },
                   [&](const Register& m) { w.string_list(m.event_types); },
                   [&](const AuthResponse& m) { w.bytes(m.token); },
               },
               request);
}

void write_error_detail(ByteWriter& w, const Error& e) {
    std::visit(Overloaded{
                   [&](const std::monostate&) {},
                   [&](const error_detail::Unavailable& d) {
                       w.u16(static_cast<std::uint16_t>(d.consistency));
                       w.i32(d.required);
                       w.i32(d.alive);
                   },
                   [&](const error_detail::WriteTimeout& d) {
                       w.u16(static_cast<std::uint16_t>(d.consistency));
                       w.i32(d.received);
                       w.i32(d.block_for);
                       w.string(d.write_type);
                   },
                   [&](const error_detail::ReadTimeout& d) {
                       w.u16(static_cast<std::uint16_t>(d.consistency));
                       w.i32(d.received);
                       w.i32(d.block_for);
                       w.byte(d.data_present ? 1 : 0);
                   },
                   [&](const error_detail::ReadFailure& d) {
                       w.u16(static_cast<std::uint16_t>(d.consistency));
                       w.i32(d.received);
                       w.i32(d.block_for);
                       w.i32(d.failures);
                       w.byte(d.data_present ? 1 : 0);
                   },
                   [&](const error_detail::WriteFailure& d) {
                       w.u16(static_cast<std::uint16_t>(d.consistency));
                       w.i32(d.received);
                       w.i32(d.block_for);
                       w.i32(d.failures);
                       w.string(d.write_type);
                   },
                   [&](const error_detail::FunctionFailure& d) {
                       w.string(d.keyspace);
                       w.string(d.function);
                       w.string_list(d.argument_types);
                   },
                   [&](const error_detail::AlreadyExists& d) {
                       w.string(d.keyspace);
                       w.string(d.table);
                   },
                   [&](const error_detail::Unprepared& d) { w.short_bytes(d.id); },
               },
               e.detail);
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
    c.target = r.string();
    c.keyspace = r.string();
    if (c.target == "KEYSPACE") return c;
    if (c.target == "TABLE" || c.target == "TYPE") {
        c.name = r.string();
    } else if (c.target == "FUNCTION" || c.target == "AGGREGATE") {
        c.name = r.string();
        c.argument_types = r.string_list();
    } else if (!r.failed()) {
        r.fail("a schema change target KEYSPACE, TABLE, TYPE, FUNCTION or AGGREGATE, got '" + c.target + "'");
    }
    return c;
}

void write_result(ByteWriter& w, const Result& result) {
    std::visit(Overloaded{
                   [&](const VoidResult&) { w.i32(1); },
                   [&](const RowsResult& m) {
                       w.i32(2);
                       write_rows_metadata(w, m.metadata);
                       w.i32(static_cast<std::int32_t>(m.rows.size()));
                       for (const auto& row : m.rows)
                           for (const auto& cell : row) w.bytes(cell);
                   },
                   [&](const SetKeyspaceResult& m) {
                       w.i32(3);
                       w.string(m.keyspace);
                   },
                   [&](const PreparedResult& m) {
                       w.i32(4);
                       w.short_bytes(m.id);
                       const auto& md = m.metadata;
                       const bool global = all_same_table(md.columns);
                       std::uint32_t flags = global ? 0x0001u : 0u;
                       if (md.lwt) flags |= 0x80000000u;
                       w.i32(static_cast<std::int32_t>(flags));
                       w.i32(static_cast<std::int32_t>(md.columns.size()));
                       w.i32(static_cast<std::int32_t>(md.pk_indexes.size()));
                       for (auto i : md.pk_indexes) w.u16(i);
                       write_column_specs(w, md.columns);
                       write_rows_metadata(w, m.result_metadata);
                   },
                   [&](const SchemaChangeResult& m) {
                       w.i32(5);
                       write_schema_change(w, m.change);
                   },
               },
               result);
}

void write_body(ByteWriter& w, const Response& response) {
    std::visit(Overloaded{
                   [&](const Error& m) {
                       w.i32(m.code);
                       w.string(m.message);
                       write_error_detail(w, m);
                   },
                   [&](const Ready&) {},
                   [&](const Authenticate& m) { w.string(m.authenticator); },
                   [&](const Supported& m) { w.string_multimap(m.options); },
                   [&](const Result& m) { write_result(w, m); },
                   [&](const AuthChallenge& m) { w.bytes(m.token); },
                   [&](const AuthSuccess& m) { w.bytes(m.token); },
               },
               response);
}

template <typename Message>
void encode_frame(std::vector<std::uint8_t>& out, std::uint8_t version, std::int16_t stream, Opcode opcode,
                  const Message& message) {
    const std::size_t start = out.size();
    out.resize(start + header_size);
    ByteWriter w(out);
    write_body(w, message);
    FrameHeader h;
    h.version = version;
    h.stream = stream;
    h.opcode = opcode;
    h.length = static_cast<std::uint32_t>(out.size() - start - header_size);
    encode_header(h, out.data() + start);
}

// Skips the optional prefixes flags announce. Compression must have been undone first.
bool skip_prefixes(ByteReader& r, std::uint8_t flags, bool response) {
    if (flags & frame_flags::compression) {
        r.fail("an uncompressed body (the compression flag is set but no compression was negotiated)");
        return false;
    }
    if (response && (flags & frame_flags::tracing)) r.raw(16);
    if (response && (flags & frame_flags::warning)) r.string_list();
    if (flags & frame_flags::custom_payload) r.bytes_map();
    return !r.failed();
}

template <typename T>
Decoded<T> finish(ByteReader& r, T value, const char* what) {
    if (!r.failed() && !r.at_end()) r.fail(std::string("the end of the ") + what + " body, " + std::to_string(r.remaining()) + " bytes left");
    if (r.failed()) return r.error();
    return value;
}

Error read_error(ByteReader& r) {
    Error e;
    e.code = r.i32();
    e.message = r.string();
    switch (e.code) {
        case error_codes::unavailable: {
            error_detail::Unavailable d;
            d.consistency = read_consistency(r);
            d.required = r.i32();
            d.alive = r.i32();
            e.detail = d;
            break;
        }
        case error_codes::write_timeout: {
            error_detail::WriteTimeout d;
            d.consistency = read_consistency(r);
            d.received = r.i32();
            d.block_for = r.i32();
            d.write_type = r.string();
            e.detail = d;
            break;
        }
        case error_codes::read_timeout: {
            error_detail::ReadTimeout d;
            d.consistency = read_consistency(r);
            d.received = r.i32();
            d.block_for = r.i32();
            d.data_present = r.byte() != 0;
            e.detail = d;
            break;
        }
        case error_codes::read_failure: {
            error_detail::ReadFailure d;
            d.consistency = read_consistency(r);
            d.received = r.i32();
            d.block_for = r.i32();
            d.failures = r.i32();
            d.data_present = r.byte() != 0;
            e.detail = d;
            break;
        }
        case error_codes::write_failure: {
            error_detail::WriteFailure d;
            d.consistency = read_consistency(r);
            d.received = r.i32();
            d.block_for = r.i32();
            d.failures = r.i32();
            d.write_type = r.string();
            e.detail = d;
            break;
        }
        case error_codes::function_failure: {
            error_detail::FunctionFailure d;
            d.keyspace = r.string();
            d.function = r.string();
            d.argument_types = r.string_list();
            e.detail = d;
            break;
        }
        case error_codes::already_exists: {
            error_detail::AlreadyExists d;
            d.keyspace = r.string();
            d.table = r.string();
            e.detail = d;
            break;
        }
        case error_codes::unprepared: e.detail = error_detail::Unprepared{r.short_bytes()}; break;
        default: break;
    }
    return e;
}

Result read_result(ByteReader& r) {
    const std::int32_t kind = r.i32();
    switch (kind) {
        case 1: return VoidResult{};
        case 2: {
            RowsResult rows;
            rows.metadata = read_rows_metadata(r);
            const std::size_t columns = static_cast<std::size_t>(std::max(rows.metadata.column_count, 0));
            const std::size_t count = r.count(r.i32(), columns * 4, "rows");
            rows.rows.reserve(count);
            for (std::size_t i = 0; i < count && !r.failed(); ++i) {
                Row row;
                row.reserve(columns);
                for (std::size_t c = 0; c < columns && !r.failed(); ++c) row.push_back(r.bytes());
                rows.rows.push_back(std::move(row));
            }
            return rows;
        }
        case 3: return SetKeyspaceResult{r.string()};
        case 4: {
            PreparedResult p;
            p.id = r.short_bytes();
            const auto flags = static_cast<std::uint32_t>(r.i32());
            p.metadata.lwt = (flags & 0x80000000u) != 0;
            const std::size_t columns = r.count(r.i32(), 3, "prepared column");
            const std::size_t pk = r.count(r.i32(), 2, "partition key index");
            for (std::size_t i = 0; i < pk && !r.failed(); ++i) p.metadata.pk_indexes.push_back(r.u16());
            p.metadata.columns = read_column_specs(r, columns, (flags & 0x0001u) != 0);
            p.result_metadata = read_rows_metadata(r);
            return p;
        }
        case 5: return SchemaChangeResult{read_schema_change(r)};
        default:
            r.fail("a RESULT kind 1..5, got " + std::to_string(kind));
            return VoidResult{};
    }
}

}  // namespace

void write_query_parameters(ByteWriter& w, const QueryParameters& p) {
    w.u16(static_cast<std::uint16_t>(p.consistency));
    std::uint8_t flags = 0;
    if (!p.values.empty()) flags |= query_flags::values;
    if (p.skip_metadata) flags |= query_flags::skip_metadata;
    if (p.page_size) flags |= query_flags::page_size;
    if (p.paging_state) flags |= query_flags::paging_state;
    if (p.serial_consistency) flags |= query_flags::serial_consistency;
    if (p.default_timestamp_us) flags |= query_flags::default_timestamp;
    if (!p.value_names.empty()) flags |= query_flags::names_for_values;
    w.byte(flags);
    if (!p.values.empty()) {
        assert(p.value_names.empty() || p.value_names.size() == p.values.size());
        w.u16(static_cast<std::uint16_t>(p.values.size()));
        for (std::size_t i = 0; i < p.values.size(); ++i) {
            if (!p.value_names.empty()) w.string(p.value_names[i]);
            const Value& v = p.values[i];
            if (v.kind == Value::Kind::null) w.i32(-1);
            else if (v.kind == Value::Kind::not_set) w.i32(-2);
            else w.bytes(std::span<const std::uint8_t>(v.bytes));
        }
    }
    if (p.page_size) w.i32(*p.page_size);
    if (p.paging_state) w.bytes(std::span<const std::uint8_t>(*p.paging_state));
    if (p.serial_consistency) w.u16(static_cast<std::uint16_t>(*p.serial_consistency));
    if (p.default_timestamp_us) w.i64(*p.default_timestamp_us);
}

QueryParameters read_query_parameters(ByteReader& r) {
    QueryParameters p;
    p.consistency = read_consistency(r);
    const std::uint8_t flags = r.byte();
    if (flags & 0x80) r.fail("query flags without bit 0x80 (v5 only), got " + std::to_string(flags));
    if (flags & query_flags::values) {
        const bool named = (flags & query_flags::names_for_values) != 0;
        const std::size_t n = r.count(r.u16(), named ? 6 : 4, "bound value");
        p.values.reserve(n);
        for (std::size_t i = 0; i < n && !r.failed(); ++i) {
            if (named) p.value_names.push_back(r.string());
            const std::size_t at = r.offset();
            const std::int32_t length = r.i32();
            if (length == -1) {
                p.values.push_back(Value::null());
            } else if (length == -2) {
                p.values.push_back(Value::not_set());
            } else if (length < 0) {
                r.fail_at(at, "a [value] length >= -2, got " + std::to_string(length));
            } else {
                auto raw = r.raw(static_cast<std::size_t>(length));
                p.values.push_back(Value::of(Bytes(raw.begin(), raw.end())));
            }
        }
    }
    p.skip_metadata = (flags & query_flags::skip_metadata) != 0;
    if (flags & query_flags::page_size) p.page_size = r.i32();
    if (flags & query_flags::paging_state) {
        auto state = r.bytes();
        p.paging_state = state ? std::move(*state) : Bytes{};
    }
    if (flags & query_flags::serial_consistency) p.serial_consistency = read_consistency(r);
    if (flags & query_flags::default_timestamp) p.default_timestamp_us = r.i64();
    return p;
}

void write_column_type(ByteWriter& w, const ColumnType& t) {
    w.u16(static_cast<std::uint16_t>(t.id));
    switch (t.id) {
        case TypeId::custom: w.string(t.custom_class); break;
        case TypeId::list:
        case TypeId::set: write_column_type(w, t.parameters.at(0)); break;
        case TypeId::map:
            write_column_type(w, t.parameters.at(0));
            write_column_type(w, t.parameters.at(1));
            break;
        case TypeId::udt:
            w.string(t.udt_keyspace);
            w.string(t.udt_name);
            w.u16(static_cast<std::uint16_t>(t.parameters.size()));
            for (std::size_t i = 0; i < t.parameters.size(); ++i) {
                w.string(t.udt_field_names.at(i));
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
            if (!r.failed()) r.fail("a known type [option] id, got 0x" + [&] {
                static constexpr char hex[] = "0123456789abcdef";
                std::string s;
                for (int shift = 12; shift >= 0; shift -= 4) s.push_back(hex[(id >> shift) & 0xF]);
                return s;
            }());
    }
    return t;
}

void write_rows_metadata(ByteWriter& w, const RowsMetadata& m) {
    std::int32_t flags = 0;
    const bool global = !m.no_metadata && all_same_table(m.columns);
    if (global) flags |= 0x0001;
    if (m.paging_state) flags |= 0x0002;
    if (m.no_metadata) flags |= 0x0004;
    w.i32(flags);
    w.i32(m.no_metadata ? m.column_count : static_cast<std::int32_t>(m.columns.size()));
    if (m.paging_state) w.bytes(std::span<const std::uint8_t>(*m.paging_state));
    if (!m.no_metadata) write_column_specs(w, m.columns);
}

RowsMetadata read_rows_metadata(ByteReader& r) {
    RowsMetadata m;
    const std::int32_t flags = r.i32();
    m.column_count = r.i32();
    if (m.column_count < 0 && !r.failed()) r.fail("a non-negative column count, got " + std::to_string(m.column_count));
    if (flags & 0x0002) {
        auto state = r.bytes();
        m.paging_state = state ? std::move(*state) : Bytes{};
    }
    m.no_metadata = (flags & 0x0004) != 0;
    if (!m.no_metadata) {
        const std::size_t n = r.count(m.column_count, 3, "column");
        m.columns = read_column_specs(r, n, (flags & 0x0001) != 0);
    }
    return m;
}

Opcode opcode_of(const Request& request) {
    return std::visit(Overloaded{
                          [](const Startup&) { return Opcode::startup; },
                          [](const Options&) { return Opcode::options; },
                          [](const Query&) { return Opcode::query; },
                          [](const Prepare&) { return Opcode::prepare; },
                          [](const Execute&) { return Opcode::execute; },
                          [](const Register&) { return Opcode::register_events; },
                          [](const AuthResponse&) { return Opcode::auth_response; },
                      },
                      request);
}

Opcode opcode_of(const Response& response) {
    return std::visit(Overloaded{
                          [](const Error&) { return Opcode::error; },
                          [](const Ready&) { return Opcode::ready; },
                          [](const Authenticate&) { return Opcode::authenticate; },
                          [](const Supported&) { return Opcode::supported; },
                          [](const Result&) { return Opcode::result; },
                          [](const AuthChallenge&) { return Opcode::auth_challenge; },
                          [](const AuthSuccess&) { return Opcode::auth_success; },
                      },
                      response);
}

void encode_request(std::vector<std::uint8_t>& out, std::int16_t stream, const Request& request, std::uint8_t version) {
    encode_frame(out, static_cast<std::uint8_t>(version & 0x7F), stream, opcode_of(request), request);
}

void encode_response(std::vector<std::uint8_t>& out, std::int16_t stream, const Response& response, std::uint8_t version) {
    encode_frame(out, static_cast<std::uint8_t>(version | response_bit), stream, opcode_of(response), response);
}

Decoded<Request> decode_request(const Frame& frame) {
    ByteReader r(frame.body);
    if (frame.header.is_response()) {
        r.fail("a request frame (direction bit clear), got version byte " + std::to_string(frame.header.version));
        return r.error();
    }
    if (!skip_prefixes(r, frame.header.flags, false)) return r.error();
    switch (frame.header.opcode) {
        case Opcode::startup: return finish<Request>(r, Startup{r.string_map()}, "STARTUP");
        case Opcode::options: return finish<Request>(r, Options{}, "OPTIONS");
        case Opcode::query: {
            Query q;
            q.query = r.long_string();
            q.parameters = read_query_parameters(r);
            return finish<Request>(r, std::move(q), "QUERY");
        }
        case Opcode::prepare: return finish<Request>(r, Prepare{r.long_string()}, "PREPARE");
        case Opcode::execute: {
            Execute e;
            e.id = r.short_bytes();
            e.parameters = read_query_parameters(r);
            return finish<Request>(r, std::move(e), "EXECUTE");
        }
        case Opcode::register_events: return finish<Request>(r, Register{r.string_list()}, "REGISTER");
        case Opcode::auth_response: return finish<Request>(r, AuthResponse{r.bytes()}, "AUTH_RESPONSE");
        default:
            return DecodeError{0, "a request opcode, got 0x" + std::to_string(static_cast<int>(frame.header.opcode)) +
                                      " (" + opcode_name(frame.header.opcode) + ")"};
    }
}

Decoded<Response> decode_response(const Frame& frame) {
    ByteReader r(frame.body);
    if (!frame.header.is_response()) {
        r.fail("a response frame (direction bit set), got version byte " + std::to_string(frame.header.version));
        return r.error();
    }
    if (!skip_prefixes(r, frame.header.flags, true)) return r.error();
    switch (frame.header.opcode) {
        case Opcode::error: return finish<Response>(r, read_error(r), "ERROR");
        case Opcode::ready: return finish<Response>(r, Ready{}, "READY");
        case Opcode::authenticate: return finish<Response>(r, Authenticate{r.string()}, "AUTHENTICATE");
        case Opcode::supported: return finish<Response>(r, Supported{r.string_multimap()}, "SUPPORTED");
        case Opcode::result: return finish<Response>(r, Response{read_result(r)}, "RESULT");
        case Opcode::auth_challenge: return finish<Response>(r, AuthChallenge{r.bytes()}, "AUTH_CHALLENGE");
        case Opcode::auth_success: return finish<Response>(r, AuthSuccess{r.bytes()}, "AUTH_SUCCESS");
        default:
            return DecodeError{0, "a response opcode, got 0x" + std::to_string(static_cast<int>(frame.header.opcode)) +
                                      " (" + opcode_name(frame.header.opcode) + ")"};
    }
}

}  // namespace routelab::cql
