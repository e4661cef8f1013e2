// Requests beyond a single prepared EXECUTE: paging (page size, paging states, every page
// through fetch_all_pages), unprepared QUERY (with and without routing), re-preparing a
// statement a node forgot inside a BATCH, and ScyllaDB's LWT mark reaching the driver.
#include <catch2/catch.hpp>

#include "tests/support/cql_bytes.hpp"

#include "driver/policy/default_policy.hpp"
#include "driver/protocol/murmur3.hpp"
#include "driver/session/pager.hpp"
#include "tests/session/session_world.hpp"

using namespace routelab;
using namespace routelab::test;

namespace {

std::int32_t int_of(std::span<const std::uint8_t> b) {
    return static_cast<std::int32_t>((std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) | b[3]);
}

// ks.events (p bigint, c int, v blob, PRIMARY KEY (p, c)) with `rows` rows in partition 1.
driver::PreparedPtr clustered_table(World& w, int rows) {
    cluster::TableDef t;
    t.keyspace = "ks";
    t.name = "events";
    t.columns = {{"p", cql::ColumnType::of(cql::TypeId::bigint)},
                 {"c", cql::ColumnType::of(cql::TypeId::int_)},
                 {"v", cql::ColumnType::of(cql::TypeId::blob)}};
    t.clustering_key_columns = 1;
    w.cluster.create_table(t);
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    driver::PreparedPtr insert, select;
    w.session.prepare("INSERT INTO ks.events (p, c, v) VALUES (?, ?, ?)", [&](driver::PreparedPtr p, const cql::Error*) { insert = p; });
    w.session.prepare("SELECT c FROM ks.events WHERE p = ?", [&](driver::PreparedPtr p, const cql::Error*) { select = p; });
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    REQUIRE(insert);
    REQUIRE(select);
    int written = 0;
    for (int c = 0; c < rows; ++c) {
        const std::vector<cql::Value> values{cql::Value::of(bigint(1)), cql::Value::of(int32(c)), cql::Value::of({7})};
        w.session.execute(insert, values, cql::Consistency::quorum, [&written](const driver::RequestResult& r) {
            if (r.outcome == driver::RequestOutcome::ok) ++written;
        });
    }
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    REQUIRE(written == rows);
    return select;
}

}  // namespace

TEST_CASE("paging: page_size rows per page, the paging state continues, fetch_all_pages reads them all in order") {
    World w;
    const auto select = clustered_table(w, 47);
    const std::vector<cql::Value> key{cql::Value::of(bigint(1))};

    driver::RequestOptions options;
    options.consistency = cql::Consistency::quorum;
    options.page_size = 20;
    std::size_t first_rows = 0;
    std::optional<cql::Bytes> state;
    w.session.execute(select, key, options, [&](const driver::RequestResult& r) {
        REQUIRE(r.outcome == driver::RequestOutcome::ok);
        first_rows = r.response->rows.row_count();
        if (const auto& s = r.response->rows.paging_state()) state = cql::Bytes(s->begin(), s->end());
    });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(first_rows == 20);
    REQUIRE(state);

    std::vector<std::int32_t> seen;
    int pages = -1;
    driver::fetch_all_pages(
        w.session, select, key, options,
        [&seen](const cql::RowsView& page) {
            auto cells = page.cells();
            while (!cells.at_end()) seen.push_back(int_of(*cells.next()));
        },
        [&pages](const driver::RequestResult& last, int n) {
            CHECK(last.outcome == driver::RequestOutcome::ok);
            pages = n;
        });
    w.scheduler.run_until(w.scheduler.now() + 2_s);
    CHECK(pages == 3);
    REQUIRE(seen.size() == 47);
    for (std::size_t i = 0; i < seen.size(); ++i) CHECK(seen[i] == static_cast<std::int32_t>(i));
}

