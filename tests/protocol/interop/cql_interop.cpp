// The other half of python_driver_interop.py, which checks our codec against the DataStax
// Python driver's own (Debian's python3-cassandra 3.25):
//   cql_interop write-responses FILE   writes response frames the script decodes with the
//                                      driver and compares to the values written here;
//   cql_interop read-requests FILE     decodes request frames the driver encoded and prints
//                                      one canonical line per frame for the script to compare.
// Values bound in a QUERY whose text is "TYPES t1;t2;..." are decoded with those types.
#include <cstdio>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/values.hpp"

using namespace routelab::cql;

namespace {

std::string hex(std::span<const std::uint8_t> bytes) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string s;
    for (const std::uint8_t b : bytes) {
        s.push_back(digits[b >> 4]);
        s.push_back(digits[b & 0xF]);
    }
    return s;
}

template <class... Ts>
struct Overloaded : Ts... {
    using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

std::string text_of(const CqlValue& v) {
    return std::visit(
        Overloaded{
            [](const std::monostate&) -> std::string { return "null"; },
            [](bool b) -> std::string { return b ? "true" : "false"; },
            [](std::int8_t x) { return std::to_string(x); },
            [](std::int16_t x) { return std::to_string(x); },
            [](std::int32_t x) { return std::to_string(x); },
            [](std::int64_t x) { return std::to_string(x); },
            [](std::uint32_t x) { return std::to_string(x); },
            [](float x) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(x));
                return std::string(buf);
            },
            [](double x) {
                char buf[64];
                std::snprintf(buf, sizeof buf, "%.17g", x);
                return std::string(buf);
            },
            [](const std::string& s) { return "'" + s + "'"; },
            [](const Bytes& b) { return "0x" + hex(b); },
            [](const Uuid& u) { return hex(u); },
            [](const InetAddress& ip) {
                if (ip.size != 4) return hex(std::span<const std::uint8_t>(ip.bytes.data(), ip.size));
                return std::to_string(ip.bytes[0]) + "." + std::to_string(ip.bytes[1]) + "." + std::to_string(ip.bytes[2]) + "." +
                       std::to_string(ip.bytes[3]);
            },
            [](const Decimal& d) { return "decimal(" + std::to_string(d.scale) + ",0x" + hex(d.unscaled) + ")"; },
            [](const Varint& x) { return "varint(0x" + hex(x.bytes) + ")"; },
            [](const Duration& d) {
                return "duration(" + std::to_string(d.months) + "," + std::to_string(d.days) + "," + std::to_string(d.nanoseconds) + ")";
            },
            [](const CqlCollection& c) {
                std::string s = "[";
                for (std::size_t i = 0; i < c.elements.size(); ++i) s += (i ? "," : "") + text_of(c.elements[i]);
                return s + "]";
            },
            [](const CqlMap& m) {
                std::string s = "{";
                for (std::size_t i = 0; i < m.keys.size(); ++i) s += (i ? "," : "") + text_of(m.keys[i]) + ":" + text_of(m.values[i]);
                return s + "}";
            },
            [](const CqlFields& f) {
                std::string s = "(";
                for (std::size_t i = 0; i < f.fields.size(); ++i) s += (i ? "," : "") + text_of(f.fields[i]);
                return s + ")";
            },
        },
        v.data);
}

std::string value_text(const Value& v) {
    if (v.kind == Value::Kind::null) return "null";
    if (v.kind == Value::Kind::not_set) return "unset";
    return "0x" + hex(v.bytes);
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string part;
    std::istringstream in(s);
    while (std::getline(in, part, sep)) out.push_back(part);
    return out;
}

std::string parameters_text(const QueryParameters& p, const std::string& query) {
    std::string s = " cl=" + std::to_string(static_cast<int>(p.consistency));
    std::vector<std::string> types;
    if (query.rfind("TYPES ", 0) == 0) types = split(query.substr(6), ';');
    s += " values=[";
    for (std::size_t i = 0; i < p.values.size(); ++i) {
        s += i ? "," : "";
        ColumnType type;
        if (i < types.size() && parse_type_name(types[i], type) && p.values[i].kind == Value::Kind::bytes) {
            auto decoded = decode_value(type, p.values[i].bytes);
            s += decoded.ok() ? text_of(*decoded) : "ERROR(" + decoded.error().to_string() + ")";
        } else {
            s += value_text(p.values[i]);
        }
    }
    s += "]";
    if (p.skip_metadata) s += " skip_metadata";
    if (p.page_size) s += " page_size=" + std::to_string(*p.page_size);
    if (p.paging_state) s += " paging_state=0x" + hex(*p.paging_state);
    if (p.serial_consistency) s += " serial=" + std::to_string(static_cast<int>(*p.serial_consistency));
    if (p.default_timestamp_us) s += " timestamp=" + std::to_string(*p.default_timestamp_us);
    return s;
}

