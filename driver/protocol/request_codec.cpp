// Request bodies: STARTUP, OPTIONS, QUERY, PREPARE, EXECUTE, BATCH, REGISTER, AUTH_RESPONSE.
#include <algorithm>
#include <string>

#include "driver/protocol/body_codec.hpp"

namespace routelab::cql {

namespace {

// Bound values, optionally preceded by names; shared by <query_parameters> and BATCH.
void write_values(ByteWriter& w, const std::vector<Value>& values, const std::vector<std::string>& names) {
    invariant(names.empty() || names.size() == values.size(), "one name per value, or none");
    invariant(values.size() <= 0xFFFF, "at most 65535 bound values");
    w.u16(static_cast<std::uint16_t>(values.size()));
    for (std::size_t i = 0; i < values.size(); ++i) {
        if (!names.empty()) w.string(names[i]);
        w.value(values[i]);
    }
}

void read_values(ByteReader& r, bool named, int version, std::vector<Value>& values, std::vector<std::string>& names) {
    const std::size_t n = r.count(r.u16(), named ? 6 : 4, "bound value");
    values.reserve(n);
    if (named) names.reserve(n);
    for (std::size_t i = 0; i < n && !r.failed(); ++i) {
        if (named) names.push_back(r.string());
        values.push_back(r.value(version >= 4));
    }
}

}  // namespace

void write_query_parameters(ByteWriter& w, const QueryParameters& p, int version) {
    invariant(version >= 4 || std::none_of(p.values.begin(), p.values.end(), [](const Value& v) { return v.kind == Value::Kind::not_set; }), "not-set values need protocol v4");
    w.consistency(p.consistency);
    std::uint8_t flags = 0;
    if (!p.values.empty()) flags |= query_flags::values;
    if (p.skip_metadata) flags |= query_flags::skip_metadata;
    if (p.page_size) flags |= query_flags::page_size;
    if (p.paging_state) flags |= query_flags::paging_state;
    if (p.serial_consistency) flags |= query_flags::serial_consistency;
    if (p.default_timestamp_us) flags |= query_flags::default_timestamp;
    if (!p.value_names.empty()) flags |= query_flags::names_for_values;
    w.byte(flags);
    if (!p.values.empty()) write_values(w, p.values, p.value_names);
    if (p.page_size) w.i32(*p.page_size);
    if (p.paging_state) w.bytes(std::span<const std::uint8_t>(*p.paging_state));
    if (p.serial_consistency) w.consistency(*p.serial_consistency);
    if (p.default_timestamp_us) w.i64(*p.default_timestamp_us);
}

QueryParameters read_query_parameters(ByteReader& r, int version) {
    QueryParameters p;
    p.consistency = r.consistency();
    const std::size_t flags_at = r.offset();
    const std::uint8_t flags = r.byte();
    if (flags & 0x80) r.fail_at(flags_at, "query flags without bit 0x80 (v5 only), got " + std::to_string(flags));
    if (flags & query_flags::values) read_values(r, (flags & query_flags::names_for_values) != 0, version, p.values, p.value_names);
    p.skip_metadata = (flags & query_flags::skip_metadata) != 0;
    if (flags & query_flags::page_size) p.page_size = r.i32();
    if (flags & query_flags::paging_state) {
        auto state = r.bytes();
        p.paging_state = state ? std::move(*state) : Bytes{};
    }
    if (flags & query_flags::serial_consistency) p.serial_consistency = r.consistency();
    if (flags & query_flags::default_timestamp) p.default_timestamp_us = r.i64();
    return p;
}

void write_body(ByteWriter& w, const Startup& m, int) { w.string_map(m.options); }
void write_body(ByteWriter&, const Options&, int) {}
void write_body(ByteWriter& w, const Query& m, int version) {
    w.long_string(m.query);
    write_query_parameters(w, m.parameters, version);
}
void write_body(ByteWriter& w, const Prepare& m, int) { w.long_string(m.query); }
void write_body(ByteWriter& w, const Execute& m, int version) {
    w.short_bytes(m.id);
    write_query_parameters(w, m.parameters, version);
}
void write_body(ByteWriter& w, const Register& m, int) { w.string_list(m.event_types); }
void write_body(ByteWriter& w, const AuthResponse& m, int) { w.bytes(m.token); }

void write_body(ByteWriter& w, const Batch& m, int) {
    bool named = false;
    for (const auto& s : m.statements) named = named || !s.value_names.empty();
    w.byte(static_cast<std::uint8_t>(m.type));
    invariant(m.statements.size() <= 0xFFFF, "at most 65535 batch statements");
    w.u16(static_cast<std::uint16_t>(m.statements.size()));
    for (const auto& s : m.statements) {
        invariant(!named || s.values.size() == s.value_names.size(), "batch value names: all statements name their values, or none does");
        if (const auto* query = std::get_if<std::string>(&s.query_or_id)) {
            w.byte(0);
            w.long_string(*query);
        } else {
            w.byte(1);
            w.short_bytes(std::get<Bytes>(s.query_or_id));
        }
        write_values(w, s.values, s.value_names);
    }
    w.consistency(m.consistency);
    std::uint8_t flags = 0;
    if (m.serial_consistency) flags |= batch_flags::serial_consistency;
    if (m.default_timestamp_us) flags |= batch_flags::default_timestamp;
    if (named) flags |= batch_flags::names_for_values;
    w.byte(flags);
    if (m.serial_consistency) w.consistency(*m.serial_consistency);
    if (m.default_timestamp_us) w.i64(*m.default_timestamp_us);
}

void write_body(ByteWriter& w, const Request& m, int version) {
    std::visit([&](const auto& message) { write_body(w, message, version); }, m);
}

namespace {

// Reads a BATCH assuming every value does (named) or does not carry a name.
Batch read_batch_as(ByteReader& r, int version, bool named, bool& names_flag) {
    Batch b;
    const std::size_t type_at = r.offset();
    const std::uint8_t type = r.byte();
    if (type > 2) r.fail_at(type_at, "a BATCH type 0 (logged), 1 (unlogged) or 2 (counter), got " + std::to_string(type));
    b.type = static_cast<BatchType>(type);
    const std::size_t n = r.count(r.u16(), 7, "batch statement");
    b.statements.reserve(n);
    for (std::size_t i = 0; i < n && !r.failed(); ++i) {
        BatchStatement s;
        const std::size_t kind_at = r.offset();
        const std::uint8_t kind = r.byte();
        if (kind == 0) s.query_or_id = r.long_string();
        else if (kind == 1) s.query_or_id = r.short_bytes();
        else r.fail_at(kind_at, "a batch statement kind 0 (query) or 1 (prepared id), got " + std::to_string(kind));
        read_values(r, named, version, s.values, s.value_names);
        b.statements.push_back(std::move(s));
    }
    b.consistency = r.consistency();
    const std::size_t flags_at = r.offset();
    const std::uint8_t flags = r.byte();
    if (flags & ~(batch_flags::serial_consistency | batch_flags::default_timestamp | batch_flags::names_for_values))
        r.fail_at(flags_at, "BATCH flags within 0x70, got " + std::to_string(flags));
    names_flag = (flags & batch_flags::names_for_values) != 0;
    if (flags & batch_flags::serial_consistency) b.serial_consistency = r.consistency();
    if (flags & batch_flags::default_timestamp) b.default_timestamp_us = r.i64();
    return b;
}

// The flags that say whether values carry names come after the statements. Drivers never
// set the names flag (the spec calls it broken), so the common reading is tried first and
// the named one only when the flags (or the first reading's failure) ask for it.
Batch read_batch(ByteReader& r, int version) {
    ByteReader plain = r;
    bool names_flag = false;
    Batch b = read_batch_as(plain, version, false, names_flag);
    // The batch is the whole body, so a reading is right only if it ends exactly there.
    if (!plain.failed() && !names_flag && plain.at_end()) {
        r = plain;
        return b;
    }
    ByteReader named = r;
    bool named_flag = false;
    Batch nb = read_batch_as(named, version, true, named_flag);
    if (!named.failed() && named_flag && named.at_end()) {
        r = named;
        return nb;
    }
    if (!plain.failed() && names_flag)
        plain.fail("BATCH values without names (the names flag 0x40 is set but the values have none)");
    r = plain;
    return b;
}

}  // namespace

Request read_request_body(ByteReader& r, Opcode opcode, int version) {
    switch (opcode) {
        case Opcode::startup: return Startup{r.string_map()};
        case Opcode::options: return Options{};
        case Opcode::query: {
            Query q;
            q.query = r.long_string();
            q.parameters = read_query_parameters(r, version);
            return q;
        }
        case Opcode::prepare: return Prepare{r.long_string()};
        case Opcode::execute: {
            Execute e;
            e.id = r.short_bytes();
            e.parameters = read_query_parameters(r, version);
            return e;
        }
        case Opcode::batch: return read_batch(r, version);
        case Opcode::register_events: return Register{r.string_list()};
        case Opcode::auth_response: return AuthResponse{r.bytes()};
        default: break;
    }
    invariant(false, "read_request_body called with a response opcode");
    return Options{};
}

}  // namespace routelab::cql
