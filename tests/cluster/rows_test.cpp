// Clustering rows in the mock cluster: rows sorted by their clustering columns (ASC and
// DESC, by each type's order), slices with < <= > >=, ORDER BY, LIMIT, paging with a
// paging state, UPDATE touching only its columns, deletions of a row, of a clustering
// prefix and of a partition.
#include <catch2/catch.hpp>

#include "tests/support/cql_bytes.hpp"

#include "tests/cluster/cql_fixture.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {

wire::Value int_value(std::int32_t v) { return wire::Value::of(int32(v)); }

std::int32_t int_at(const wire::RowsResult& rows, std::size_t row, const std::string& column) {
    return std::get<std::int32_t>(cell(rows, row, column).data);
}
std::vector<std::int32_t> ints(const wire::RowsResult& rows, const std::string& column) {
    std::vector<std::int32_t> out;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) out.push_back(int_at(rows, i, column));
    return out;
}

struct Table {
    World world;
    RawClient client{world, 0};
    explicit Table(const std::string& create) {
        client.startup();
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(
            client.query("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3}")));
        REQUIRE_FALSE(std::holds_alternative<wire::Error>(client.query(create)));
    }
    void ok(const std::string& text, std::vector<wire::Value> values = {}) {
        auto r = client.query(text, std::move(values));
        if (auto* e = std::get_if<wire::Error>(&r)) FAIL(text << " -> " << e->message);
    }
    wire::RowsResult page(const std::string& text, std::vector<wire::Value> values, std::int32_t page_size,
                          std::optional<wire::Bytes> paging_state = std::nullopt) {
        wire::Query q;
        q.query = text;
        q.parameters.values = std::move(values);
        q.parameters.page_size = page_size;
        q.parameters.paging_state = std::move(paging_state);
        return RawClient::expect_rows(client.request(q));
    }
};

}  // namespace

TEST_CASE("rows of a partition come back in clustering order, ASC or DESC, whatever order they were written in") {
    Table asc("CREATE TABLE ks.t (p int, c int, v text, PRIMARY KEY (p, c))");
    for (int c : {5, -3, 12, 0, -100, 7}) asc.ok("INSERT INTO ks.t (p, c, v) VALUES (1, ?, 'x')", {int_value(c)});
    asc.ok("INSERT INTO ks.t (p, c, v) VALUES (2, 1, 'other partition')");
    CHECK(ints(asc.client.rows("SELECT c FROM ks.t WHERE p = 1"), "c") == std::vector<std::int32_t>{-100, -3, 0, 5, 7, 12});

    Table desc("CREATE TABLE ks.t (p int, c int, v text, PRIMARY KEY (p, c)) WITH CLUSTERING ORDER BY (c DESC)");
    for (int c : {5, -3, 12, 0}) desc.ok("INSERT INTO ks.t (p, c, v) VALUES (1, ?, 'x')", {int_value(c)});
    CHECK(ints(desc.client.rows("SELECT c FROM ks.t WHERE p = 1"), "c") == std::vector<std::int32_t>{12, 5, 0, -3});
    CHECK(ints(desc.client.rows("SELECT c FROM ks.t WHERE p = 1 ORDER BY c ASC"), "c") == std::vector<std::int32_t>{-3, 0, 5, 12});
}

TEST_CASE("text clustering columns sort by bytes, shorter prefixes first") {
    Table t("CREATE TABLE ks.t (p int, c text, PRIMARY KEY (p, c))");
    for (std::string c : {"b", "ab", "a", "", "abc", "B"}) t.ok("INSERT INTO ks.t (p, c) VALUES (1, '" + c + "')");
    const auto rows = t.client.rows("SELECT c FROM ks.t WHERE p = 1");
    std::vector<std::string> got;
    for (std::size_t i = 0; i < rows.rows.size(); ++i) got.push_back(text(rows, i, "c"));
    CHECK(got == std::vector<std::string>{"", "B", "a", "ab", "abc", "b"});
}

