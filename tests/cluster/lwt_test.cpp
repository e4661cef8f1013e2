// Lightweight transactions in the mock cluster: IF NOT EXISTS, IF EXISTS and IF col = v
// with the [applied] column and the values that decided it; serial reads; the levels
// allowed; the ScyllaDB LWT mark in PREPARE; Paxos round trips and per-partition turns.
#include <catch2/catch.hpp>

#include "driver/protocol/scylla_supported.hpp"
#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {

bool applied(const wire::RowsResult& rows) {
    REQUIRE(rows.rows.size() == 1);
    REQUIRE(rows.metadata.columns.at(0).name == "[applied]");
    return std::get<bool>(cell(rows, 0, "[applied]").data);
}

struct Lwt {
    World world;
    RawClient client{world, 0};
    Lwt() {
        client.startup();
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(
            client.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")));
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(client.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text, n int)")));
    }
    wire::Response send(const std::string& text, wire::Consistency cl = wire::Consistency::quorum,
                        std::optional<wire::Consistency> serial = std::nullopt) {
        wire::Query q;
        q.query = text;
        q.parameters.consistency = cl;
        q.parameters.serial_consistency = serial;
        return client.request(q);
    }
    wire::RowsResult rows(const std::string& text) { return RawClient::expect_rows(send(text)); }
};

}  // namespace

TEST_CASE("INSERT IF NOT EXISTS applies once; the loser sees the existing row") {
    Lwt t;
    auto first = t.rows("INSERT INTO ks.t (k, v, n) VALUES (1, 'first', 10) IF NOT EXISTS");
    CHECK(applied(first));
    CHECK(column_names(first) == std::vector<std::string>{"[applied]"});
    auto second = t.rows("INSERT INTO ks.t (k, v, n) VALUES (1, 'second', 20) IF NOT EXISTS");
    CHECK_FALSE(applied(second));
    CHECK(column_names(second) == std::vector<std::string>{"[applied]", "k", "n", "v"});
    CHECK(text(second, 0, "v") == "first");
    CHECK(text(t.client.rows("SELECT v FROM ks.t WHERE k = 1"), 0, "v") == "first");
}

TEST_CASE("UPDATE IF col = v compares, applies or answers the current values; IF EXISTS needs the row") {
    Lwt t;
    CHECK_FALSE(applied(t.rows("UPDATE ks.t SET v = 'x' WHERE k = 2 IF EXISTS")));
    CHECK(t.client.rows("SELECT v FROM ks.t WHERE k = 2").rows.empty());
    t.rows("INSERT INTO ks.t (k, v, n) VALUES (2, 'a', 1) IF NOT EXISTS");
    CHECK(applied(t.rows("UPDATE ks.t SET v = 'b' WHERE k = 2 IF v = 'a'")));
    auto lost = t.rows("UPDATE ks.t SET v = 'c' WHERE k = 2 IF v = 'a' AND n = 1");
    CHECK_FALSE(applied(lost));
    CHECK(column_names(lost) == std::vector<std::string>{"[applied]", "v", "n"});
    CHECK(text(lost, 0, "v") == "b");
    CHECK(applied(t.rows("UPDATE ks.t SET n = 2 WHERE k = 2 IF EXISTS")));
    CHECK(applied(t.rows("UPDATE ks.t SET v = 'z' WHERE k = 3 IF v = null")));   // no row: every cell is null
    CHECK(applied(t.rows("DELETE FROM ks.t WHERE k = 2 IF n = 2")));
    CHECK(t.client.rows("SELECT v FROM ks.t WHERE k = 2").rows.empty());
}

TEST_CASE("serial levels: SERIAL/LOCAL_SERIAL for Paxos, not for the commit; serial reads see committed LWTs") {
    Lwt t;
    CHECK_THAT(RawClient::expect_error(t.send("INSERT INTO ks.t (k, v) VALUES (4, 'a') IF NOT EXISTS", wire::Consistency::serial)).message,
               Catch::Contains("not supported as conditional update commit consistency"));
    CHECK_THAT(RawClient::expect_error(t.send("INSERT INTO ks.t (k, v) VALUES (4, 'a') IF NOT EXISTS", wire::Consistency::one,
                                              wire::Consistency::quorum)).message,
               Catch::Contains("Must be one of SERIAL or LOCAL_SERIAL"));
    CHECK(applied(RawClient::expect_rows(t.send("INSERT INTO ks.t (k, v) VALUES (4, 'a') IF NOT EXISTS", wire::Consistency::one,
                                                wire::Consistency::local_serial))));
    auto serial = RawClient::expect_rows(t.send("SELECT v FROM ks.t WHERE k = 4", wire::Consistency::serial));
    CHECK(text(serial, 0, "v") == "a");
    // Too few replicas for the serial quorum: Unavailable naming SERIAL.
    t.world.cluster.stop_node(1);
    t.world.cluster.stop_node(2);
    t.world.cluster.stop_node(3);
    auto e = RawClient::expect_error(t.send("UPDATE ks.t SET v = 'b' WHERE k = 4 IF v = 'a'"));
    CHECK(e.code == wire::error_codes::unavailable);
    CHECK_THAT(e.message, Catch::Contains("SERIAL"));
}

