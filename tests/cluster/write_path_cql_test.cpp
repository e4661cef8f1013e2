// The write path end to end through CQL on the four-node fixture (dc1: n1-n3, dc2: n4),
// keyspace dc1:3, dc2:1: single writes, BATCH entries and LWT commits at local levels
// reach dc2, and a datacenter stopped and started through the control surface gets the
// hints its absence left on dc1's coordinators.
#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {

struct TwoDcs {
    World world;
    RawClient client{world, 0};
    TwoDcs() {
        client.startup();
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(
            client.query("CREATE KEYSPACE nts WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3, 'dc2': 1}")));
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(client.query("CREATE TABLE nts.kv (k bigint PRIMARY KEY, v text)")));
    }
    wire::Response write(const std::string& cql, wire::Consistency cl,
                         std::optional<wire::Consistency> serial = std::nullopt) {
        wire::Query q;
        q.query = cql;
        q.parameters.consistency = cl;
        q.parameters.serial_consistency = serial;
        return client.request(q);
    }
    // What n4 (dc2's only replica) answers at LOCAL_ONE: its own copy.
    std::optional<std::string> value_in_dc2(RawClient& reader, int k) {
        wire::Query q;
        q.query = "SELECT v FROM nts.kv WHERE k = " + std::to_string(k);
        q.parameters.consistency = wire::Consistency::local_one;
        auto rows = RawClient::expect_rows(reader.request(q));
        if (rows.rows.empty()) return std::nullopt;
        return text(rows, 0, "v");
    }
};

bool failed(const wire::Response& r) { return std::holds_alternative<wire::Error>(r); }

}  // namespace

TEST_CASE("writes, BATCH entries and LWT commits at local levels in dc1 reach dc2", "[cluster][write-path]") {
    TwoDcs t;
    RawClient reader{t.world, 3};
    reader.startup();
    REQUIRE_FALSE(failed(t.write("INSERT INTO nts.kv (k, v) VALUES (1, 'single')", wire::Consistency::local_one)));
    wire::Batch b;
    b.type = wire::BatchType::logged;
    b.statements = {{std::string("INSERT INTO nts.kv (k, v) VALUES (2, 'batched')"), {}, {}}};
    b.consistency = wire::Consistency::local_quorum;
    REQUIRE_FALSE(failed(t.client.request(b)));
    REQUIRE_FALSE(failed(t.write("INSERT INTO nts.kv (k, v) VALUES (3, 'lwt') IF NOT EXISTS", wire::Consistency::local_quorum,
                                 wire::Consistency::local_serial)));
    CHECK(t.value_in_dc2(reader, 1) == std::optional<std::string>("single"));
    CHECK(t.value_in_dc2(reader, 2) == std::optional<std::string>("batched"));
    CHECK(t.value_in_dc2(reader, 3) == std::optional<std::string>("lwt"));
    CHECK(t.world.cluster.node_state(3).replica_ops >= 3);
}

TEST_CASE("a datacenter stopped and started again receives the hints of the writes it missed", "[cluster][write-path]") {
    TwoDcs t;
    t.world.cluster.stop_datacenter("dc2");
    REQUIRE_FALSE(failed(t.write("INSERT INTO nts.kv (k, v) VALUES (1, 'missed')", wire::Consistency::local_quorum)));
    CHECK(t.world.cluster.node_state(0).hints_stored == 1);
    CHECK(t.world.cluster.coordinator().hints().size() == 1);
    // EACH_QUORUM cannot be met while dc2 is away.
    CHECK(failed(t.write("INSERT INTO nts.kv (k, v) VALUES (2, 'each')", wire::Consistency::each_quorum)));

    t.world.cluster.start_datacenter("dc2");
    t.world.scheduler.run();
    CHECK(t.world.cluster.node_state(3).hints_replayed == 1);
    CHECK(t.world.cluster.coordinator().hints().size() == 0);
    RawClient reader{t.world, 3};
    reader.startup();
    CHECK(t.value_in_dc2(reader, 1) == std::optional<std::string>("missed"));
}
