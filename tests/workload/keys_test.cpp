// Goal: the deterministic key distributions do what they say. Method: draw and compare.
#include <catch2/catch.hpp>

#include <set>

#include "sim/workload/key_chooser.hpp"
#include "sim/workload/request_shaper.hpp"

using namespace routelab;
using namespace routelab::workload;

TEST_CASE("sequential keys count up from the first and wrap", "[workload]") {
    KeyConfig c;
    c.kind = KeyConfig::Kind::sequential;
    c.keys = 5;
    c.first = 3;
    KeyChooser keys(c);
    sim::RngStream rng(1);
    std::vector<std::int64_t> got;
    for (int i = 0; i < 7; ++i) got.push_back(keys.next(rng));
    CHECK(got == std::vector<std::int64_t>{3, 4, 0, 1, 2, 3, 4});
}

TEST_CASE("a key list is drawn from, and only from, its keys", "[workload]") {
    KeyConfig c;
    c.kind = KeyConfig::Kind::list;
    c.list = {-7, 42, 1'000'000'000'000};
    KeyChooser keys(c);
    sim::RngStream rng(2);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 1000; ++i) seen.insert(keys.next(rng));
    CHECK(seen == std::set<std::int64_t>{-7, 42, 1'000'000'000'000});
}

TEST_CASE("uniform keys cover the key space", "[workload]") {
    KeyConfig c;
    c.keys = 50;
    KeyChooser keys(c);
    sim::RngStream rng(3);
    std::set<std::int64_t> seen;
    for (int i = 0; i < 5000; ++i) {
        const auto k = keys.next(rng);
        REQUIRE(k >= 0);
        REQUIRE(k < 50);
        seen.insert(k);
    }
    CHECK(seen.size() == 50);
}

TEST_CASE("mix thresholds: shares at 1e-6 resolution, the last entry closes the range", "[workload]") {
    CHECK(mix_thresholds({900'000, 100'000}) == std::vector<std::uint64_t>{900'000, 1'000'000});
    CHECK(mix_thresholds({1, 1, 1}) == std::vector<std::uint64_t>{333'333, 666'667, 1'000'000});
    CHECK(mix_thresholds({0, 5}) == std::vector<std::uint64_t>{0, 1'000'000});
}

TEST_CASE("batches over keys draw the further keys; rows batches and row writes draw a row", "[workload]") {
    ShapeConfig shape;
    shape.keys.keys = 1000;
    shape.rows_per_partition = 20;
    OperationShape batch;
    batch.operation = Operation::batch;
    batch.statements = 4;
    shape.operations = {batch};
    RequestShaper keys(shape, sim::RngStream(1), sim::RngStream(2));
    WorkloadRequest r;
    keys.fill(r);
    CHECK(r.operation == Operation::batch);
    CHECK(r.more_keys.size() == 3);
    shape.operations[0].rows = true;
    RequestShaper rows(shape, sim::RngStream(1), sim::RngStream(2));
    for (int i = 0; i < 100; ++i) {
        rows.fill(r);
        CHECK(r.more_keys.empty());
        CHECK(r.row >= 0);
        CHECK(r.row < 20);
    }
}