TEST_CASE("slices: < <= > >= on the clustering column after an = prefix, on ASC and DESC columns") {
    Table t("CREATE TABLE ks.t (p int, a int, b int, v int, PRIMARY KEY (p, a, b)) WITH CLUSTERING ORDER BY (a ASC, b DESC)");
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 4; ++b) t.ok("INSERT INTO ks.t (p, a, b, v) VALUES (0, ?, ?, ?)", {int_value(a), int_value(b), int_value(a * 10 + b)});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 AND a = 1"), "v") == std::vector<std::int32_t>{13, 12, 11, 10});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 AND a = 1 AND b > 1"), "v") == std::vector<std::int32_t>{13, 12});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 AND a = 1 AND b >= 1 AND b < 3"), "v") == std::vector<std::int32_t>{12, 11});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 AND a >= 1"), "v") == std::vector<std::int32_t>{13, 12, 11, 10, 23, 22, 21, 20});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 AND a < 1"), "v") == std::vector<std::int32_t>{3, 2, 1, 0});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 AND a > 0 AND a <= 1 ORDER BY a DESC"), "v") ==
          std::vector<std::int32_t>{10, 11, 12, 13});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 AND a = 2 AND b = 3"), "v") == std::vector<std::int32_t>{23});
    CHECK(ints(t.client.rows("SELECT v FROM ks.t WHERE p = 0 LIMIT 3"), "v") == std::vector<std::int32_t>{3, 2, 1});

    auto error = [&](const std::string& text) { return RawClient::expect_error(t.client.query(text)).message; };
    CHECK_THAT(error("SELECT v FROM ks.t WHERE p = 0 AND b = 1"), Catch::Contains("preceding column \"a\" is not restricted"));
    CHECK_THAT(error("SELECT v FROM ks.t WHERE p = 0 AND a > 1 AND b = 1"), Catch::Contains("cannot be restricted"));
    CHECK_THAT(error("SELECT v FROM ks.t WHERE p > 0"), Catch::Contains("Only EQ and IN relation are supported on the partition key"));
    CHECK_THAT(error("SELECT v FROM ks.t WHERE p = 0 ORDER BY b"), Catch::Contains("Order by"));
}

TEST_CASE("paging: a partition read page by page with the paging state, LIMIT honoured across pages") {
    Table t("CREATE TABLE ks.t (p int, c int, v int, PRIMARY KEY (p, c))");
    for (int c = 0; c < 25; ++c) t.ok("INSERT INTO ks.t (p, c, v) VALUES (7, ?, ?)", {int_value(c), int_value(c * c)});
    const std::string select = "SELECT c FROM ks.t WHERE p = ?";
    std::vector<std::int32_t> all;
    std::optional<wire::Bytes> state;
    int pages = 0;
    do {
        auto page = t.page(select, {int_value(7)}, 10, state);
        ++pages;
        CHECK(page.rows.size() <= 10);
        for (auto c : ints(page, "c")) all.push_back(c);
        state = page.metadata.paging_state;
    } while (state);
    CHECK(pages == 3);
    REQUIRE(all.size() == 25);
    for (int c = 0; c < 25; ++c) CHECK(all[static_cast<std::size_t>(c)] == c);

    // Exactly a page's worth left: the last full page still says "more", the next is empty.
    auto first = t.page("SELECT c FROM ks.t WHERE p = 7 LIMIT 12", {}, 5);
    auto second = t.page("SELECT c FROM ks.t WHERE p = 7 LIMIT 12", {}, 5, first.metadata.paging_state);
    auto third = t.page("SELECT c FROM ks.t WHERE p = 7 LIMIT 12", {}, 5, second.metadata.paging_state);
    CHECK(ints(third, "c") == std::vector<std::int32_t>{10, 11});
    CHECK_FALSE(third.metadata.paging_state);

    // Reversed pages continue downwards.
    auto down = t.page("SELECT c FROM ks.t WHERE p = 7 ORDER BY c DESC", {}, 4);
    auto down2 = t.page("SELECT c FROM ks.t WHERE p = 7 ORDER BY c DESC", {}, 4, down.metadata.paging_state);
    CHECK(ints(down2, "c") == std::vector<std::int32_t>{20, 19, 18, 17});

    // A paging state from another partition, or garbage, is refused.
    t.ok("INSERT INTO ks.t (p, c, v) VALUES (8, 0, 0)");
    wire::Query other;
    other.query = "SELECT c FROM ks.t WHERE p = 8";
    other.parameters.page_size = 4;
    other.parameters.paging_state = down.metadata.paging_state;
    CHECK_THAT(RawClient::expect_error(t.client.request(other)).message, Catch::Contains("paging state"));
    other.parameters.paging_state = wire::Bytes{1, 2, 3};
    CHECK(RawClient::expect_error(t.client.request(other)).code == wire::error_codes::protocol_error);
}

