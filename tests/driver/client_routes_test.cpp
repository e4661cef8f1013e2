// Client routes, the documented behaviour (Rust driver semantics): configuration checks,
// the queries sent, reading rows, the route table's stickiness, event merges and the
// absence of any fallback to a node's own address.
#include <catch2/catch.hpp>

#include "driver/protocol/values.hpp"
#include "driver/session/client_routes.hpp"

using namespace routelab;
using driver::ClientRouteRow;
using driver::ClientRoutesConfig;
using driver::ClientRoutesProxy;
using driver::ClientRouteTable;

namespace {

const std::string host_a = "11111111-1111-1111-1111-111111111111";
const std::string host_b = "22222222-2222-2222-2222-222222222222";

ClientRoutesConfig two_ids() { return ClientRoutesConfig{{{"az1", std::nullopt}, {"az2", std::nullopt}}, false}; }

ClientRouteRow row(std::string id, std::string host, std::string address, std::int32_t port) {
    return ClientRouteRow{std::move(id), std::move(host), std::move(address), port, std::nullopt};
}

net::Endpoint at(const char* ip, std::uint16_t port) { return net::Endpoint{*net::parse_ipv4(ip), port}; }

// A Rows result shaped like the mock's answer to the routes query.
cql::RowsResult rows_of(const std::vector<ClientRouteRow>& routes) {
    using cql::ColumnType;
    using cql::TypeId;
    cql::RowsResult r;
    auto column = [](const char* name, ColumnType type) {
        cql::ColumnSpec c;
        c.keyspace = "system";
        c.table = "client_routes";
        c.name = name;
        c.type = std::move(type);
        return c;
    };
    r.metadata.columns = {column("connection_id", ColumnType::of(TypeId::varchar)), column("host_id", ColumnType::of(TypeId::uuid)),
                          column("address", ColumnType::of(TypeId::varchar)), column("port", ColumnType::of(TypeId::int_)),
                          column("tls_port", ColumnType::of(TypeId::int_))};
    for (const auto& route : routes) {
        std::vector<std::optional<cql::Bytes>> cells;
        auto text = [](const std::string& s) { return cql::Bytes(s.begin(), s.end()); };
        cells.push_back(text(route.connection_id));
        cql::Bytes uuid;
        for (std::size_t i = 0; i < route.host_id.size(); i += 1) {
            if (route.host_id[i] == '-') continue;
            uuid.push_back(static_cast<std::uint8_t>(std::stoi(route.host_id.substr(i, 2), nullptr, 16)));
            ++i;
        }
        cells.push_back(uuid);
        cells.push_back(text(route.address));
        if (route.port) {
            cql::Bytes p;
            REQUIRE_FALSE(cql::encode_value(ColumnType::of(TypeId::int_), cql::CqlValue{*route.port}, p));
            cells.push_back(p);
        } else {
            cells.push_back(std::nullopt);
        }
        cells.push_back(std::nullopt);
        r.rows.push_back(std::move(cells));
    }
    return r;
}

}  // namespace

TEST_CASE("client routes configuration is checked") {
    CHECK_FALSE(driver::check_client_routes_config(two_ids(), false));
    SECTION("TLS is refused") {
        auto why = driver::check_client_routes_config(two_ids(), true);
        REQUIRE(why);
        CHECK_THAT(*why, Catch::Contains("TLS is not supported with client routes"));
    }
    SECTION("at least one connection id") {
        auto why = driver::check_client_routes_config(ClientRoutesConfig{}, false);
        REQUIRE(why);
        CHECK_THAT(*why, Catch::Contains("at least one connection id"));
    }
    SECTION("ids are unique and non-empty") {
        CHECK(driver::check_client_routes_config(ClientRoutesConfig{{{"x", {}}, {"x", {}}}, false}, false));
        CHECK(driver::check_client_routes_config(ClientRoutesConfig{{{"", {}}}, false}, false));
    }
    SECTION("an override must be an address the simulated network can reach") {
        auto why = driver::check_client_routes_config(ClientRoutesConfig{{{"x", std::string("proxy.example")}}, false}, false);
        REQUIRE(why);
        CHECK_THAT(*why, Catch::Contains("not an IPv4 address"));
        CHECK_FALSE(driver::check_client_routes_config(ClientRoutesConfig{{{"x", std::string("127.0.0.9")}}, false}, false));
    }
    SECTION("advanced shard awareness is off by default") { CHECK_FALSE(ClientRoutesConfig{}.advanced_shard_awareness); }
}

TEST_CASE("the full read asks for the configured ids, one marker each") {
    const auto q = driver::client_routes_query(two_ids());
    CHECK(q.query ==
          "SELECT connection_id, host_id, address, port, tls_port FROM system.client_routes WHERE connection_id IN (?, ?)");
    REQUIRE(q.parameters.values.size() == 2);
    CHECK(q.parameters.values[0].bytes == cql::Bytes{'a', 'z', '1'});
}