TEST_CASE("an LWT takes four replica round trips (two when not applied); concurrent LWTs on one partition take turns") {
    Lwt t;
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(t.send("INSERT INTO ks.t (k, v, n) VALUES (5, 'a', 0)")));
    auto replica_ops = [&] {
        std::uint64_t total = 0;
        for (std::size_t i = 0; i < 4; ++i) total += t.world.cluster.node_state(i).replica_ops;
        return total;
    };
    // A plain write: one message to each of the 3 replicas.
    auto before = replica_ops();
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(t.send("UPDATE ks.t SET n = 1 WHERE k = 5")));
    CHECK(replica_ops() - before == 3);
    // An LWT: prepare (3) + read at QUORUM (2) + propose (3) + commit (3).
    before = replica_ops();
    CHECK(applied(t.rows("UPDATE ks.t SET n = 2 WHERE k = 5 IF n = 1")));
    CHECK(replica_ops() - before == 11);
    // Not applied: prepare + read only.
    before = replica_ops();
    CHECK_FALSE(applied(t.rows("UPDATE ks.t SET n = 3 WHERE k = 5 IF n = 1")));
    CHECK(replica_ops() - before == 5);

    // Ten clients race to bump n from 2: exactly one wins each value, in turn.
    std::vector<std::unique_ptr<RawClient>> racers;
    for (int i = 0; i < 10; ++i) {
        racers.push_back(std::make_unique<RawClient>(t.world, static_cast<std::size_t>(i % 4)));
        racers.back()->startup();
    }
    std::vector<std::vector<std::uint8_t>> frames;
    for (int i = 0; i < 10; ++i) {
        wire::Query q;
        q.query = "UPDATE ks.t SET v = 'r" + std::to_string(i) + "' WHERE k = 5 IF v = 'a'";
        q.parameters.consistency = wire::Consistency::quorum;
        frames.emplace_back();
        wire::encode_request(frames.back(), 100, q, 4);
    }
    // Send all at once, then run: the partition lock serialises them.
    int wins = 0;
    for (int i = 0; i < 10; ++i) racers[static_cast<std::size_t>(i)]->send_raw(frames[static_cast<std::size_t>(i)]);
    t.world.scheduler.run();
    for (auto& r : racers)
        if (applied(RawClient::expect_rows(r->take(100)))) ++wins;
    CHECK(wins == 1);
}

TEST_CASE("PREPARE marks conditional statements when SCYLLA_LWT_ADD_METADATA_MARK was negotiated") {
    World world;
    RawClient plain{world, 0};
    plain.startup();
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(
        plain.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")));
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(plain.query("CREATE TABLE ks.t (k int PRIMARY KEY, v text)")));
    auto supported = plain.request(wire::Options{});
    const auto& options = std::get<wire::Supported>(supported).options;
    REQUIRE(options.count(wire::scylla_keys::lwt_add_metadata_mark) == 1);
    CHECK_FALSE(plain.prepare("INSERT INTO ks.t (k, v) VALUES (?, ?) IF NOT EXISTS").metadata.lwt);

    RawClient marked{world, 1};
    auto ready = marked.request(wire::Startup{{{"CQL_VERSION", "3.0.0"},
                                               {wire::scylla_keys::lwt_add_metadata_mark, "LWT_OPTIMIZATION_META_BIT_MASK=2147483648"}}});
    REQUIRE(std::holds_alternative<wire::Ready>(ready));
    const auto lwt = marked.prepare("INSERT INTO ks.t (k, v) VALUES (?, ?) IF NOT EXISTS");
    CHECK(lwt.metadata.lwt);
    CHECK(lwt.result_metadata.no_metadata);   // rows vary: drivers must not skip metadata
    CHECK_FALSE(marked.prepare("INSERT INTO ks.t (k, v) VALUES (?, ?)").metadata.lwt);
    CHECK(marked.prepare("UPDATE ks.t SET v = ? WHERE k = ? IF v = ?").metadata.lwt);
}