TEST_CASE("unprepared QUERY: values by position, rows with metadata, token-aware with a routing key") {
    World w;
    const std::vector<cql::Value> write{cql::Value::of(bigint(9)), cql::Value::of({4, 2})};
    driver::RequestOptions options;
    options.consistency = cql::Consistency::quorum;
    bool wrote = false;
    w.session.query("INSERT INTO ks.kv (k, v) VALUES (?, ?)", write, options,
                    [&wrote](const driver::RequestResult& r) { wrote = r.outcome == driver::RequestOutcome::ok; });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    REQUIRE(wrote);
    std::size_t rows = 0, columns = 0;
    bool metadata = false;
    driver::QueryRouting routing{"ks", "kv", bigint(9)};
    const std::vector<cql::Value> key{cql::Value::of(bigint(9))};
    w.session.query("SELECT k, v FROM ks.kv WHERE k = ?", key, options, [&](const driver::RequestResult& r) {
        REQUIRE(r.outcome == driver::RequestOutcome::ok);
        rows = r.response->rows.row_count();
        columns = r.response->rows.column_count();
        metadata = !r.response->rows.no_metadata();
    }, &routing);
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(rows == 1);
    CHECK(columns == 2);
    CHECK(metadata);

    bool failed = false;
    w.session.query("SELECT nope FROM ks.kv WHERE k = 1", {}, options, [&failed](const driver::RequestResult& r) {
        failed = r.outcome == driver::RequestOutcome::server_error && r.error_code == cql::error_codes::invalid;
    });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(failed);
}

TEST_CASE("a BATCH naming a statement the node forgot gets it prepared again and succeeds on the same node") {
    World w;
    w.forget_prepared_statements();
    std::vector<driver::Session::BatchEntry> entries;
    for (std::int64_t k = 1; k <= 3; ++k) entries.push_back({w.write, w.values(k)});
    driver::RequestOptions options;
    options.consistency = cql::Consistency::quorum;
    int calls = 0;
    std::vector<driver::Attempt> history;
    driver::RequestOutcome outcome{};
    w.session.execute_batch(entries, cql::BatchType::logged, options, [&](const driver::RequestResult& r) {
        ++calls;
        outcome = r.outcome;
        history.assign(r.history.begin(), r.history.end());
    });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(calls == 1);
    CHECK(outcome == driver::RequestOutcome::ok);
    REQUIRE(history.size() == 2);
    CHECK(history[0].reprepared);
    CHECK(history[0].error_code == cql::error_codes::unprepared);
    CHECK(history[1].node == history[0].node);
    CHECK(w.session.metrics().reprepares() == 1);
}

TEST_CASE("the driver echoes SCYLLA_LWT_ADD_METADATA_MARK, so conditional statements come back marked as LWT") {
    World w;
    driver::PreparedPtr lwt, plain;
    w.session.prepare("INSERT INTO ks.kv (k, v) VALUES (?, ?) IF NOT EXISTS", [&](driver::PreparedPtr p, const cql::Error*) { lwt = p; });
    w.session.prepare("UPDATE ks.kv SET v = ? WHERE k = ?", [&](driver::PreparedPtr p, const cql::Error*) { plain = p; });
    w.scheduler.run_until(w.scheduler.now() + 100_ms);
    REQUIRE(lwt);
    REQUIRE(plain);
    CHECK(lwt->metadata.lwt);
    CHECK_FALSE(plain->metadata.lwt);
    driver::RequestOptions options;
    options.consistency = cql::Consistency::quorum;
    options.idempotent = false;
    std::vector<bool> applied;
    for (int i = 0; i < 2; ++i)
        w.session.execute(lwt, w.values(77), options, [&applied](const driver::RequestResult& r) {
            REQUIRE(r.outcome == driver::RequestOutcome::ok);
            auto cells = r.response->rows.cells();
            applied.push_back((*cells.next())[0] != 0);
        });
    w.scheduler.run_until(w.scheduler.now() + 1_s);
    CHECK(applied == std::vector<bool>{true, false});
}

