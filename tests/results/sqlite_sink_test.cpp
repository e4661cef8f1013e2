// Goal: a RunRecord written to the results database reads back unchanged, runs append,
// and failures are ResultsErrors naming the database. Method: write to a fresh temp db.
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <string>

#include <sqlite3.h>

#include "sim/results/sqlite_reader.hpp"
#include "sim/results/sqlite_sink.hpp"

using namespace routelab;
using namespace routelab::results;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("routelab-results-test-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

RunRecord sample_run() {
    RunRecord r;
    r.scenario_name = "quickstart";
    r.scenario_path = "scenarios/quickstart.toml";
    r.scenario_hash = "00112233aabbccdd";
    r.build = "0.1.0 Debug";
    r.policy = "round_robin";
    r.seed = 0xfedcba9876543210ULL;  // above INT64_MAX: stored with the same bits
    r.trace_hash = 0x0000beef0000cafeULL;
    r.trace_events = 12345;
    r.events_run = 67890;
    r.simulated_s = 10.25;
    r.wall_s = 0.5;
    r.requests = 20000;
    r.completed = 19990;
    r.errors = 10;
    r.timeouts = 4;
    r.lost = 0;
    r.verdict = "pass";
    for (std::int64_t v = 1000; v <= 2'000'000; v += 997) r.latency_ns.record(v);
    for (int i = 0; i < 3; ++i) {
        Window w;
        w.start_s = i * 1.0;
        w.requests = 100 + static_cast<std::uint64_t>(i);
        w.errors = 2;
        w.timeouts = 1;
        w.p50_ns = 1000 * (i + 1);
        w.p90_ns = 2000 * (i + 1);
        w.p99_ns = 3000 * (i + 1);
        w.p999_ns = 4000 * (i + 1);
        w.max_ns = 5000 * (i + 1);
        r.windows.push_back(w);
    }
    r.nodes.push_back({"dc1-r2-n1", "10.0.0.2", "dc1", "r2", 7, 40, 3, 0});  // deliberately not sorted
    r.nodes.push_back({"dc1-r1-n1", "10.0.0.1", "dc1", "r1", 9, 41, 0, 2});
    return r;
}

}  // namespace

TEST_CASE("a run round-trips through the results database", "[results]") {
    const auto db = (fresh_dir("roundtrip") / "results.sqlite").string();
    const RunRecord run = sample_run();
    const std::int64_t id = write_run(db, run);
    CHECK(id == 1);
    CHECK(read_latest_run_id(db) == id);

    const RunRow row = read_run(db, id);
    CHECK(row.run_id == id);
    CHECK(row.scenario_name == run.scenario_name);
    CHECK(row.scenario_path == run.scenario_path);
    CHECK(row.scenario_hash == run.scenario_hash);
    CHECK(row.build == run.build);
    CHECK(row.policy == run.policy);
    CHECK(row.seed == run.seed);
    CHECK(row.trace_hash == "0000beef0000cafe");
    CHECK(row.trace_events == run.trace_events);
    CHECK(row.events_run == run.events_run);
    CHECK(row.simulated_s == run.simulated_s);
    CHECK(row.wall_s == run.wall_s);
    CHECK(row.requests == run.requests);
    CHECK(row.completed == run.completed);
    CHECK(row.errors == run.errors);
    CHECK(row.timeouts == run.timeouts);
    CHECK(row.lost == run.lost);
    CHECK(row.verdict == run.verdict);
    CHECK(row.p50_ns == run.latency_ns.quantile(0.5));
    CHECK(row.p99_ns == run.latency_ns.quantile(0.99));
    CHECK(row.p999_ns == run.latency_ns.quantile(0.999));
    CHECK(row.max_ns == run.latency_ns.max());

    const auto windows = read_windows(db, id);
    REQUIRE(windows.size() == run.windows.size());
    for (std::size_t i = 0; i < windows.size(); ++i) {
        CHECK(windows[i].start_s == run.windows[i].start_s);
        CHECK(windows[i].requests == run.windows[i].requests);
        CHECK(windows[i].errors == run.windows[i].errors);
        CHECK(windows[i].timeouts == run.windows[i].timeouts);
        CHECK(windows[i].p50_ns == run.windows[i].p50_ns);
        CHECK(windows[i].p90_ns == run.windows[i].p90_ns);
        CHECK(windows[i].p99_ns == run.windows[i].p99_ns);
        CHECK(windows[i].p999_ns == run.windows[i].p999_ns);
        CHECK(windows[i].max_ns == run.windows[i].max_ns);
    }

    const auto nodes = read_node_load(db, id);
    REQUIRE(nodes.size() == 2);
    CHECK(nodes[0].node == "dc1-r2-n1");
    CHECK(nodes[0].address == "10.0.0.2");
    CHECK(nodes[0].datacenter == "dc1");
    CHECK(nodes[0].rack == "r2");
    CHECK(nodes[0].requests_coordinated == 7);
    CHECK(nodes[0].replica_ops == 40);
    CHECK(nodes[0].hints_stored == 3);
    CHECK(nodes[0].hints_replayed == 0);
    CHECK(nodes[1].node == "dc1-r1-n1");
    CHECK(nodes[1].replica_ops == 41);
    CHECK(nodes[1].hints_replayed == 2);

    CHECK(read_latency_histogram(db, id) == run.latency_ns.buckets());
}

