// Goal: both plots turn a stored run into a non-empty PNG, and a missing gnuplot or run
// is a clear PlotError. Method: write a small run to a temp db and plot it.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "plots/plots.hpp"
#include "sim/results/sqlite_sink.hpp"

using namespace routelab;

namespace {

std::filesystem::path fresh_dir(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("routelab-plots-test-" + name);
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir;
}

results::RunRecord small_run() {
    results::RunRecord r;
    r.scenario_name = "plot_test";
    r.policy = "round_robin";
    r.seed = 42;
    for (int i = 0; i < 10; ++i) {
        results::Window w;
        w.start_s = i;
        w.requests = 100;
        w.p50_ns = 400'000 + 10'000 * i;
        w.p90_ns = 700'000;
        w.p99_ns = 1'500'000 + 100'000 * i;
        w.p999_ns = i == 4 ? 0 : 9'000'000;  // a window with no p99.9 is skipped, not plotted at 0
        w.max_ns = 12'000'000;
        r.windows.push_back(w);
    }
    r.nodes.push_back({"dc1-r1-n1", "10.0.0.1", "dc1", "r1", 6'500});
    r.nodes.push_back({"dc1-r2-n1", "10.0.0.2", "dc1", "r2", 6'700});
    r.nodes.push_back({"dc1-r3-n1", "10.0.0.3", "dc1", "r3", 6'800});
    return r;
}

bool is_png(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    char magic[8] = {};
    in.read(magic, 8);
    return in && std::string(magic + 1, 3) == "PNG";
}

}  // namespace

TEST_CASE("latency and node-load plots write non-empty PNGs", "[plots]") {
    const auto dir = fresh_dir("ok");
    const auto db = (dir / "results.sqlite").string();
    const auto id = results::write_run(db, small_run());
    const auto latency = dir / "latency.png";
    const auto load = dir / "node_load.png";
    plots::plot_latency_over_time(db, id, latency.string());
    plots::plot_node_load(db, id, load.string());
    CHECK(std::filesystem::file_size(latency) > 1000);
    CHECK(std::filesystem::file_size(load) > 1000);
    CHECK(is_png(latency));
    CHECK(is_png(load));
}

TEST_CASE("a run without windows or nodes still plots", "[plots]") {
    const auto dir = fresh_dir("empty");
    const auto db = (dir / "results.sqlite").string();
    results::RunRecord r;
    r.scenario_name = "empty";
    const auto id = results::write_run(db, r);
    plots::plot_latency_over_time(db, id, (dir / "latency.png").string());
    plots::plot_node_load(db, id, (dir / "node_load.png").string());
    CHECK(is_png(dir / "latency.png"));
    CHECK(is_png(dir / "node_load.png"));
}

TEST_CASE("missing run, database or gnuplot is a PlotError", "[plots]") {
    const auto dir = fresh_dir("errors");
    const auto db = (dir / "results.sqlite").string();
    const auto id = results::write_run(db, small_run());
    CHECK_THROWS_AS(plots::plot_latency_over_time(db, id + 5, (dir / "x.png").string()), plots::PlotError);
    CHECK_THROWS_AS(plots::plot_node_load((dir / "absent.sqlite").string(), 1, (dir / "x.png").string()),
                    plots::PlotError);

    ::setenv("ROUTELAB_GNUPLOT", "/nonexistent/gnuplot", 1);
    CHECK_THROWS_WITH(plots::plot_node_load(db, id, (dir / "x.png").string()),
                      Catch::Contains("gnuplot not found"));
    ::unsetenv("ROUTELAB_GNUPLOT");

    // A png path in a missing directory: gnuplot cannot write it, and we say so.
    CHECK_THROWS_WITH(plots::plot_node_load(db, id, (dir / "no-such-dir" / "x.png").string()),
                      Catch::Contains("does not exist"));
}
