// The CQL subset parser: the statement shapes drivers and workloads send parse into the
// expected structure, and anything else is refused with a message naming the offset.
#include <catch2/catch.hpp>

#include "mock_cluster/cql/statement.hpp"

using namespace routelab::cluster::cql;

TEST_CASE("SELECT by partition key with bind markers and LIMIT") {
    auto r = parse_statement("SELECT v, w FROM ks.kv WHERE k = ? LIMIT 10");
    REQUIRE(r.statement);
    const auto& s = *r.statement;
    CHECK(s.keyspace == "ks");
    CHECK(s.table == "kv");
    CHECK(s.bind_markers == 1);
    const auto& sel = std::get<Select>(s.body);
    CHECK(sel.columns == std::vector<std::string>{"v", "w"});
    REQUIRE(sel.where.size() == 1);
    CHECK(sel.where[0].column == "k");
    CHECK(std::get<BindMarker>(sel.where[0].value).index == 0);
    CHECK(std::get<Literal>(*sel.limit).text == "10");
}

TEST_CASE("INSERT with literals, markers and IF NOT EXISTS; quoted names keep case") {
    auto r = parse_statement("insert into \"MyTable\" (k, \"Val\") values (?, 'it''s') IF NOT EXISTS;");
    REQUIRE(r.statement);
    const auto& ins = std::get<Insert>(r.statement->body);
    CHECK(r.statement->table == "MyTable");
    CHECK(ins.columns == std::vector<std::string>{"k", "Val"});
    CHECK(std::get<Literal>(ins.values[1]).text == "it's");
    CHECK(ins.if_not_exists);
}

TEST_CASE("UPDATE, DELETE and USE") {
    auto up = parse_statement("UPDATE kv SET v = ? WHERE k = ?");
    REQUIRE(up.statement);
    CHECK(std::get<Update>(up.statement->body).assignments.size() == 1);
    CHECK(up.statement->bind_markers == 2);
    auto del = parse_statement("DELETE FROM kv WHERE k = 5");
    REQUIRE(del.statement);
    auto use = parse_statement("USE \"Ks\"");
    REQUIRE(use.statement);
    CHECK(use.statement->keyspace == "Ks");
}

TEST_CASE("unsupported or malformed statements name the problem and its offset") {
    auto r = parse_statement("TRUNCATE kv");
    CHECK_FALSE(r.statement);
    CHECK_THAT(r.error, Catch::Contains("unsupported statement") && Catch::Contains("offset 0"));
    auto range = parse_statement("SELECT * FROM kv WHERE k != 3");
    CHECK_THAT(range.error, Catch::Contains("only =, IN, <, <=, > and >= are served"));
    auto count = parse_statement("INSERT INTO kv (k, v) VALUES (?)");
    CHECK_THAT(count.error, Catch::Contains("2 columns but gives 1 values"));
    auto unterminated = parse_statement("SELECT * FROM kv WHERE k = 'abc");
    CHECK_THAT(unterminated.error, Catch::Contains("unterminated string"));
}