std::string request_text(const Request& request) {
    return std::visit(
        Overloaded{
            [](const Startup& m) {
                std::string s = "STARTUP";
                for (const auto& [k, v] : m.options) s += " " + k + "=" + v;
                return s;
            },
            [](const Options&) -> std::string { return "OPTIONS"; },
            [](const Query& m) { return "QUERY '" + m.query + "'" + parameters_text(m.parameters, m.query); },
            [](const Prepare& m) { return "PREPARE '" + m.query + "'"; },
            [](const Execute& m) { return "EXECUTE 0x" + hex(m.id) + parameters_text(m.parameters, ""); },
            [](const Register& m) {
                std::string s = "REGISTER";
                for (const auto& e : m.event_types) s += " " + e;
                return s;
            },
            [](const AuthResponse& m) { return "AUTH_RESPONSE " + (m.token ? "0x" + hex(*m.token) : std::string("null")); },
            [](const Batch& m) {
                std::string s = "BATCH type=" + std::to_string(static_cast<int>(m.type));
                for (const auto& st : m.statements) {
                    if (const auto* q = std::get_if<std::string>(&st.query_or_id)) s += " [query '" + *q + "'";
                    else s += " [id 0x" + hex(std::get<Bytes>(st.query_or_id));
                    for (const auto& v : st.values) s += " " + value_text(v);
                    s += "]";
                }
                s += " cl=" + std::to_string(static_cast<int>(m.consistency));
                if (m.serial_consistency) s += " serial=" + std::to_string(static_cast<int>(*m.serial_consistency));
                if (m.default_timestamp_us) s += " timestamp=" + std::to_string(*m.default_timestamp_us);
                return s;
            },
        },
        request);
}

int read_requests(const char* path) {
    std::ifstream in(path, std::ios::binary);
    const std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    FrameAssembler assembler;
    assembler.feed(bytes);
    Frame f;
    while (assembler.next(f) == FrameAssembler::Status::frame) {
        auto decoded = decode_request_with_extras(f);
        if (!decoded.ok()) {
            std::printf("stream=%d DECODE ERROR %s\n", f.header.stream, decoded.error().to_string().c_str());
            continue;
        }
        std::string extras;
        if (decoded->extras.tracing_requested) extras += " tracing";
        if (decoded->extras.custom_payload)
            for (const auto& [k, v] : *decoded->extras.custom_payload) extras += " payload:" + k + "=" + (v ? "0x" + hex(*v) : "null");
        std::printf("stream=%d v=%d %s%s\n", f.header.stream, f.header.protocol_version(), request_text(decoded->message).c_str(),
                    extras.c_str());
    }
    if (assembler.buffered() != 0) std::printf("TRAILING %zu bytes\n", assembler.buffered());
    return 0;
}

Bytes encoded(const ColumnType& type, const CqlValue& value) {
    Bytes out;
    if (auto error = encode_value(type, value, out)) {
        std::fprintf(stderr, "encode_value: %s\n", error->c_str());
        std::exit(1);
    }
    return out;
}

ColumnType type_of(const char* name) {
    ColumnType t;
    if (!parse_type_name(name, t)) {
        std::fprintf(stderr, "unknown type %s\n", name);
        std::exit(1);
    }
    return t;
}

