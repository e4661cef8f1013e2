// One replica's table store: partitions found again after the slot table grows many
// times; cell-level last write wins with deletions; composite partition keys selected
// back column by column.
#include <catch2/catch.hpp>

#include "mock_cluster/storage/mutation.hpp"
#include "mock_cluster/storage/table_store.hpp"
#include "tests/cluster/cql_fixture.hpp"
#include "tests/cluster/store_helpers.hpp"
#include "tests/support/cql_bytes.hpp"

using namespace routelab;
using namespace routelab::test;

TEST_CASE("table store: thousands of partitions survive every growth of the slot table; absent keys stay absent") {
    cluster::TableStore store;
    for (int i = 0; i < 5000; ++i) store.apply("key-" + std::to_string(i), value_mutation("v" + std::to_string(i)), i);
    CHECK(store.partitions() == 5000);
    for (int i = 0; i < 5000; ++i) {
        cluster::RowSet rows;
        REQUIRE(store.read("key-" + std::to_string(i), {}, rows));
        CHECK(visible_value(&rows) == std::optional<std::string>("v" + std::to_string(i)));
    }
    cluster::RowSet none;
    CHECK_FALSE(store.read("key-5000", {}, none));
    CHECK(store.partition("nope") == nullptr);
}

TEST_CASE("table store: last write wins per cell; on a tie the deletion wins; deletions hide only older cells") {
    cluster::TableStore store;
    store.apply("k", value_mutation("old"), 10);
    store.apply("k", value_mutation("", true), 20);     // partition deletion
    cluster::RowSet after_delete;
    store.read("k", {}, after_delete);
    CHECK_FALSE(visible_value(&after_delete).has_value());
    store.apply("k", value_mutation("older"), 15);      // older than the deletion: hidden
    store.apply("k", value_mutation("tie"), 20);        // same timestamp: the deletion wins
    cluster::RowSet still;
    store.read("k", {}, still);
    CHECK_FALSE(visible_value(&still).has_value());
    store.apply("k", value_mutation("newer"), 30);
    cluster::RowSet back;
    store.read("k", {}, back);
    CHECK(visible_value(&back) == std::optional<std::string>("newer"));
}

TEST_CASE("composite partition keys: each key column is selected back with its own value") {
    World world;
    RawClient c{world, 0};
    c.startup();
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(
        c.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")));
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(c.query("CREATE TABLE ks.t (a bigint, b text, c int, v text, PRIMARY KEY ((a, b), c))")));
    REQUIRE_FALSE(std::holds_alternative<wire::Error>(c.query("INSERT INTO ks.t (a, b, c, v) VALUES (?, ?, ?, ?)",
        {wire::Value::of(bigint(-7)), wire::Value::of(text_bytes("bee")), wire::Value::of(int32(3)), wire::Value::of(text_bytes("x"))})));
    const auto rows = c.rows("SELECT b, a, c, v, token(a, b) FROM ks.t WHERE a = -7 AND b = 'bee'");
    REQUIRE(rows.rows.size() == 1);
    CHECK(text(rows, 0, "b") == "bee");
    CHECK(std::get<std::int64_t>(cell(rows, 0, "a").data) == -7);
    CHECK(std::get<std::int32_t>(cell(rows, 0, "c").data) == 3);
    CHECK(text(rows, 0, "v") == "x");
}