TEST_CASE("UPDATE writes only its columns; INSERT's row marker keeps a row with only null cells") {
    Table t("CREATE TABLE ks.t (p int, c int, a int, b int, PRIMARY KEY (p, c))");
    t.ok("INSERT INTO ks.t (p, c, a, b) VALUES (1, 1, 10, 20)");
    t.ok("UPDATE ks.t SET a = 11 WHERE p = 1 AND c = 1");
    auto rows = t.client.rows("SELECT a, b FROM ks.t WHERE p = 1 AND c = 1");
    CHECK(int_at(rows, 0, "a") == 11);
    CHECK(int_at(rows, 0, "b") == 20);
    // UPDATE with every cell null leaves no row (no marker); INSERT does.
    t.ok("UPDATE ks.t SET a = null WHERE p = 1 AND c = 2");
    CHECK(t.client.rows("SELECT a FROM ks.t WHERE p = 1 AND c = 2").rows.empty());
    t.ok("INSERT INTO ks.t (p, c) VALUES (1, 3)");
    CHECK(t.client.rows("SELECT a FROM ks.t WHERE p = 1 AND c = 3").rows.size() == 1);
    // An unset bind value leaves the column as it was.
    t.ok("UPDATE ks.t SET a = ?, b = ? WHERE p = 1 AND c = 1", {wire::Value::not_set(), int_value(21)});
    rows = t.client.rows("SELECT a, b FROM ks.t WHERE p = 1 AND c = 1");
    CHECK(int_at(rows, 0, "a") == 11);
    CHECK(int_at(rows, 0, "b") == 21);
    CHECK_THAT(RawClient::expect_error(t.client.query("UPDATE ks.t SET a = 1 WHERE p = 1")).message,
               Catch::Contains("must restrict every clustering column"));
}

TEST_CASE("DELETE removes a row, every row under a clustering prefix, or the partition; later writes come back") {
    Table t("CREATE TABLE ks.t (p int, a int, b int, v int, PRIMARY KEY (p, a, b))");
    for (int a = 0; a < 3; ++a)
        for (int b = 0; b < 2; ++b) t.ok("INSERT INTO ks.t (p, a, b, v) VALUES (0, ?, ?, 1)", {int_value(a), int_value(b)});
    t.ok("DELETE FROM ks.t WHERE p = 0 AND a = 0 AND b = 1");
    CHECK(ints(t.client.rows("SELECT a FROM ks.t WHERE p = 0"), "a") == std::vector<std::int32_t>{0, 1, 1, 2, 2});
    t.ok("DELETE FROM ks.t WHERE p = 0 AND a = 1");
    CHECK(ints(t.client.rows("SELECT a FROM ks.t WHERE p = 0"), "a") == std::vector<std::int32_t>{0, 2, 2});
    t.ok("INSERT INTO ks.t (p, a, b, v) VALUES (0, 1, 5, 1)");   // newer than the prefix deletion
    CHECK(ints(t.client.rows("SELECT b FROM ks.t WHERE p = 0 AND a = 1"), "b") == std::vector<std::int32_t>{5});
    t.ok("DELETE FROM ks.t WHERE p = 0");
    CHECK(t.client.rows("SELECT a FROM ks.t WHERE p = 0").rows.empty());
}
