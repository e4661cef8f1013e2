// Response bodies: ERROR, READY, AUTHENTICATE, SUPPORTED, RESULT, EVENT, AUTH_CHALLENGE,
// AUTH_SUCCESS.
#include <string>

#include "driver/protocol/body_codec.hpp"

namespace routelab::cql {

namespace {

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

bool has_tail(std::int32_t code) {
    switch (code) {
        case error_codes::unavailable: case error_codes::write_timeout: case error_codes::read_timeout:
        case error_codes::read_failure: case error_codes::write_failure: case error_codes::function_failure:
        case error_codes::already_exists: case error_codes::unprepared: return true;
        default: return false;
    }
}

// The code each detail belongs to; the encoder asserts that message and detail agree.
bool detail_matches_code(const Error& e) {
    return std::visit(Overloaded{
                          [&](const std::monostate&) { return !has_tail(e.code); },
                          [&](const error_detail::Unavailable&) { return e.code == error_codes::unavailable; },
                          [&](const error_detail::WriteTimeout&) { return e.code == error_codes::write_timeout; },
                          [&](const error_detail::ReadTimeout&) { return e.code == error_codes::read_timeout; },
                          [&](const error_detail::ReadFailure&) { return e.code == error_codes::read_failure; },
                          [&](const error_detail::WriteFailure&) { return e.code == error_codes::write_failure; },
                          [&](const error_detail::FunctionFailure&) { return e.code == error_codes::function_failure; },
                          [&](const error_detail::AlreadyExists&) { return e.code == error_codes::already_exists; },
                          [&](const error_detail::Unprepared&) { return e.code == error_codes::unprepared; },
                          [&](const error_detail::RateLimit&) { return true; },  // the code is negotiated
                          [&](const error_detail::Opaque& d) { return !has_tail(e.code) && !d.tail.empty(); },
                      },
                      e.detail);
}

void write_error_detail(ByteWriter& w, const ErrorDetail& detail) {
    std::visit(Overloaded{
                   [&](const std::monostate&) {},
                   [&](const error_detail::Unavailable& d) {
                       w.consistency(d.consistency);
                       w.i32(d.required);
                       w.i32(d.alive);
                   },
                   [&](const error_detail::WriteTimeout& d) {
                       w.consistency(d.consistency);
                       w.i32(d.received);
                       w.i32(d.block_for);
                       w.string(d.write_type);
                   },
                   [&](const error_detail::ReadTimeout& d) {
                       w.consistency(d.consistency);
                       w.i32(d.received);
                       w.i32(d.block_for);
                       w.byte(d.data_present ? 1 : 0);
                   },
                   [&](const error_detail::ReadFailure& d) {
                       w.consistency(d.consistency);
                       w.i32(d.received);
                       w.i32(d.block_for);
                       w.i32(d.failures);
                       w.byte(d.data_present ? 1 : 0);
                   },
                   [&](const error_detail::WriteFailure& d) {
                       w.consistency(d.consistency);
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
                   [&](const error_detail::RateLimit& d) {
                       w.byte(static_cast<std::uint8_t>(d.operation));
                       w.byte(d.rejected_by_coordinator ? 1 : 0);
                   },
                   [&](const error_detail::Opaque& d) { w.raw(d.tail); },
               },
               detail);
}

bool read_flag_byte(ByteReader& r, const char* what) {
    const std::size_t at = r.offset();
    const std::uint8_t b = r.byte();
    if (b > 1) r.fail_at(at, std::string(what) + " as a byte 0 or 1, got " + std::to_string(b));
    return b == 1;
}

Result read_result(ByteReader& r, int version) {
    const std::size_t kind_at = r.offset();
    const std::int32_t kind = r.i32();
    if (r.failed()) return VoidResult{};
    switch (kind) {
        case result_kinds::void_result: return VoidResult{};
        case result_kinds::rows: {
            RowsResult rows;
            rows.metadata = read_rows_metadata(r);
            const auto columns = static_cast<std::size_t>(std::max(rows.metadata.column_count, 0));
            // Each cell takes at least its 4-byte length, so a forged row count cannot make
            // the decoder reserve more than the body could hold; rows without columns are
            // held to 1 byte each, or a zero-column count could ask for billions of rows.
            const std::size_t count = r.count(r.i32(), std::max<std::size_t>(columns * 4, 1), "row");
            rows.rows.reserve(count);
            for (std::size_t i = 0; i < count && !r.failed(); ++i) {
                Row row;
                row.reserve(columns);
                for (std::size_t c = 0; c < columns && !r.failed(); ++c) row.push_back(r.bytes());
                rows.rows.push_back(std::move(row));
            }
            return rows;
        }
        case result_kinds::set_keyspace: return SetKeyspaceResult{r.string()};
        case result_kinds::prepared: {
            PreparedResult p;
            p.id = r.short_bytes();
            p.metadata = read_prepared_metadata(r, version);
            p.result_metadata = read_rows_metadata(r);
            return p;
        }
        case result_kinds::schema_change: return SchemaChangeResult{read_schema_change(r)};
        default:
            r.fail_at(kind_at, "a RESULT kind 1..5, got " + std::to_string(kind));
            return VoidResult{};
    }
}

Event read_event(ByteReader& r) {
    const std::size_t type_at = r.offset();
    const std::string type = r.string();
    if (r.failed()) return Event{};
    if (type == event_types::topology_change) {
        TopologyChange c;
        c.change = r.string();
        c.node = r.inet();
        return Event{c};
    }
    if (type == event_types::status_change) {
        StatusChange c;
        c.change = r.string();
        c.node = r.inet();
        return Event{c};
    }
    if (type == event_types::schema_change) return Event{read_schema_change(r)};
    if (type == event_types::client_routes_change) {
        ClientRoutesChange c;
        c.change = r.string();
        c.connection_ids = r.string_list();
        const std::size_t hosts_at = r.offset();
        c.host_ids = r.string_list();
        if (!r.failed() && c.host_ids.size() != c.connection_ids.size())
            r.fail_at(hosts_at, "as many host ids as connection ids (" + std::to_string(c.connection_ids.size()) + "), got " +
                                    std::to_string(c.host_ids.size()));
        return Event{c};
    }
    r.fail_at(type_at, "an event type TOPOLOGY_CHANGE, STATUS_CHANGE, SCHEMA_CHANGE or CLIENT_ROUTES_CHANGE, got '" + type + "'");
    return Event{};
}

}  // namespace

Error read_error(ByteReader& r, const DecodeOptions& options) {
    Error e;
    e.code = r.i32();
    e.message = r.string();
    if (r.failed()) return e;
    if (e.code == options.rate_limit_error_code) {
        error_detail::RateLimit d;
        const std::size_t at = r.offset();
        const std::uint8_t op = r.byte();
        if (op > 1) r.fail_at(at, "a rate limit operation 0 (read) or 1 (write), got " + std::to_string(op));
        d.operation = static_cast<error_detail::RateLimitOperation>(op);
        d.rejected_by_coordinator = read_flag_byte(r, "rejected_by_coordinator");
        e.detail = d;
        return e;
    }
    switch (e.code) {
        case error_codes::unavailable: {
            error_detail::Unavailable d;
            d.consistency = r.consistency();
            d.required = r.i32();
            d.alive = r.i32();
            e.detail = d;
            break;
        }
        case error_codes::write_timeout: {
            error_detail::WriteTimeout d;
            d.consistency = r.consistency();
            d.received = r.i32();
            d.block_for = r.i32();
            d.write_type = r.string();
            e.detail = d;
            break;
        }
        case error_codes::read_timeout: {
            error_detail::ReadTimeout d;
            d.consistency = r.consistency();
            d.received = r.i32();
            d.block_for = r.i32();
            d.data_present = r.byte() != 0;
            e.detail = d;
            break;
        }
        case error_codes::read_failure: {
            error_detail::ReadFailure d;
            d.consistency = r.consistency();
            d.received = r.i32();
            d.block_for = r.i32();
            d.failures = r.i32();
            d.data_present = r.byte() != 0;
            e.detail = d;
            break;
        }
        case error_codes::write_failure: {
            error_detail::WriteFailure d;
            d.consistency = r.consistency();
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
        default:
            // Unknown codes (and known ones without a tail) keep whatever follows, the way
            // drivers survive codes they do not know.
            if (r.remaining() > 0) {
                auto tail = r.raw(r.remaining());
                e.detail = error_detail::Opaque{Bytes(tail.begin(), tail.end())};
            }
            break;
    }
    return e;
}

void write_body(ByteWriter& w, const Error& m, int) {
    invariant(detail_matches_code(m), "the error detail matches the error code");
    w.i32(m.code);
    w.string(m.message);
    write_error_detail(w, m.detail);
}
void write_body(ByteWriter&, const Ready&, int) {}
void write_body(ByteWriter& w, const Authenticate& m, int) { w.string(m.authenticator); }
void write_body(ByteWriter& w, const Supported& m, int) { w.string_multimap(m.options); }
void write_body(ByteWriter& w, const VoidResult&, int) { w.i32(result_kinds::void_result); }
void write_body(ByteWriter& w, const RowsResult& m, int) {
    w.i32(result_kinds::rows);
    write_rows_metadata(w, m.metadata);
    w.i32(static_cast<std::int32_t>(m.rows.size()));
    const auto columns = static_cast<std::size_t>(m.metadata.no_metadata ? m.metadata.column_count
                                                                          : static_cast<std::int32_t>(m.metadata.columns.size()));
    for (const auto& row : m.rows) {
        invariant(row.size() == columns, "every row has column_count cells");
        for (const auto& cell : row) w.bytes(cell);
    }
}
void write_body(ByteWriter& w, const SetKeyspaceResult& m, int) {
    w.i32(result_kinds::set_keyspace);
    w.string(m.keyspace);
}
void write_body(ByteWriter& w, const PreparedResult& m, int version) {
    w.i32(result_kinds::prepared);
    w.short_bytes(m.id);
    write_prepared_metadata(w, m.metadata, version);
    write_rows_metadata(w, m.result_metadata);
}
void write_body(ByteWriter& w, const SchemaChangeResult& m, int) {
    w.i32(result_kinds::schema_change);
    write_schema_change(w, m.change);
}
void write_body(ByteWriter& w, const Result& m, int version) {
    std::visit([&](const auto& result) { write_body(w, result, version); }, m);
}
void write_body(ByteWriter& w, const AuthChallenge& m, int) { w.bytes(m.token); }
void write_body(ByteWriter& w, const AuthSuccess& m, int) { w.bytes(m.token); }
void write_body(ByteWriter& w, const Event& m, int) {
    std::visit(Overloaded{
                   [&](const TopologyChange& c) {
                       w.string(event_types::topology_change);
                       w.string(c.change);
                       w.inet(c.node);
                   },
                   [&](const StatusChange& c) {
                       w.string(event_types::status_change);
                       w.string(c.change);
                       w.inet(c.node);
                   },
                   [&](const SchemaChange& c) {
                       w.string(event_types::schema_change);
                       write_schema_change(w, c);
                   },
                   [&](const ClientRoutesChange& c) {
                       invariant(c.connection_ids.size() == c.host_ids.size(), "CLIENT_ROUTES_CHANGE lists are parallel");
                       w.string(event_types::client_routes_change);
                       w.string(c.change);
                       w.string_list(c.connection_ids);
                       w.string_list(c.host_ids);
                   },
               },
               m.change);
}
void write_body(ByteWriter& w, const Response& m, int version) {
    std::visit([&](const auto& message) { write_body(w, message, version); }, m);
}

Response read_response_body(ByteReader& r, Opcode opcode, int version, const DecodeOptions& options) {
    switch (opcode) {
        case Opcode::error: return read_error(r, options);
        case Opcode::ready: return Ready{};
        case Opcode::authenticate: return Authenticate{r.string()};
        case Opcode::supported: return Supported{r.string_multimap()};
        case Opcode::result: return read_result(r, version);
        case Opcode::event: return read_event(r);
        case Opcode::auth_challenge: return AuthChallenge{r.bytes()};
        case Opcode::auth_success: return AuthSuccess{r.bytes()};
        default: break;
    }
    invariant(false, "read_response_body called with a request opcode");
    return Ready{};
}

}  // namespace routelab::cql
