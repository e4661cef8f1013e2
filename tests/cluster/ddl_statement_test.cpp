// The DDL subset of the parser: CREATE/DROP KEYSPACE and TABLE in the forms drivers and
// tools write parse into the expected structure; unsupported DDL is refused by name.
#include <catch2/catch.hpp>

#include "mock_cluster/cql/statement.hpp"

using namespace routelab::cluster::cql;

TEST_CASE("CREATE KEYSPACE with a replication map, durable_writes and IF NOT EXISTS") {
    auto r = parse_statement(
        "CREATE KEYSPACE IF NOT EXISTS \"Ks\" WITH replication = {'class':'NetworkTopologyStrategy', 'dc1' : 3,'dc2':'1'} "
        "AND durable_writes = false;");
    REQUIRE(r.statement);
    CHECK(r.statement->keyspace == "Ks");
    const auto& ck = std::get<CreateKeyspace>(r.statement->body);
    CHECK(ck.if_not_exists);
    REQUIRE(ck.replication.size() == 3);
    CHECK(ck.replication[0].first == "class");
    CHECK(ck.replication[0].second.text == "NetworkTopologyStrategy");
    CHECK(ck.replication[1].second.text == "3");
    CHECK(ck.replication[2].second.text == "1");
    CHECK(ck.durable_writes == false);
}

TEST_CASE("CREATE TABLE: column PRIMARY KEY, composite keys, clustering order, ignored options") {
    auto simple = parse_statement("create table kv (k bigint primary key, v blob)");
    REQUIRE(simple.statement);
    const auto& s = std::get<CreateTable>(simple.statement->body);
    CHECK(simple.statement->keyspace.empty());
    CHECK(s.partition_key == std::vector<std::string>{"k"});
    CHECK(s.columns.size() == 2);

    auto full = parse_statement(
        "CREATE TABLE ks.t (a int, b text, c timeuuid, d frozen<map<text, list<int>>>, PRIMARY KEY ((a, b), c)) "
        "WITH CLUSTERING ORDER BY (c DESC) AND compaction = {'class': 'SizeTieredCompactionStrategy'} AND gc_grace_seconds = 10");
    REQUIRE(full.statement);
    const auto& t = std::get<CreateTable>(full.statement->body);
    CHECK(full.statement->keyspace == "ks");
    CHECK(full.statement->table == "t");
    CHECK(t.partition_key == std::vector<std::string>{"a", "b"});
    CHECK(t.clustering_key == std::vector<std::string>{"c"});
    CHECK(t.columns[3].type == "frozen<map<text,list<int>>>");
    REQUIRE(t.clustering_order.size() == 1);
    CHECK(t.clustering_order[0] == std::pair<std::string, bool>{"c", true});
}

TEST_CASE("DROP KEYSPACE / TABLE [IF EXISTS]") {
    auto dk = parse_statement("DROP KEYSPACE IF EXISTS ks");
    REQUIRE(dk.statement);
    CHECK(std::get<DropKeyspace>(dk.statement->body).if_exists);
    CHECK(dk.statement->keyspace == "ks");
    auto dt = parse_statement("DROP TABLE ks.t");
    REQUIRE(dt.statement);
    CHECK_FALSE(std::get<DropTable>(dt.statement->body).if_exists);
    CHECK(dt.statement->table == "t");
}

TEST_CASE("SELECT with IN forms, ALLOW FILTERING and USING TIMEOUT") {
    auto r = parse_statement("SELECT a FROM t WHERE x IN ? AND y IN (?, 'lit') AND z = ? ALLOW FILTERING USING TIMEOUT 2s");
    REQUIRE(r.statement);
    const auto& sel = std::get<Select>(r.statement->body);
    REQUIRE(sel.where.size() == 3);
    CHECK(sel.where[0].op == Relation::Op::in_marker);
    CHECK(sel.where[1].op == Relation::Op::in_list);
    CHECK(sel.where[1].in_values.size() == 2);
    CHECK(std::get<BindMarker>(sel.where[2].value).index == 2);
    CHECK(sel.allow_filtering);
    CHECK(r.statement->bind_markers == 3);
    // UUID literals tokenize whole, whether they start with a digit or a letter.
    auto uuid = parse_statement("SELECT * FROM t WHERE id = f47ac10b-58cc-4372-a567-0e02b2c3d479");
    REQUIRE(uuid.statement);
    CHECK(std::get<Literal>(std::get<Select>(uuid.statement->body).where[0].value).text == "f47ac10b-58cc-4372-a567-0e02b2c3d479");
}

TEST_CASE("unsupported DDL and clauses are refused by name") {
    CHECK_THAT(parse_statement("CREATE MATERIALIZED VIEW v AS SELECT * FROM t").error, Catch::Contains("CREATE MATERIALIZED VIEW is not served"));
    CHECK_THAT(parse_statement("CREATE TYPE ks.addr (street text)").error, Catch::Contains("CREATE TYPE is not served"));
    CHECK_THAT(parse_statement("CREATE TABLE t (k int PRIMARY KEY) WITH COMPACT STORAGE").error, Catch::Contains("COMPACT STORAGE"));
    CHECK_THAT(parse_statement("CREATE TABLE t (k int PRIMARY KEY, s int STATIC)").error, Catch::Contains("static columns"));
    CHECK_THAT(parse_statement("TRUNCATE t").error, Catch::Contains("TRUNCATE is not served"));
    CHECK_THAT(parse_statement("SELECT * FROM t WHERE token(k) > 5").error, Catch::Contains("token()"));
    CHECK_THAT(parse_statement("INSERT INTO t (k) VALUES (1) USING TTL 5").error, Catch::Contains("USING TTL"));
}
