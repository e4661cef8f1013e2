// Live-mode throughput figure (not a test): our C++ driver over the AsioNetwork keeps
// `--concurrency` prepared reads in flight against a cluster served by `routelab serve`
// on loopback for `--seconds`, and prints requests/s and latency percentiles.
//
//   ./build/routelab serve scenarios/quickstart.toml &      # 127.0.0.1..3:9042
//   ./build/bench/live/bench_live_load --seconds 5 --concurrency 256
//
// bench/live/run.sh does both. Single-threaded client (one io_context), like the server.
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "driver/policy/round_robin.hpp"
#include "driver/session/session.hpp"
#include "sim/core/histogram.hpp"
#include "sim/live/asio_network.hpp"
#include "sim/live/live_scheduler.hpp"

using namespace routelab;

namespace {

cql::Bytes key_bytes(std::int64_t key) {
    cql::Bytes k(8);
    for (int i = 0; i < 8; ++i) k[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(key) >> (56 - 8 * i));
    return k;
}

struct Load {
    live::LiveScheduler& scheduler;
    driver::Session& session;
    driver::PreparedPtr statement;
    std::int64_t keys = 10000;
    sim::Time end;
    std::uint64_t next_key = 0;
    std::uint64_t ok = 0;
    std::uint64_t errors = 0;
    std::uint64_t in_flight = 0;
    sim::LatencyHistogram latency_ns;
    std::vector<cql::Value> values{cql::Value::of(key_bytes(0))};

    void issue() {
        const auto key = static_cast<std::int64_t>(next_key++ % static_cast<std::uint64_t>(keys));
        values[0].bytes = key_bytes(key);
        ++in_flight;
        const sim::Time started = scheduler.now();
        session.execute(statement, values, cql::Consistency::one, [this, started](const driver::RequestResult& r) {
            --in_flight;
            if (r.outcome == driver::RequestOutcome::ok) ++ok;
            else ++errors;
            latency_ns.record((scheduler.now() - started).ns());
            if (scheduler.now() < end) issue();
        });
    }
};

}  // namespace

