// Live mode in one process: the LiveScheduler keeps the (time, seq) contract on the wall
// clock; the AsioNetwork keeps the Stream contract over real loopback TCP (order, close,
// refused connects, paused readers); and our own driver Session connects to the mock
// cluster served on 127.0.0.{1,2,3}:9042, prepares, writes and reads back what it wrote.
// Method: drive the io_context with LiveScheduler::run_until and a wall-time bound.
#include <catch2/catch.hpp>

#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "driver/policy/round_robin.hpp"
#include "driver/session/session.hpp"
#include "mock_cluster/cluster.hpp"
#include "sim/live/asio_network.hpp"
#include "sim/live/live_scheduler.hpp"

using namespace routelab;
using namespace routelab::sim::literals;

namespace {

std::span<const std::uint8_t> as_bytes(const std::string& text) {
    return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

// An address nobody else in the test suite uses.
constexpr std::uint32_t test_ip = net::ipv4(127, 3, 0, 1);

// Another test run on this machine (CTest's RUN_SERIAL only orders one run) may be serving
// on 127.0.0.x:9042 right now: wait until every address can be bound, up to `limit`.
bool wait_until_bindable(live::LiveScheduler& scheduler, live::AsioNetwork& network, const std::vector<net::Endpoint>& endpoints,
                         sim::Duration limit) {
    const sim::Time end = scheduler.now() + limit;
    for (;;) {
        bool all = true;
        for (const auto& at : endpoints) {
            if (!network.listen(at, [](net::StreamPtr) {})) {
                all = false;
                break;
            }
            network.unlisten(at);
        }
        if (all) return true;
        if (scheduler.now() >= end) return false;
        WARN("waiting for another run to free 127.0.0.x:9042: " << network.last_listen_error());
        scheduler.run_until([] { return false; }, 500_ms);
    }
}

}  // namespace

TEST_CASE("live scheduler runs events in (time, seq) order and cancels exactly one") {
    boost::asio::io_context io;
    live::LiveScheduler scheduler(io);
    std::vector<int> order;
    const sim::Time base = scheduler.now() + 20_ms;
    // Equal deadlines run in insertion order; earlier deadlines first, whatever the order
    // they were scheduled in.
    for (int i = 0; i < 10; ++i) scheduler.at(base, [&order, i] { order.push_back(i); });
    scheduler.at(base - 10_ms, [&order] { order.push_back(-1); });
    const sim::EventId cancelled = scheduler.at(base, [&order] { order.push_back(99); });
    scheduler.at(base + 5_ms, [&order] { order.push_back(100); });
    CHECK(scheduler.cancel(cancelled));
    CHECK_FALSE(scheduler.cancel(cancelled));
    // A time in the past runs at the next firing, after what is already due.
    scheduler.at(sim::Time::zero(), [&order] { order.push_back(-2); });
    REQUIRE(scheduler.run_until([&] { return order.size() == 13; }, 2_s));
    const std::vector<int> expected{-2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 100};
    CHECK(order == expected);
    CHECK(scheduler.pending() == 0);
    CHECK(scheduler.now() >= base + 5_ms);

    // Re-arming to an earlier deadline, and events scheduled from events (the gap is wide
    // so a slow machine does not make the zero-delay event due after the late one).
    std::vector<int> nested;
    scheduler.after(400_ms, [&] { nested.push_back(2); });
    scheduler.after(5_ms, [&] {
        nested.push_back(1);
        scheduler.after(0_ms, [&] { nested.push_back(11); });
    });
    REQUIRE(scheduler.run_until([&] { return nested.size() == 3; }, 3_s));
    CHECK(nested == std::vector<int>{1, 11, 2});
}

TEST_CASE("asio network: in-order bytes, close after data, refused connects") {
    boost::asio::io_context io;
    live::LiveScheduler scheduler(io);
    live::AsioNetwork network(io);
    const net::Endpoint server{test_ip, 19501};

    net::StreamPtr accepted;
    std::string received;
    bool server_saw_close = false;
    net::CloseReason server_close_reason{};
    REQUIRE(network.listen(server, [&](net::StreamPtr s) {
        accepted = std::move(s);
        accepted->on_data([&](std::span<const std::uint8_t> bytes) { received.append(bytes.begin(), bytes.end()); });
        accepted->on_close([&](net::CloseReason r) {
            server_saw_close = true;
            server_close_reason = r;
        });
    }));
    CHECK_FALSE(network.listen(server, [](net::StreamPtr) {}));  // taken

    net::StreamPtr client;
    bool connect_done = false;
    network.connect({net::ipv4(127, 3, 0, 2), 0}, server, [&](net::StreamPtr s, net::CloseReason) {
        connect_done = true;
        client = std::move(s);
    });
    REQUIRE(scheduler.run_until([&] { return connect_done && accepted != nullptr; }, 5_s));
    REQUIRE(client);
    CHECK(client->open());
    CHECK(client->local().ip == net::ipv4(127, 3, 0, 2));
    CHECK(client->remote() == server);
    CHECK(accepted->remote() == client->local());

    // Many writes, one stream of bytes in order; then close: the peer gets every byte,
    // then peer_close.
    std::string sent;
    for (int i = 0; i < 2000; ++i) {
        const std::string piece = "chunk-" + std::to_string(i) + ";";
        sent += piece;
        client->write(as_bytes(piece));
    }
    client->close();
    CHECK_FALSE(client->open());
    REQUIRE(scheduler.run_until([&] { return server_saw_close; }, 5_s));
    CHECK(received == sent);
    CHECK(server_close_reason == net::CloseReason::peer_close);
    CHECK_FALSE(accepted->open());

    // Nobody listens: refused.
    network.unlisten(server);
    bool refused_done = false;
    net::CloseReason refused_reason{};
    network.connect({test_ip, 0}, server, [&](net::StreamPtr s, net::CloseReason r) {
        refused_done = true;
        refused_reason = r;
        CHECK(s == nullptr);
    });
    REQUIRE(scheduler.run_until([&] { return refused_done; }, 5_s));
    CHECK(refused_reason == net::CloseReason::refused);
}

TEST_CASE("asio network: a paused reader keeps its bytes; the server's close reaches the client") {
    boost::asio::io_context io;
    live::LiveScheduler scheduler(io);
    live::AsioNetwork network(io);
    const net::Endpoint server{test_ip, 19502};
    net::StreamPtr accepted;
    REQUIRE(network.listen(server, [&](net::StreamPtr s) { accepted = std::move(s); }));  // no reader yet
    net::StreamPtr client;
    network.connect({test_ip, 0}, server, [&](net::StreamPtr s, net::CloseReason) { client = std::move(s); });
    REQUIRE(scheduler.run_until([&] { return client && accepted; }, 5_s));

    std::string got;
    int client_closes = 0;
    client->on_data([&](std::span<const std::uint8_t> b) { got.append(b.begin(), b.end()); });
    client->on_close([&](net::CloseReason r) {
        ++client_closes;
        CHECK(r == net::CloseReason::peer_close);
    });
    client->write(as_bytes("hello"));
    // The server reads only once it installs a handler; it answers and closes at once —
    // the answer still arrives before the close.
    bool installed = false;
    scheduler.after(20_ms, [&] {
        installed = true;
        accepted->on_data([&](std::span<const std::uint8_t> b) {
            CHECK(std::string(b.begin(), b.end()) == "hello");
            accepted->write(as_bytes("world"));
            accepted->close();
            accepted.reset();   // destroying the stream inside its own handler is allowed
        });
    });
    REQUIRE(scheduler.run_until([&] { return client_closes == 1; }, 5_s));
    CHECK(installed);
    CHECK(got == "world");
    // Nothing runs after the close handler.
    scheduler.run_until([] { return false; }, 50_ms);
    CHECK(client_closes == 1);
}

TEST_CASE("asio network: a reader that pauses itself loses no bytes") {
    boost::asio::io_context io;
    live::LiveScheduler scheduler(io);
    live::AsioNetwork network(io);
    const net::Endpoint server{test_ip, 19503};
    net::StreamPtr accepted;
    REQUIRE(network.listen(server, [&](net::StreamPtr s) { accepted = std::move(s); }));
    net::StreamPtr client;
    network.connect({test_ip, 0}, server, [&](net::StreamPtr s, net::CloseReason) { client = std::move(s); });
    REQUIRE(scheduler.run_until([&] { return client && accepted; }, 5_s));

    std::string got;
    int calls = 0;
    net::Stream::DataHandler reader = [&](std::span<const std::uint8_t> b) {
        ++calls;
        got.append(b.begin(), b.end());
        client->on_data(nullptr);   // pause from inside the handler
    };
    client->on_data(reader);
    std::string sent;
    for (int i = 0; i < 500; ++i) {
        const std::string piece = std::to_string(i) + ",";
        sent += piece;
        accepted->write(as_bytes(piece));
    }
    // Resume a few times; everything arrives, in order, however the reads were split.
    REQUIRE(scheduler.run_until([&] { return calls == 1; }, 5_s));
    for (int round = 0; round < 1000 && got.size() < sent.size(); ++round) {
        scheduler.run_until([] { return false; }, 2_ms);   // bytes pile up while paused
        const int before = calls;
        client->on_data(reader);
        REQUIRE(scheduler.run_until([&] { return calls > before; }, 5_s));
    }
    CHECK(got == sent);
}

TEST_CASE("asio network: a send queue past its bound resets the stream, from a completion") {
    boost::asio::io_context io;
    live::LiveScheduler scheduler(io);
    live::AsioNetwork network(io);
    const net::Endpoint server{test_ip, 19504};
    net::StreamPtr accepted;   // never reads
    REQUIRE(network.listen(server, [&](net::StreamPtr s) { accepted = std::move(s); }));
    net::StreamPtr client;
    network.connect({test_ip, 0}, server, [&](net::StreamPtr s, net::CloseReason) { client = std::move(s); });
    REQUIRE(scheduler.run_until([&] { return client && accepted; }, 5_s));
    std::optional<net::CloseReason> closed;
    client->on_close([&](net::CloseReason r) { closed = r; });
    const std::vector<std::uint8_t> megabyte(1024 * 1024, 0x42);
    for (int i = 0; i < 70 && client->open(); ++i) client->write(megabyte);
    CHECK_FALSE(client->open());
    CHECK_FALSE(closed.has_value());   // not from inside write()
    REQUIRE(scheduler.run_until([&] { return closed.has_value(); }, 5_s));
    CHECK(*closed == net::CloseReason::reset);
}

TEST_CASE("our driver session against the live mock cluster on 127.0.0.x:9042") {
    boost::asio::io_context io;
    live::LiveScheduler scheduler(io);
    live::AsioNetwork network(io);
    sim::Rng rng(7);
    sim::Trace trace;
    net::LinkModel links(net::LinkLatencies{});
    cluster::ClusterConfig config;
    config.nodes = {{"a", "dc1", "r1", {}}, {"b", "dc1", "r2", {}}, {"c", "dc1", "r3", {}}};
    config.vnodes = 8;
    config.shards = 2;
    for (std::size_t i = 0; i < config.nodes.size(); ++i) links.place(cluster::node_address(i), {"dc1", config.nodes[i].rack});
    REQUIRE(wait_until_bindable(scheduler, network,
                                {{cluster::node_address(0), 9042}, {cluster::node_address(1), 9042}, {cluster::node_address(2), 9042}},
                                30_s));
    cluster::Cluster cluster(cluster::ClusterEnv{scheduler, rng, trace, network, links}, config, cluster::ServiceConfig{});
    cluster.create_keyspace("ks", cluster::ReplicationStrategy::simple(3));
    cluster::TableDef table;
    table.keyspace = "ks";
    table.name = "kv";
    table.columns = {{"k", cql::ColumnType::of(cql::TypeId::bigint)}, {"v", cql::ColumnType::of(cql::TypeId::blob)}};
    cluster.create_table(table);
    cluster.start();

    driver::SessionConfig session_config;
    session_config.contact_points.push_back(cluster.cql_endpoint(0));
    session_config.policy = std::make_unique<driver::RoundRobinPolicy>();
    session_config.request_timeout = 2_s;
    driver::Session session(driver::Env{scheduler, network, trace, rng.stream("driver"), net::ipv4(127, 1, 0, 1)},
                            std::move(session_config));

    std::optional<bool> connected;
    session.connect([&](bool ok) { connected = ok; });
    REQUIRE(scheduler.run_until([&] { return connected.has_value(); }, 10_s));
    INFO(session.last_error());
    REQUIRE(*connected);
    CHECK(session.cluster().nodes.size() == 3);

    driver::PreparedPtr insert, select;
    std::string prepare_error;
    session.prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?)", [&](driver::PreparedPtr p, const cql::Error* e) {
        insert = p;
        if (e) prepare_error = e->message;
    });
    session.prepare("SELECT v FROM ks.kv WHERE k = ?", [&](driver::PreparedPtr p, const cql::Error* e) {
        select = p;
        if (e) prepare_error = e->message;
    });
    REQUIRE(scheduler.run_until([&] { return (insert && select) || !prepare_error.empty(); }, 10_s));
    INFO(prepare_error);
    REQUIRE(insert);
    REQUIRE(select);

    auto key_of = [](std::int64_t key) {
        cql::Bytes k(8);
        for (int i = 0; i < 8; ++i) k[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(key) >> (56 - 8 * i));
        return k;
    };
    constexpr int keys = 200;
    int written = 0, write_errors = 0;
    for (int i = 0; i < keys; ++i) {
        const std::vector<cql::Value> values{cql::Value::of(key_of(i)), cql::Value::of({static_cast<std::uint8_t>(i), 0xab})};
        session.execute(insert, values, cql::Consistency::quorum, [&](const driver::RequestResult& r) {
            if (r.outcome == driver::RequestOutcome::ok) ++written;
            else ++write_errors;
        });
    }
    REQUIRE(scheduler.run_until([&] { return written + write_errors == keys; }, 10_s));
    CHECK(write_errors == 0);

    int read_ok = 0, read_bad = 0;
    for (int i = 0; i < keys; ++i) {
        const std::vector<cql::Value> values{cql::Value::of(key_of(i))};
        session.execute(select, values, cql::Consistency::quorum, [&read_ok, &read_bad, i](const driver::RequestResult& r) {
            bool good = r.outcome == driver::RequestOutcome::ok && r.response != nullptr &&
                        r.response->kind == cql::ResponseView::Kind::rows && r.response->rows.row_count() == 1;
            if (good) {
                auto cells = r.response->rows.cells();
                const cql::CellView v = cells.next();
                good = v.has_value() && v->size() == 2 && (*v)[0] == static_cast<std::uint8_t>(i) && (*v)[1] == 0xab;
            }
            if (good) ++read_ok;
            else ++read_bad;
        });
    }
    REQUIRE(scheduler.run_until([&] { return read_ok + read_bad == keys; }, 10_s));
    CHECK(read_bad == 0);
    // Round robin over three live nodes: each coordinated some of the requests.
    for (std::size_t i = 0; i < 3; ++i) CHECK(cluster.node_state(i).coordinated > 0);
}