TEST_CASE("an event re-reads only the changed pairs of our ids") {
    cql::ClientRoutesChange event;
    event.connection_ids = {"az1", "other", "az2"};
    event.host_ids = {host_a, host_b, host_b};
    const auto pairs = driver::relevant_pairs(two_ids(), event);
    REQUIRE(pairs.size() == 2);
    CHECK(pairs[0] == std::pair<std::string, std::string>{"az1", host_a});
    CHECK(pairs[1] == std::pair<std::string, std::string>{"az2", host_b});
    const auto q = driver::client_routes_update_query(two_ids(), pairs);
    REQUIRE(q);
    CHECK_THAT(q->query, Catch::EndsWith("WHERE connection_id IN (?, ?) AND host_id IN (?, ?)"));
    REQUIRE(q->parameters.values.size() == 4);
    CHECK(q->parameters.values[2].bytes.size() == 16);

    cql::ClientRoutesChange foreign;
    foreign.connection_ids = {"other"};
    foreign.host_ids = {host_a};
    CHECK_FALSE(driver::client_routes_update_query(two_ids(), driver::relevant_pairs(two_ids(), foreign)));
}

TEST_CASE("rows are read by name; bad rows are skipped, an all-bad answer is an error") {
    std::vector<ClientRouteRow> out;
    std::size_t skipped = 0;
    auto good = row("az1", host_a, "127.0.2.1", 9042);
    auto no_port = good;
    no_port.port.reset();
    CHECK_FALSE(driver::read_client_routes(rows_of({good, no_port}), out, skipped));
    CHECK(skipped == 1);
    REQUIRE(out.size() == 1);
    CHECK(out[0] == good);

    out.clear();
    auto error = driver::read_client_routes(rows_of({no_port}), out, skipped);
    REQUIRE(error);
    CHECK_THAT(*error, Catch::Contains("system.client_routes"));
    CHECK_FALSE(driver::read_client_routes(rows_of({}), out, skipped));   // no rows is not an error
}

TEST_CASE("a host resolves to its route, sticks to it, and never falls back to its own address") {
    ClientRouteTable table(two_ids());
    table.replace_all({row("az2", host_a, "127.0.2.1", 9042), row("az1", host_a, "127.0.1.1", 9042),
                       row("elsewhere", host_b, "127.0.9.9", 9042)});
    CHECK(table.size() == 2);   // rows of ids not configured are not kept

    SECTION("the first configured id wins, then sticks") {
        auto r = table.resolve(host_a);
        REQUIRE(r.endpoint);
        CHECK(*r.endpoint == at("127.0.1.1", 9042));
        CHECK(r.connection_id == "az1");
        // az1 moves to another address: still az1 (sticky), at its new address.
        table.apply_update({{"az1", host_a}}, {row("az1", host_a, "127.0.1.7", 19042)});
        CHECK(*table.resolve(host_a).endpoint == at("127.0.1.7", 19042));
    }
    SECTION("stickiness survives a better-ranked id appearing") {
        table.apply_update({{"az1", host_a}}, {});   // az1 removed for host a
        CHECK(table.resolve(host_a).connection_id == "az2");
        table.apply_update({{"az1", host_a}}, {row("az1", host_a, "127.0.1.1", 9042)});
        CHECK(table.resolve(host_a).connection_id == "az2");
    }
    SECTION("a host without a route is an error naming it") {
        auto r = table.resolve(host_b);
        CHECK_FALSE(r.endpoint);
        CHECK_THAT(r.error, Catch::Contains(host_b));
    }
    SECTION("rows for pairs not asked about are ignored when merging an event") {
        table.apply_update({{"az1", host_a}}, {row("az1", host_a, "127.0.1.2", 9042), row("az1", host_b, "127.0.1.3", 9042)});
        CHECK_FALSE(table.resolve(host_b).endpoint);
    }
    SECTION("the override replaces the table's address") {
        ClientRouteTable overridden(ClientRoutesConfig{{{"az1", std::string("127.0.0.200")}}, false});
        overridden.replace_all({row("az1", host_a, "proxy.example", 7000)});
        CHECK(*overridden.resolve(host_a).endpoint == at("127.0.0.200", 7000));
    }
    SECTION("an unresolvable hostname is an error, not a guess") {
        ClientRouteTable named(ClientRoutesConfig{{{"az1", std::nullopt}}, false});
        named.replace_all({row("az1", host_a, "proxy.example", 7000)});
        auto r = named.resolve(host_a);
        CHECK_FALSE(r.endpoint);
        CHECK_THAT(r.error, Catch::Contains("proxy.example"));
    }
}