int main(int argc, char** argv) {
    CLI::App app{"Live-mode load client: prepared reads at fixed concurrency against routelab serve"};
    std::string contact = "127.0.0.1";
    std::uint16_t port = 9042;
    double seconds = 5;
    int concurrency = 256;
    int connections = 1;
    std::int64_t keys = 10000;
    std::string keyspace = "routelab", table = "kv";
    app.add_option("--contact", contact, "Contact point address");
    app.add_option("--port", port, "CQL port");
    app.add_option("--seconds", seconds, "Measured duration")->check(CLI::PositiveNumber);
    app.add_option("--concurrency", concurrency, "Requests kept in flight")->check(CLI::Range(1, 100000));
    app.add_option("--connections", connections, "Connections per node")->check(CLI::Range(1, 64));
    app.add_option("--keys", keys, "Distinct keys (written first, then read)")->check(CLI::Range(1, 10000000));
    app.add_option("--keyspace", keyspace, "Keyspace");
    app.add_option("--table", table, "Table (k bigint PRIMARY KEY, v blob)");
    CLI11_PARSE(app, argc, argv);
    const auto contact_ip = net::parse_ipv4(contact);
    if (!contact_ip) {
        fmt::print(stderr, "bad --contact {}\n", contact);
        return 2;
    }

    boost::asio::io_context io{1};
    live::LiveScheduler scheduler(io);
    live::AsioNetwork network(io);
    sim::Trace trace;
    sim::Rng rng(1);
    driver::SessionConfig config;
    config.contact_points.push_back({*contact_ip, port});
    config.policy = std::make_unique<driver::RoundRobinPolicy>();
    config.connections_per_node = connections;
    config.max_in_flight_per_connection = 2048;
    config.request_timeout = sim::Duration::from_s(5);
    driver::Session session(driver::Env{scheduler, network, trace, rng.stream("driver"), net::ipv4(127, 1, 0, 1)}, std::move(config));

    std::optional<bool> connected;
    session.connect([&](bool ok) { connected = ok; });
    if (!scheduler.run_until([&] { return connected.has_value(); }, sim::Duration::from_s(10)) || !*connected) {
        fmt::print(stderr, "cannot connect to {}:{}: {} (is `routelab serve` running?)\n", contact, port, session.last_error());
        return 1;
    }
    driver::PreparedPtr insert, select;
    std::string error;
    const std::string qualified = keyspace + "." + table;
    session.prepare("INSERT INTO " + qualified + " (k, v) VALUES (?, ?)", [&](driver::PreparedPtr p, const cql::Error* e) {
        insert = p;
        if (e) error = e->message;
    });
    session.prepare("SELECT v FROM " + qualified + " WHERE k = ?", [&](driver::PreparedPtr p, const cql::Error* e) {
        select = p;
        if (e) error = e->message;
    });
    if (!scheduler.run_until([&] { return (insert && select) || !error.empty(); }, sim::Duration::from_s(10)) || !insert || !select) {
        fmt::print(stderr, "prepare failed: {}\n", error);
        return 1;
    }

    // Write every key once (bounded concurrency), so the reads find rows.
    std::int64_t written = 0, write_errors = 0, issued = 0;
    std::vector<cql::Value> write_values{cql::Value::of(key_bytes(0)), cql::Value::of(cql::Bytes(64, 0x5a))};
    std::function<void()> write_next = [&] {
        if (issued >= keys) return;
        write_values[0].bytes = key_bytes(issued++);
        session.execute(insert, write_values, cql::Consistency::one, [&](const driver::RequestResult& r) {
            if (r.outcome == driver::RequestOutcome::ok) ++written;
            else ++write_errors;
            write_next();
        });
    };
    for (int i = 0; i < std::min<std::int64_t>(concurrency, keys); ++i) write_next();
    if (!scheduler.run_until([&] { return written + write_errors == keys; }, sim::Duration::from_s(60))) {
        fmt::print(stderr, "loading {} keys did not finish within 60 s\n", keys);
        return 1;
    }

    Load load{scheduler, session, select, keys, {}, 0, 0, 0, 0, {}, {cql::Value::of(key_bytes(0))}};
    // Warm-up of 0.5 s, not counted.
    load.end = scheduler.now() + sim::Duration::from_ms(500);
    for (int i = 0; i < concurrency; ++i) load.issue();
    scheduler.run_until([&] { return load.in_flight == 0; }, sim::Duration::from_s(10));
    load.ok = load.errors = 0;
    load.latency_ns.clear();

    const sim::Time start = scheduler.now();
    load.end = start + sim::Duration::from_ns(static_cast<std::int64_t>(seconds * 1e9));
    for (int i = 0; i < concurrency; ++i) load.issue();
    scheduler.run_until([&] { return load.in_flight == 0; }, sim::Duration::from_ns(static_cast<std::int64_t>(seconds * 1e9)) + sim::Duration::from_s(10));
    const double elapsed_s = (scheduler.now() - start).seconds();
    fmt::print("live prepared reads: {} ok, {} errors in {:.2f} s = {:.0f} req/s (concurrency {}, {} connection(s)/node, "
               "{} nodes); latency p50 {:.0f} us, p99 {:.0f} us, max {:.0f} us; {} keys loaded ({} write errors)\n",
               load.ok, load.errors, elapsed_s, static_cast<double>(load.ok) / elapsed_s, concurrency, connections,
               session.cluster().nodes.size(), static_cast<double>(load.latency_ns.quantile(0.5)) / 1e3,
               static_cast<double>(load.latency_ns.quantile(0.99)) / 1e3, static_cast<double>(load.latency_ns.max()) / 1e3,
               written, write_errors);
    return load.errors == 0 ? 0 : 1;
}
