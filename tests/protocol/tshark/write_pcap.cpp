// Writes a pcap of one CQL v4 conversation produced by our encoder: every request opcode
// from client to server and every response kind back, each frame in its own TCP segment
// on port 9042 with consistent sequence numbers, so Wireshark's CQL dissector can check
// our bytes. Usage: write_pcap OUT.pcap
#include <cstdint>
#include <cstdio>
#include <vector>

#include "driver/protocol/codec.hpp"

using namespace routelab::cql;

namespace {

struct Flow {
    std::uint32_t src_ip, dst_ip;
    std::uint16_t src_port, dst_port;
    std::uint32_t seq = 1000;
};

void put16(std::vector<std::uint8_t>& b, std::uint16_t v) { b.push_back(static_cast<std::uint8_t>(v >> 8)); b.push_back(static_cast<std::uint8_t>(v)); }
void put32(std::vector<std::uint8_t>& b, std::uint32_t v) { put16(b, static_cast<std::uint16_t>(v >> 16)); put16(b, static_cast<std::uint16_t>(v)); }
void put32le(std::FILE* f, std::uint32_t v) { for (int i = 0; i < 4; ++i) std::fputc(static_cast<int>((v >> (8 * i)) & 0xff), f); }
void put16le(std::FILE* f, std::uint16_t v) { std::fputc(v & 0xff, f); std::fputc(v >> 8, f); }

std::uint16_t ip_checksum(const std::uint8_t* p, std::size_t n) {
    std::uint32_t sum = 0;
    for (std::size_t i = 0; i + 1 < n; i += 2) sum += static_cast<std::uint32_t>((p[i] << 8) | p[i + 1]);
    while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
    return static_cast<std::uint16_t>(~sum);
}

// One IPv4+TCP packet (LINKTYPE_RAW) carrying `payload`.
void write_segment(std::FILE* f, Flow& flow, std::uint32_t ack, const std::vector<std::uint8_t>& payload, std::uint32_t& usec) {
    std::vector<std::uint8_t> packet;
    const auto total = static_cast<std::uint16_t>(40 + payload.size());
    packet.push_back(0x45); packet.push_back(0); put16(packet, total); put16(packet, 1); put16(packet, 0x4000);
    packet.push_back(64); packet.push_back(6); put16(packet, 0); put32(packet, flow.src_ip); put32(packet, flow.dst_ip);
    const std::uint16_t sum = ip_checksum(packet.data(), 20);
    packet[10] = static_cast<std::uint8_t>(sum >> 8); packet[11] = static_cast<std::uint8_t>(sum);
    put16(packet, flow.src_port); put16(packet, flow.dst_port); put32(packet, flow.seq); put32(packet, ack);
    packet.push_back(0x50); packet.push_back(0x18); put16(packet, 65535); put16(packet, 0); put16(packet, 0);
    packet.insert(packet.end(), payload.begin(), payload.end());
    flow.seq += static_cast<std::uint32_t>(payload.size());
    usec += 100;
    put32le(f, 1'700'000'000); put32le(f, usec); put32le(f, static_cast<std::uint32_t>(packet.size())); put32le(f, static_cast<std::uint32_t>(packet.size()));
    std::fwrite(packet.data(), 1, packet.size(), f);
}

ColumnSpec column(const char* name, TypeId type) { return ColumnSpec{"ks", "kv", name, ColumnType::of(type)}; }

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: write_pcap OUT.pcap\n");
        return 2;
    }
    std::FILE* f = std::fopen(argv[1], "wb");
    if (f == nullptr) return 1;
    put32le(f, 0xa1b2c3d4); put16le(f, 2); put16le(f, 4); put32le(f, 0); put32le(f, 0); put32le(f, 65535); put32le(f, 101);
    Flow client{0x7f010001, 0x7f000001, 40000, 9042};
    Flow server{0x7f000001, 0x7f010001, 9042, 40000};
    std::uint32_t usec = 0;
    auto request = [&](std::int16_t stream, const Request& r) {
        std::vector<std::uint8_t> out;
        encode_request(out, stream, r);
        write_segment(f, client, server.seq, out, usec);
    };
    auto response = [&](std::int16_t stream, const Response& r) {
        std::vector<std::uint8_t> out;
        encode_response(out, stream, r);
        write_segment(f, server, client.seq, out, usec);
    };
    const Bytes id{0xde, 0xad, 0xbe, 0xef};
    request(0, Options{});
    response(0, Supported{{{"CQL_VERSION", {"3.4.5"}}, {"COMPRESSION", {"lz4"}}}});
    request(1, Startup{{{"CQL_VERSION", "3.0.0"}}});
    response(1, Ready{});
    request(2, Register{{"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"}});
    response(2, Ready{});
    Query q;
    q.query = "SELECT k, v FROM ks.kv WHERE k = ?";
    q.parameters.consistency = Consistency::quorum;
    q.parameters.values = {Value::of({0, 0, 0, 0, 0, 0, 0, 42})};
    q.parameters.page_size = 100;
    request(3, q);
    // Columns from two tables: per-column table specs, which Wireshark 4.0 dissects down
    // to each cell. (It cannot read cells after a global table spec: its parse_row()
    // ignores that flag, so a global-spec frame is checked separately at the end.)
    RowsResult rows;
    rows.metadata.columns = {column("k", TypeId::bigint), ColumnSpec{"ks", "other", "v", ColumnType::of(TypeId::varchar)}};
    rows.metadata.column_count = 2;
    rows.rows = {{Bytes{0, 0, 0, 0, 0, 0, 0, 42}, Bytes{'h', 'i'}}, {Bytes{0, 0, 0, 0, 0, 0, 0, 7}, std::nullopt}};
    response(3, Result{rows});
    request(4, Prepare{"INSERT INTO ks.kv (k, v) VALUES (?, ?)"});
    PreparedResult prepared;
    prepared.id = id;
    prepared.metadata.pk_indexes = {0};
    prepared.metadata.columns = {column("k", TypeId::bigint), column("v", TypeId::varchar)};
    prepared.result_metadata.no_metadata = true;
    response(4, Result{prepared});
    Execute e;
    e.id = id;
    e.parameters.consistency = Consistency::local_quorum;
    e.parameters.values = {Value::of({0, 0, 0, 0, 0, 0, 0, 1}), Value::of({'x'})};
    e.parameters.default_timestamp_us = 1'700'000'000'000'000;
    request(5, e);
    response(5, Result{VoidResult{}});
    Batch b;
    b.statements.push_back(BatchStatement{std::string("INSERT INTO ks.kv (k, v) VALUES (1, 'a')"), {}, {}});
    b.statements.push_back(BatchStatement{id, {Value::of({0, 0, 0, 0, 0, 0, 0, 2}), Value::of({'b'})}, {}});
    b.consistency = Consistency::quorum;
    request(6, b);
    response(6, Error{error_codes::write_timeout, "timed out", error_detail::WriteTimeout{Consistency::quorum, 1, 2, "BATCH"}});
    request(7, Query{"USE ks", {}});
    response(7, Result{SetKeyspaceResult{"ks"}});
    request(8, Query{"CREATE TABLE ks.t (k int PRIMARY KEY)", {}});
    response(8, Result{SchemaChangeResult{SchemaChange{"CREATED", "TABLE", "ks", "t", {}}}});
    request(9, e);
    response(9, Error{error_codes::unavailable, "Cannot achieve consistency level LOCAL_QUORUM",
                      error_detail::Unavailable{Consistency::local_quorum, 2, 1}});
    request(10, e);
    response(10, Error{error_codes::unprepared, "unknown id", error_detail::Unprepared{id}});
    request(11, Query{"SELECT * FROM ks.kv", {}});
    response(11, Error{error_codes::read_timeout, "timed out", error_detail::ReadTimeout{Consistency::one, 0, 1, false}});
    response(-1, Event{StatusChange{"DOWN", Inet{InetAddress::v4(127, 0, 0, 2), 9042}}});
    response(-1, Event{TopologyChange{"NEW_NODE", Inet{InetAddress::v4(127, 0, 0, 4), 9042}}});
    response(-1, Event{SchemaChange{"DROPPED", "KEYSPACE", "old", "", {}}});
    // The global-table-spec case, last and on its own stream.
    request(12, Query{"SELECT k FROM ks.kv", {}});
    RowsResult global;
    global.metadata.columns = {column("k", TypeId::bigint)};
    global.metadata.column_count = 1;
    global.rows = {{Bytes{0, 0, 0, 0, 0, 0, 0, 5}}};
    response(12, Result{global});
    std::fclose(f);
    return 0;
}