int write_responses(const char* path) {
    std::vector<std::uint8_t> out;
    // 1. Rows with one column of each type; the script knows the values.
    const std::vector<std::pair<const char*, CqlValue>> cells{
        {"int", CqlValue{std::int32_t{-42}}},
        {"bigint", CqlValue{std::int64_t{1234567890123}}},
        {"smallint", CqlValue{std::int16_t{-7}}},
        {"tinyint", CqlValue{std::int8_t{5}}},
        {"boolean", CqlValue{true}},
        {"double", CqlValue{2.5}},
        {"float", CqlValue{-0.25f}},
        {"text", CqlValue{std::string("h\xC3\xA9llo")}},
        {"ascii", CqlValue{std::string("plain")}},
        {"blob", CqlValue{Bytes{0xDE, 0xAD, 0xBE, 0xEF}}},
        {"uuid", CqlValue{Uuid{0x55, 0x0e, 0x84, 0x00, 0xe2, 0x9b, 0x41, 0xd4, 0xa7, 0x16, 0x44, 0x66, 0x55, 0x44, 0x00, 0x00}}},
        {"inet", CqlValue{InetAddress::v4(127, 0, 0, 3)}},
        {"varint", CqlValue{Varint{Bytes{0xFF, 0x38}}}},                 // -200
        {"decimal", CqlValue{Decimal{2, Bytes{0x30, 0x39}}}},              // 123.45
        {"timestamp", CqlValue{std::int64_t{1700000000123}}},
        {"date", CqlValue{std::uint32_t{(1u << 31) + 19000}}},
        {"time", CqlValue{std::int64_t{3723000000004}}},                   // 01:02:03.000000004
        {"duration", CqlValue{Duration{1, 2, 3000}}},
        {"list<int>", CqlValue{CqlCollection{{CqlValue{std::int32_t{1}}, CqlValue{std::int32_t{2}}, CqlValue{std::int32_t{3}}}}}},
        {"set<text>", CqlValue{CqlCollection{{CqlValue{std::string("a")}, CqlValue{std::string("b")}}}}},
        {"map<text, bigint>", CqlValue{CqlMap{{CqlValue{std::string("k")}}, {CqlValue{std::int64_t{9}}}}}},
        {"tuple<int, text, boolean>", CqlValue{CqlFields{{CqlValue{std::int32_t{7}}, CqlValue{std::string("t")}, CqlValue{}}}}},
    };
    RowsResult rows;
    Row row;
    for (const auto& [name, value] : cells) {
        const ColumnType type = type_of(name);
        rows.metadata.columns.push_back({"interop", "everything", "c" + std::to_string(rows.metadata.columns.size()), type});
        row.push_back(encoded(type, value));
    }
    rows.metadata.column_count = static_cast<std::int32_t>(rows.metadata.columns.size());
    rows.metadata.paging_state = Bytes{0x01, 0x02};
    rows.rows = {row, Row(row.size(), std::nullopt)};
    FrameExtras extras;
    extras.tracing_id = Uuid{0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0x11, 0xee, 0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
    extras.warnings = {"Aggregation query used without partition key"};
    extras.custom_payload = BytesMap{{"tablets-routing-v1", Bytes{0x00, 0x01}}};
    encode_response(out, 1, rows, 4, &extras);
    // 2. Prepared with partition key indexes and result metadata.
    PreparedResult prepared;
    prepared.id = Bytes{0x0b, 0xad, 0xf0, 0x0d};
    prepared.metadata.columns = {{"ks", "t", "b", type_of("text")}, {"ks", "t", "a", type_of("int")}};
    prepared.metadata.pk_indexes = {1, 0};
    prepared.result_metadata.columns = {{"ks", "t", "v", type_of("list<uuid>")}};
    prepared.result_metadata.column_count = 1;
    encode_response(out, 2, prepared);
    // 3-7. Errors with their tails.
    using namespace error_detail;
    encode_response(out, 3, Error{error_codes::unavailable, "not enough", Unavailable{Consistency::local_quorum, 3, 1}});
    encode_response(out, 4, Error{error_codes::write_timeout, "slow write", WriteTimeout{Consistency::quorum, 1, 2, "BATCH_LOG"}});
    encode_response(out, 5, Error{error_codes::read_failure, "failed read", ReadFailure{Consistency::all, 2, 3, 1, true}});
    encode_response(out, 6, Error{error_codes::already_exists, "exists", AlreadyExists{"ks", "t"}});
    encode_response(out, 7, Error{error_codes::unprepared, "unknown id", Unprepared{Bytes{0xca, 0xfe}}});
    // 8-10. Events.
    encode_response(out, -1, Event{TopologyChange{"NEW_NODE", Inet{InetAddress::v4(127, 0, 0, 2), 9042}}});
    encode_response(out, -1, Event{StatusChange{"DOWN", Inet{InetAddress::v4(10, 1, 2, 3), 19042}}});
    encode_response(out, -1, Event{SchemaChange{"CREATED", "FUNCTION", "ks", "fn", {"int", "text"}}});
    // 11-15. The rest.
    encode_response(out, 11, Supported{{{"CQL_VERSION", {"3.4.5"}}, {"COMPRESSION", {"lz4"}}, {"SCYLLA_NR_SHARDS", {"4"}}}});
    encode_response(out, 12, Authenticate{"org.apache.cassandra.auth.PasswordAuthenticator"});
    encode_response(out, 13, AuthSuccess{Bytes{0x6f, 0x6b}});
    encode_response(out, 14, SetKeyspaceResult{"routelab"});
    encode_response(out, 15, SchemaChangeResult{SchemaChange{"UPDATED", "TABLE", "ks", "t", {}}});
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<const char*>(out.data()), static_cast<std::streamsize>(out.size()));
    return file ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc == 3 && std::string(argv[1]) == "write-responses") return write_responses(argv[2]);
    if (argc == 3 && std::string(argv[1]) == "read-requests") return read_requests(argv[2]);
    std::fprintf(stderr, "usage: %s write-responses FILE | read-requests FILE\n", argv[0]);
    return 2;
}