TEST_CASE("TOPOLOGY_CHANGE: the session adds a node that joins and drops one that leaves, and routes accordingly") {
    auto config = World::config();
    config.nodes.push_back({"d", "dc1", "r4", {}});
    config.nodes.back().joined = false;   // a spare, outside the ring at first
    World w(config);
    auto members = [&w] {
        return std::count_if(w.session.cluster().nodes.begin(), w.session.cluster().nodes.end(),
                             [](const driver::NodeInfo& n) { return n.enabled && !n.tokens.empty(); });
    };
    CHECK(members() == 3);
    auto spread = [&w] {
        std::map<std::string, int> by_address;
        for (std::int64_t k = 0; k < 60; ++k)
            w.session.execute(w.write, w.values(k), cql::Consistency::quorum, [&w, &by_address](const driver::RequestResult& r) {
                if (r.outcome == driver::RequestOutcome::ok && r.node)
                    ++by_address[net::format_ipv4(w.session.cluster().nodes[*r.node].address.ip)];
            });
        w.scheduler.run_until(w.scheduler.now() + 2_s);
        return by_address;
    };
    REQUIRE(w.cluster.join_node(3));
    w.scheduler.run_until(w.scheduler.now() + 3_s);   // event, metadata refresh, pool opened
    CHECK(members() == 4);
    auto joined = spread();
    CHECK(joined.count("127.0.0.4") == 1);
    REQUIRE(w.cluster.decommission_node(1));
    w.scheduler.run_until(w.scheduler.now() + 3_s);
    CHECK(members() == 3);
    for (const auto& n : w.session.cluster().nodes)   // the node that left keeps its index, out of every plan
        if (n.address.ip == cluster::node_address(1)) CHECK_FALSE(n.enabled);
    auto left = spread();
    CHECK(left.count("127.0.0.2") == 0);
    int total = 0;
    for (const auto& [address, n] : left) total += n;
    CHECK(total == 60);
}

