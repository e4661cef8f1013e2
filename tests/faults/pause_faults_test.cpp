// client_pause end to end: the paused client's latencies include the pause, the other
// client's do not.
#include "tests/faults/fault_world.hpp"

#include <algorithm>

using namespace routelab;
using test::WorldRun;

TEST_CASE("client_pause: that client's requests wait out the pause, the other client is unaffected") {
    WorldRun run(test::three_nodes(R"(
[workload]
rate_per_s = 400
arrivals = "constant"
duration_s = 3
consistency = "QUORUM"
[driver]
request_timeout_ms = 2000
[[clients]]
name = "app"
[[clients]]
name = "batch"
[[faults]]
action = "client_pause"
at_s = 1.003
duration_s = 0.6
client = "app"
)"));
    run.run();
    REQUIRE(run.record.faults.size() == 1);
    CHECK(run.record.faults[0].description == "pause client app");
    CHECK(run.record.faults[0].end_s == Approx(1.603));
    double app_max = 0, batch_max = 0;
    std::size_t app_issued_in_pause = 0, app_ok = 0, app_burst = 0;
    for (const auto& e : run.log.ended) {
        const double latency = e.ended_s - e.issued_s;
        if (e.client == "app") {
            app_max = std::max(app_max, latency);
            if (e.issued_s > 1.003 + 1e-6 && e.issued_s < 1.603 - 1e-6) ++app_issued_in_pause;
            if (e.error == checks::ErrorKind::none) ++app_ok;
            if (e.issued_s >= 1.603 - 1e-6 && e.issued_s < 1.604) ++app_burst;
        } else {
            batch_max = std::max(batch_max, latency);
        }
        CHECK(e.error == checks::ErrorKind::none);
    }
    INFO("app max " << app_max << " s, batch max " << batch_max << " s");
    // Requests in flight when the pause began (the one issued at 1.0025 s, 200/s evenly
    // spaced from 2.5 ms) end when it ends.
    CHECK(app_max > 0.55);
    CHECK(app_max < 0.7);
    CHECK(batch_max < 0.05);
    // Nothing is issued while paused: the arrivals due then (constant arrivals keep their
    // schedule) go out at the resume, within a millisecond — 0.6 s of 200/s.
    CHECK(app_issued_in_pause == 0);
    CHECK(app_burst > 100);
    CHECK(app_ok > 590);
    REQUIRE(run.record.clients.size() == 2);
    CHECK(run.record.clients[0].latency_ns.max() > 550'000'000);
    CHECK(run.record.clients[1].latency_ns.max() < 50'000'000);
}
