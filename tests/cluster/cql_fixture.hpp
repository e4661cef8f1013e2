#pragma once
// A small simulated world for end-to-end tests of a node's CQL endpoint: a SimScheduler,
// a SimNetwork with constant latencies, a started Cluster, and raw clients that write
// encoded request frames and decode what comes back — responses by stream id, EVENT
// frames (stream -1) into a list.
#include <catch2/catch.hpp>

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/values.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/net/sim_network.hpp"

namespace routelab::test {

namespace wire = routelab::cql;

inline net::LinkModel constant_links() {
    net::LinkLatencies l;
    l.same_host = sim::Distribution{sim::dist::Constant{0.0}};
    l.same_rack = sim::Distribution{sim::dist::Constant{50.0}};
    l.same_dc = sim::Distribution{sim::dist::Constant{100.0}};
    l.cross_dc = sim::Distribution{sim::dist::Constant{10'000.0}};
    return net::LinkModel(l);
}

// Three nodes in dc1 (racks r1..r3) and one in dc2, with pinned tokens.
inline cluster::ClusterConfig four_nodes() {
    cluster::ClusterConfig config;
    config.cluster_name = "test cluster";
    config.nodes = {{"n1", "dc1", "r1", {-6000, 3000}},
                    {"n2", "dc1", "r2", {-3000, 6000}},
                    {"n3", "dc1", "r3", {0, 9000}},
                    {"n4", "dc2", "r1", {-9000, 1500}}};
    config.shards = 2;
    return config;
}

struct World {
    static constexpr std::uint32_t client_ip = net::ipv4(127, 1, 0, 1);
    sim::SimScheduler scheduler{10'000'000};
    sim::Trace trace;
    sim::Rng rng{7};
    net::LinkModel links;
    net::SimNetwork network;
    cluster::Cluster cluster;

    explicit World(cluster::ClusterConfig config = four_nodes())
        : links(constant_links()),
          network(scheduler, rng.stream("net"), trace, links),
          cluster(cluster::ClusterEnv{scheduler, rng, trace, network, links}, config,
                  cluster::ServiceConfig{.service_time_us = sim::Distribution{sim::dist::Constant{100.0}},
                                         .coordinator_time_us = sim::Distribution{sim::dist::Constant{0.0}},
                                         .slots_per_shard = 1, .timeouts = {}}) {
        cluster.start();
    }
};

class RawClient {
public:
    // Connects to node `node` and runs the world until the connection is up.
    RawClient(World& world, std::size_t node) : RawClient(world, world.cluster.cql_endpoint(node)) {}
    // Connects to any endpoint (a proxy, say).
    RawClient(World& world, net::Endpoint at) : world_(world) {
        world.network.connect(net::Endpoint{World::client_ip, 0}, at,
                              [this](net::StreamPtr stream, net::CloseReason) {
                                  stream_ = std::move(stream);
                                  if (!stream_) return;
                                  stream_->on_data([this](std::span<const std::uint8_t> bytes) { on_data(bytes); });
                                  stream_->on_close([this](net::CloseReason) { closed_ = true; });
                              });
        world.scheduler.run();
        REQUIRE(stream_);
    }

    // Sends one request and runs the world until its response arrived.
    wire::Response request(const wire::Request& request, const wire::FrameExtras* extras = nullptr) {
        const std::int16_t stream = next_stream_++;
        std::vector<std::uint8_t> out;
        wire::encode_request(out, stream, request, 4, extras);
        stream_->write(out);
        world_.scheduler.run();
        auto it = responses_.find(stream);
        REQUIRE(it != responses_.end());
        wire::Response response = std::move(it->second);
        responses_.erase(it);
        return response;
    }

    // Writes already-encoded frames without waiting; `take` collects the answer later.
    void send_raw(const std::vector<std::uint8_t>& frame) { stream_->write(frame); }
    wire::Response take(std::int16_t stream) {
        auto it = responses_.find(stream);
        REQUIRE(it != responses_.end());
        wire::Response response = std::move(it->second);
        responses_.erase(it);
        return response;
    }

    void startup() {
        auto r = request(wire::Startup{{{"CQL_VERSION", "3.0.0"}}});
        REQUIRE(std::holds_alternative<wire::Ready>(r));
    }

    wire::Response query(const std::string& text, std::vector<wire::Value> values = {}) {
        wire::Query q;
        q.query = text;
        q.parameters.values = std::move(values);
        return request(q);
    }
    // A query that must succeed with rows.
    wire::RowsResult rows(const std::string& text, std::vector<wire::Value> values = {}) {
        return expect_rows(query(text, std::move(values)));
    }
    wire::PreparedResult prepare(const std::string& text) {
        auto r = request(wire::Prepare{text});
        if (auto* e = std::get_if<wire::Error>(&r)) FAIL("PREPARE failed: " << e->message);
        return std::get<wire::PreparedResult>(std::get<wire::Result>(r));
    }
    wire::Response execute(const wire::Bytes& id, std::vector<wire::Value> values = {}, bool skip_metadata = false) {
        wire::Execute e;
        e.id = id;
        e.parameters.values = std::move(values);
        e.parameters.skip_metadata = skip_metadata;
        return request(e);
    }

    static wire::RowsResult expect_rows(const wire::Response& r) {
        if (auto* e = std::get_if<wire::Error>(&r)) FAIL("expected rows, got error " << e->code << ": " << e->message);
        const auto* result = std::get_if<wire::Result>(&r);
        REQUIRE(result != nullptr);
        const auto* rows = std::get_if<wire::RowsResult>(result);
        REQUIRE(rows != nullptr);
        return *rows;
    }
    static wire::Error expect_error(const wire::Response& r) {
        const auto* e = std::get_if<wire::Error>(&r);
        REQUIRE(e != nullptr);
        return *e;
    }

    std::vector<wire::Event>& events() { return events_; }
    bool closed() const { return closed_; }

private:
    void on_data(std::span<const std::uint8_t> bytes) {
        assembler_.feed(bytes);
        wire::Frame frame;
        while (assembler_.next(frame) == wire::FrameAssembler::Status::frame) {
            auto decoded = wire::decode_response(frame);
            REQUIRE(decoded);
            if (frame.header.stream == wire::event_stream_id) {
                REQUIRE(std::holds_alternative<wire::Event>(*decoded));
                events_.push_back(std::get<wire::Event>(*decoded));
            } else {
                responses_[frame.header.stream] = std::move(*decoded);
            }
        }
    }

    World& world_;
    net::StreamPtr stream_;
    bool closed_ = false;
    std::int16_t next_stream_ = 1;
    wire::FrameAssembler assembler_;
    std::map<std::int16_t, wire::Response> responses_;
    std::vector<wire::Event> events_;
};

// ---- reading rows ----

inline std::size_t column_index(const wire::RowsResult& rows, const std::string& name) {
    for (std::size_t i = 0; i < rows.metadata.columns.size(); ++i)
        if (rows.metadata.columns[i].name == name) return i;
    FAIL("no column " << name);
    return 0;
}

inline wire::CqlValue cell(const wire::RowsResult& rows, std::size_t row, const std::string& name) {
    const std::size_t i = column_index(rows, name);
    const auto& c = rows.rows.at(row).at(i);
    std::optional<std::span<const std::uint8_t>> bytes;
    if (c) bytes = std::span<const std::uint8_t>(*c);
    auto v = wire::decode_cell(rows.metadata.columns[i].type, bytes);
    REQUIRE(v);
    return *v;
}

inline std::string text(const wire::RowsResult& rows, std::size_t row, const std::string& name) {
    return std::get<std::string>(cell(rows, row, name).data);
}

inline std::vector<std::string> column_names(const wire::RowsResult& rows) {
    std::vector<std::string> out;
    for (const auto& c : rows.metadata.columns) out.push_back(c.name);
    return out;
}

inline std::string type_of(const wire::RowsResult& rows, const std::string& name) {
    return wire::type_name(rows.metadata.columns[column_index(rows, name)].type);
}

// Every cell decodes with the type its metadata announces (drivers decode by it).
inline void check_cells_decode(const wire::RowsResult& rows) {
    for (const auto& row : rows.rows) {
        REQUIRE(row.size() == rows.metadata.columns.size());
        for (std::size_t i = 0; i < row.size(); ++i) {
            std::optional<std::span<const std::uint8_t>> bytes;
            if (row[i]) bytes = std::span<const std::uint8_t>(*row[i]);
            auto v = wire::decode_cell(rows.metadata.columns[i].type, bytes);
            INFO("column " << rows.metadata.columns[i].name);
            CHECK(v);
        }
    }
}

inline wire::Value text_value(const std::string& s) { return wire::Value::of(wire::Bytes(s.begin(), s.end())); }
inline wire::Value list_of_text(const std::vector<std::string>& items) {
    wire::Bytes out;
    wire::ByteWriter w(out);
    w.i32(static_cast<std::int32_t>(items.size()));
    for (const auto& s : items) {
        w.i32(static_cast<std::int32_t>(s.size()));
        w.raw(s);
    }
    return wire::Value::of(std::move(out));
}

}  // namespace routelab::test
