// Goal: the driver's view pairs each mark with the real transition it reacted to (or none),
// its tables round-trip through the database with the derived detection delay, and the
// detection figure's numbers take the first mark per client and transition, the slowest
// over clients. Method: hand-made transitions and marks.
#include <catch2/catch.hpp>

#include <filesystem>
#include <string>

#include <sqlite3.h>

#include "plots/plots.hpp"
#include "sim/results/driver_view_tables.hpp"
#include "sim/results/sqlite_sink.hpp"
#include "sim/runner/driver_view.hpp"

using namespace routelab;
using results::DriverNodeMark;
using results::NodeTransition;

namespace {

const std::vector<NodeTransition> outage = {{3.0, "n1", false}, {3.0, "n2", false}, {7.0, "n1", true}, {7.0, "n2", true}};

}  // namespace

TEST_CASE("a mark is paired with the node's latest transition to the marked state", "[results][driver_view]") {
    CHECK(runner::truth_of({"c", "n1", 3.0001, false, {}}, outage) == Approx(3.0));
    CHECK(runner::truth_of({"c", "n1", 8.5, true, {}}, outage) == Approx(7.0));
    // A repeated down mark after the node came back: the driver's own opinion.
    CHECK_FALSE(runner::truth_of({"c", "n1", 9.0, false, {}}, outage).has_value());
    // Before anything happened, and a node that never changed.
    CHECK_FALSE(runner::truth_of({"c", "n1", 1.0, false, {}}, outage).has_value());
    CHECK_FALSE(runner::truth_of({"c", "n3", 4.0, false, {}}, outage).has_value());
    // A mark exactly at the transition counts (delay 0).
    CHECK(runner::truth_of({"c", "n2", 3.0, false, {}}, outage) == Approx(3.0));
}

TEST_CASE("the driver's view round-trips with its detection delay", "[results][driver_view]") {
    const auto dir = std::filesystem::temp_directory_path() / "routelab-driver-view-test";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto db = (dir / "results.sqlite").string();
    results::RunRecord r;
    r.scenario_name = "outage";
    r.node_transitions = outage;
    r.driver_marks = {{"a", "n1", 3.25, false, 3.0}, {"a", "n1", 9.0, false, std::nullopt}};
    r.window_node_latency = {{0.5, "n1", 10, 1, 2, 3, 4}};
    r.window_client_load = {{0.5, "a", 12, 2, 5, 6, 7, 8}};
    r.window_affinity = {{0.5, 9, 4}};
    const auto id = results::write_run(db, r);
    const auto transitions = results::read_node_transitions(db, id);
    REQUIRE(transitions.size() == 4);
    CHECK(transitions[2].node == "n1");
    CHECK(transitions[2].up);
    const auto marks = results::read_driver_marks(db, id);
    REQUIRE(marks.size() == 2);
    CHECK(marks[0].truth_s == Approx(3.0));
    CHECK_FALSE(marks[1].truth_s.has_value());
    CHECK(results::read_window_node_latency(db, id).at(0).p999_ns == 3);
    CHECK(results::read_window_client_load(db, id).at(0).errors == 2);
    CHECK(results::read_window_affinity(db, id).at(0).moved == 4);

    sqlite3* handle = nullptr;
    REQUIRE(sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(handle, "SELECT detection_delay_s, state FROM driver_node_marks ORDER BY seq", -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_double(st, 0) == Approx(0.25));
    CHECK(std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, 1))) == "down");
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    CHECK(sqlite3_column_type(st, 0) == SQLITE_NULL);
    sqlite3_finalize(st);
    sqlite3_close(handle);
}

TEST_CASE("detection delays: first mark per client and transition, slowest client", "[results][driver_view]") {
    const std::vector<DriverNodeMark> marks = {
        {"a", "n1", 3.1, false, 3.0},   // a sees n1 down after 100 ms
        {"a", "n1", 3.9, false, 3.0},   // a repeat: not a detection
        {"b", "n1", 3.4, false, 3.0},   // b after 400 ms: the slowest
        {"a", "n1", 8.0, true, 7.0},    // up after 1 s
        {"a", "n2", 3.2, false, 3.0},   // n2 never marked up
        {"a", "n2", 9.5, false, std::nullopt},
    };
    const auto delays = plots::detection_delays(outage, marks);
    REQUIRE(delays.size() == 2);
    CHECK(delays[0].node == "n1");
    CHECK(delays[0].downs == 1);
    CHECK(delays[0].down_detected == 2);
    CHECK(*delays[0].down_delay_s == Approx(0.4));
    CHECK(*delays[0].up_delay_s == Approx(1.0));
    CHECK(delays[1].node == "n2");
    CHECK(*delays[1].down_delay_s == Approx(0.2));
    CHECK(delays[1].ups == 1);
    CHECK_FALSE(delays[1].up_delay_s.has_value());
}