TEST_CASE("a database whose node_load predates the replica columns still takes runs", "[results]") {
    const auto db = (fresh_dir("old-node-load") / "results.sqlite").string();
    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
    const char* old_table =
        "CREATE TABLE node_load (run_id INTEGER NOT NULL, node TEXT NOT NULL, address TEXT NOT NULL, "
        "datacenter TEXT NOT NULL, rack TEXT NOT NULL, requests INTEGER NOT NULL, PRIMARY KEY (run_id, node));"
        "INSERT INTO node_load VALUES (99, 'old', '10.0.0.9', 'dc1', 'r1', 5);";
    REQUIRE(sqlite3_exec(handle, old_table, nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(handle);
    const auto id = write_run(db, sample_run());
    const auto nodes = read_node_load(db, id);
    REQUIRE(nodes.size() == 2);
    CHECK(nodes[0].replica_ops == 40);
    const auto old = read_node_load(db, 99);
    REQUIRE(old.size() == 1);
    CHECK(old[0].requests_coordinated == 5);
    CHECK(old[0].replica_ops == 0);
}

TEST_CASE("runs append to an existing database", "[results]") {
    const auto db = (fresh_dir("append") / "results.sqlite").string();
    RunRecord a = sample_run();
    RunRecord b = sample_run();
    b.seed = 2;
    b.nodes.clear();
    const auto first = write_run(db, a);
    const auto second = write_run(db, b);
    CHECK(second == first + 1);
    CHECK(read_latest_run_id(db) == second);
    CHECK(read_run(db, first).seed == a.seed);
    CHECK(read_run(db, second).seed == 2);
    CHECK(read_node_load(db, second).empty());
    CHECK(read_node_load(db, first).size() == 2);
}

TEST_CASE("failures name the database and store nothing", "[results]") {
    const auto dir = fresh_dir("errors");
    const auto missing_dir_db = (dir / "no-such-dir" / "results.sqlite").string();
    try {
        write_run(missing_dir_db, sample_run());
        FAIL("expected ResultsError");
    } catch (const ResultsError& e) {
        CHECK(std::string(e.what()).rfind(missing_dir_db, 0) == 0);
    }

    const auto absent = (dir / "absent.sqlite").string();
    CHECK_THROWS_AS(read_run(absent, 1), ResultsError);
    CHECK_FALSE(std::filesystem::exists(absent));  // readers never create a database

    const auto db = (dir / "results.sqlite").string();
    write_run(db, sample_run());
    CHECK_THROWS_WITH(read_run(db, 99), Catch::Contains(db) && Catch::Contains("no run with run_id 99"));

    // A duplicate node name violates the primary key: the whole run is rolled back.
    RunRecord dup = sample_run();
    dup.nodes.push_back(dup.nodes.front());
    CHECK_THROWS_WITH(write_run(db, dup), Catch::StartsWith(db));
    CHECK(read_latest_run_id(db) == 1);

    // Something that is not a database.
    const auto text = (dir / "not-a-db.sqlite").string();
    {
        std::FILE* f = std::fopen(text.c_str(), "w");
        REQUIRE(f != nullptr);
        std::fputs("this is not a sqlite database, just some text that is long enough\n", f);
        std::fclose(f);
    }
    CHECK_THROWS_WITH(write_run(text, sample_run()), Catch::StartsWith(text));
}

TEST_CASE("hex16 gives 16 lower-case digits", "[results]") {
    CHECK(hex16(0) == "0000000000000000");
    CHECK(hex16(0x0123456789abcdefULL) == "0123456789abcdef");
    CHECK(hex16(~0ULL) == "ffffffffffffffff");
}