TEST_CASE("composite partition keys bound in any marker order route to the server's replicas; timestamps, serial level and timeout reach the wire") {
    auto config = World::config();
    config.nodes.push_back({"d", "dc1", "r1", {}});
    config.nodes.push_back({"e", "dc1", "r2", {}});
    World w(config);   // 5 nodes, ks at RF 3: a key has 2 non-replicas
    cluster::TableDef t;
    t.keyspace = "ks";
    t.name = "pairs";
    t.columns = {{"a", cql::ColumnType::of(cql::TypeId::bigint)}, {"b", cql::ColumnType::of(cql::TypeId::varchar)},
                 {"v", cql::ColumnType::of(cql::TypeId::blob)}};
    t.partition_key_columns = 2;
    w.cluster.create_table(t);
    w.scheduler.run_until(w.scheduler.now() + 100_ms);

    auto session_config = World::session_config();
    driver::DefaultPolicyConfig policy;
    policy.token_aware = true;
    session_config.policy = std::make_unique<driver::DefaultPolicy>(policy, sim::RngStream(sim::Rng(2).stream("policy")));
    session_config.client_timestamps = true;
    auto session = second_session(w, std::move(session_config), 12);
    // The markers name b before a: the routing key must follow the key's column order.
    const auto insert = prepare_on(w, *session, "INSERT INTO ks.pairs (v, b, a) VALUES (?, ?, ?)");
    REQUIRE(insert->metadata.pk_indexes == std::vector<std::uint16_t>{2, 1});
    const auto& ks = *w.cluster.schema().keyspace("ks");
    int on_replica = 0;
    for (std::int64_t a = 0; a < 40; ++a) {
        const std::string b = "user-" + std::to_string(a * 7);
        const std::vector<cql::Value> values{cql::Value::of({1}), cql::Value::of(text_bytes(b)), cql::Value::of(bigint(a))};
        // The server's own token for the key, from the mock's binding of the same row.
        const std::vector<std::span<const std::uint8_t>> parts{values[2].bytes, values[1].bytes};
        std::vector<std::uint8_t> key;
        cql::composite_partition_key(parts, key);
        const auto replicas = ks.replicas.replicas_for(cql::murmur3_token(key));
        session->execute(insert, values, cql::Consistency::one, [&](const driver::RequestResult& r) {
            REQUIRE(r.outcome == driver::RequestOutcome::ok);
            const auto ip = session->cluster().nodes[r.history.front().node].address.ip;
            for (auto replica : replicas)
                if (w.cluster.topology().node(replica).ip == ip) ++on_replica;
        });
        w.scheduler.run_until(w.scheduler.now() + 50_ms);
    }
    CHECK(on_replica == 40);

    // Client timestamps: the stored cells carry the request's start time (µs), not the
    // coordinator's later clock.
    const auto read = prepare_on(w, *session, "SELECT v FROM ks.pairs WHERE a = ? AND b = ?");
    CHECK(read->metadata.pk_indexes == std::vector<std::uint16_t>{0, 1});
    sim::Time started;
    const std::vector<cql::Value> row{cql::Value::of({9}), cql::Value::of(text_bytes("stamped")), cql::Value::of(bigint(99))};
    session->execute(insert, row, cql::Consistency::all, [&started](const driver::RequestResult& r) {
        REQUIRE(r.outcome == driver::RequestOutcome::ok);
        started = r.started;
    });
    w.scheduler.run_until(w.scheduler.now() + 50_ms);
    const std::vector<std::span<const std::uint8_t>> parts{row[2].bytes, row[1].bytes};
    std::vector<std::uint8_t> key;
    cql::composite_partition_key(parts, key);
    const auto table = w.cluster.schema().table("ks", "pairs")->id;
    int stamped = 0;
    for (std::size_t node = 0; node < 5; ++node) {
        const auto* p = w.cluster.node_state(node).tables[table].partition(std::string_view(reinterpret_cast<const char*>(key.data()), key.size()));
        if (p == nullptr) continue;
        p->for_each_row_from(std::nullopt, [&](std::string_view, const cluster::RowVersion& stored) {
            CHECK(stored.cells.at(0).timestamp_us == started.ns() / 1000);
            ++stamped;
            return true;
        });
    }
    CHECK(stamped == 3);   // every replica, at ALL

    // The serial level reaches the wire: QUORUM is refused for the Paxos rounds.
    const auto lwt = prepare_on(w, *session, "INSERT INTO ks.pairs (a, b, v) VALUES (?, ?, ?) IF NOT EXISTS");
    driver::RequestOptions options;
    options.consistency = cql::Consistency::one;
    options.serial_consistency = cql::Consistency::quorum;
    options.idempotent = false;
    std::int32_t code = 0;
    session->execute(lwt, std::vector<cql::Value>{cql::Value::of(bigint(5)), cql::Value::of(text_bytes("x")), cql::Value::of({1})}, options,
                     [&code](const driver::RequestResult& r) { code = r.error_code; });
    w.scheduler.run_until(w.scheduler.now() + 50_ms);
    CHECK(code == cql::error_codes::invalid);
}

TEST_CASE("the client-side timeout ends a request that has no answer, at the deadline, once") {
    World w;
    auto config = World::session_config();
    config.request_timeout = 200_ms;
    config.retry = driver::RetryPolicy(driver::RetryPolicyKind::fallthrough, 0);
    auto session = second_session(w, std::move(config), 13);
    const auto write = prepare_on(w, *session, "INSERT INTO ks.kv (k, v) VALUES (?, ?)");
    for (std::size_t node = 0; node < 3; ++node) w.cluster.slow_node(node, 100'000);   // ~15 s per request
    int calls = 0;
    driver::RequestResult ended;
    session->execute(write, w.values(3), cql::Consistency::one, [&](const driver::RequestResult& r) {
        ++calls;
        ended.outcome = r.outcome;
        ended.started = r.started;
        ended.ended = r.ended;
    });
    w.scheduler.run_until(w.scheduler.now() + sim::Duration::from_s(30));
    CHECK(calls == 1);
    CHECK(ended.outcome == driver::RequestOutcome::timeout);
    CHECK(ended.ended - ended.started == 200_ms);
}
