// BATCH and DELETE in the mock cluster: statements given as text or prepared ids, one
// timestamp for all, Unprepared for an unknown id, only writes allowed, counter batches
// refused; a delete hides older values on every replica (newest wins, tombstones too).
#include <catch2/catch.hpp>

#include "tests/support/cql_bytes.hpp"

#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {


wire::Response batch(RawClient& client, wire::BatchType type, std::vector<wire::BatchStatement> statements,
                     wire::Consistency consistency = wire::Consistency::quorum) {
    wire::Batch b;
    b.type = type;
    b.statements = std::move(statements);
    b.consistency = consistency;
    return client.request(b);
}

bool is_void(const wire::Response& r) {
    const auto* result = std::get_if<wire::Result>(&r);
    return result != nullptr && std::holds_alternative<wire::VoidResult>(*result);
}

struct Keyspace {
    World world;
    RawClient client{world, 0};
    Keyspace() {
        client.startup();
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(
            client.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")));
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(client.query("CREATE TABLE ks.kv (k bigint PRIMARY KEY, v text)")));
    }
    std::optional<std::string> read(std::int64_t key) {
        const auto rows = RawClient::expect_rows(client.query("SELECT v FROM ks.kv WHERE k = ?", {wire::Value::of(bigint(key))}));
        if (rows.rows.empty()) return std::nullopt;
        return text(rows, 0, "v");
    }
};

}  // namespace

TEST_CASE("a logged batch of text and prepared statements applies every write") {
    Keyspace ks;
    const auto insert = ks.client.prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?)");
    auto r = batch(ks.client, wire::BatchType::logged,
                   {{insert.id, {wire::Value::of(bigint(1)), wire::Value::of(text_bytes("one"))}, {}},
                    {std::string("INSERT INTO ks.kv (k, v) VALUES (2, 'two')"), {}, {}},
                    {std::string("UPDATE ks.kv SET v = ? WHERE k = ?"), {wire::Value::of(text_bytes("three")), wire::Value::of(bigint(3))}, {}}});
    CHECK(is_void(r));
    CHECK(ks.read(1) == std::optional<std::string>("one"));
    CHECK(ks.read(2) == std::optional<std::string>("two"));
    CHECK(ks.read(3) == std::optional<std::string>("three"));

    SECTION("an unlogged batch with a delete: the delete hides the older value") {
        CHECK(is_void(batch(ks.client, wire::BatchType::unlogged,
                            {{std::string("DELETE FROM ks.kv WHERE k = 1"), {}, {}},
                             {std::string("INSERT INTO ks.kv (k, v) VALUES (4, 'four')"), {}, {}}})));
        CHECK_FALSE(ks.read(1).has_value());
        CHECK(ks.read(4) == std::optional<std::string>("four"));
    }
}

TEST_CASE("batch errors: unknown prepared id, non-writes, counters, bad values; nothing is applied") {
    Keyspace ks;
    SECTION("unknown prepared id: Unprepared naming it") {
        const wire::Bytes unknown(16, 0xab);
        auto e = RawClient::expect_error(batch(ks.client, wire::BatchType::logged,
                                               {{std::string("INSERT INTO ks.kv (k, v) VALUES (5, 'x')"), {}, {}}, {unknown, {}, {}}}));
        CHECK(e.code == wire::error_codes::unprepared);
        CHECK(std::get<wire::error_detail::Unprepared>(e.detail).id == unknown);
        CHECK_FALSE(ks.read(5).has_value());   // checked before anything was applied
    }
    SECTION("a SELECT inside a batch") {
        auto e = RawClient::expect_error(batch(ks.client, wire::BatchType::logged, {{std::string("SELECT * FROM ks.kv WHERE k = 1"), {}, {}}}));
        CHECK(e.code == wire::error_codes::invalid);
        CHECK_THAT(e.message, Catch::Contains("Only INSERT, UPDATE and DELETE"));
    }
    SECTION("a counter batch") {
        auto e = RawClient::expect_error(batch(ks.client, wire::BatchType::counter, {{std::string("INSERT INTO ks.kv (k, v) VALUES (6, 'x')"), {}, {}}}));
        CHECK(e.code == wire::error_codes::invalid);
        CHECK_THAT(e.message, Catch::Contains("COUNTER"));
    }
    SECTION("a wrong number of values") {
        auto e = RawClient::expect_error(batch(ks.client, wire::BatchType::logged,
                                               {{std::string("INSERT INTO ks.kv (k, v) VALUES (7, 'x')"), {}, {}},
                                                {std::string("INSERT INTO ks.kv (k, v) VALUES (?, ?)"), {wire::Value::of(bigint(8))}, {}}}));
        CHECK(e.code == wire::error_codes::invalid);
        CHECK_FALSE(ks.read(7).has_value());
    }
    SECTION("too few replicas for the batch's consistency: Unavailable") {
        ks.world.cluster.stop_node(1);
        ks.world.cluster.stop_node(2);
        ks.world.cluster.stop_node(3);
        auto e = RawClient::expect_error(batch(ks.client, wire::BatchType::logged,
                                               {{std::string("INSERT INTO ks.kv (k, v) VALUES (9, 'x')"), {}, {}}}, wire::Consistency::all));
        CHECK(e.code == wire::error_codes::unavailable);
    }
}

TEST_CASE("EACH_QUORUM needs a quorum in every datacenter, not one global quorum") {
    World world;
    RawClient client{world, 0};
    client.startup();
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(
        client.query("CREATE KEYSPACE nts WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 1}")));
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(client.query("CREATE TABLE nts.kv (k bigint PRIMARY KEY, v text)")));
    auto write = [&](wire::Consistency cl) {
        wire::Query q;
        q.query = "INSERT INTO nts.kv (k, v) VALUES (1, 'x')";
        q.parameters.consistency = cl;
        return client.request(q);
    };
    CHECK(is_void(write(wire::Consistency::each_quorum)));
    // dc2 loses its only replica: 3 of 4 replicas live is a global QUORUM (3), but dc2 has
    // no quorum, so EACH_QUORUM is Unavailable with dc2's numbers.
    world.cluster.stop_node(3);
    CHECK(is_void(write(wire::Consistency::quorum)));
    const auto e = RawClient::expect_error(write(wire::Consistency::each_quorum));
    CHECK(e.code == wire::error_codes::unavailable);
    const auto& detail = std::get<wire::error_detail::Unavailable>(e.detail);
    CHECK(detail.required == 1);
    CHECK(detail.alive == 0);
    // dc2 back, one dc1 node down: 2 of 3 in dc1 and 1 of 1 in dc2 is enough.
    world.cluster.start_node(3);
    world.cluster.stop_node(1);
    CHECK(is_void(write(wire::Consistency::each_quorum)));
}
