#pragma once
// The server side of one client connection: reassembles frames, decodes requests and
// answers them. Requests are pipelined: each is answered when it completes, with the
// stream id it came with, in whatever order they complete.
#include <cstdint>
#include <string>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "mock_cluster/node/cql_server.hpp"

namespace routelab::cluster {

class ServerConnection {
public:
    ServerConnection(CqlServer& server, std::uint64_t id, net::StreamPtr stream, std::uint16_t shard);
    void close();
    std::uint64_t id() const { return id_; }
    // false: stop reading (bytes wait in the stream, as in a socket buffer); true: read on.
    void set_reading(bool on);

    // Finishes a read or write the coordinator completed.
    void respond(std::int16_t stream, const routelab::cql::Response& response);

    bool registered_for(events::EventType type) const { return (registered_events_ & static_cast<std::uint8_t>(type)) != 0; }
    // Writes an EVENT frame (stream -1); the caller checked the registration.
    void push_event(const events::Event& event);

private:
    void on_data(std::span<const std::uint8_t> bytes);
    void on_frame(const routelab::cql::Frame& frame);
    void handle(std::int16_t stream, routelab::cql::Request& request);
    void handle_query(std::int16_t stream, const routelab::cql::Query& query);
    void handle_prepare(std::int16_t stream, const routelab::cql::Prepare& prepare);
    void handle_execute(std::int16_t stream, routelab::cql::Execute& execute);
    void handle_register(std::int16_t stream, const routelab::cql::Register& request);
    // BATCH: every statement is an INSERT, UPDATE or DELETE (text or prepared id); all are
    // bound first (any error answers the whole batch), then applied through the
    // coordinator with one timestamp at the batch's consistency; Void once all are
    // acknowledged, else the first failure. Logged and unlogged batches differ only in
    // the write type a timeout reports; counter batches are refused.
    void handle_batch(std::int16_t stream, const routelab::cql::Batch& batch);
    void run(std::int16_t stream, CompiledPtr statement, routelab::cql::QueryParameters& parameters);
    // System-table reads and schema changes: answered by this node after one service slot
    // on the connection's shard, without the coordinator.
    void run_local(std::int16_t stream, CompiledPtr statement, const routelab::cql::QueryParameters& parameters);
    void fail_protocol(std::int16_t stream, const std::string& message);
    void send_error(std::int16_t stream, std::int32_t code, std::string message);
    routelab::cql::Supported supported() const;

    CqlServer& server_;
    std::uint64_t id_;
    net::StreamPtr stream_;
    std::uint16_t shard_;
    routelab::cql::FrameAssembler assembler_;
    std::uint8_t version_ = 0;     // fixed by the first frame
    // Negotiated in STARTUP; applies to every frame after the STARTUP exchange.
    routelab::cql::Compression compression_ = routelab::cql::Compression::none;
    bool compress_responses_ = false;
    std::vector<std::uint8_t> decompressed_;
    std::vector<std::uint8_t> compress_scratch_;
    bool started_ = false;
    bool lwt_mark_ = false;        // SCYLLA_LWT_ADD_METADATA_MARK negotiated
    bool closing_ = false;
    std::string keyspace_;         // USE
    std::uint8_t registered_events_ = 0;   // events::EventType bits
};

}  // namespace routelab::cluster
