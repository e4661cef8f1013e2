// Examples of SimNetwork honouring the Network/Stream contract (sim/net/network.hpp):
// accept before connected, refused connects, in-order bytes after the configured latency,
// close after pending bytes, destroying a Stream closes it, handlers that close their own
// stream, and same seed => same trace hash. Constant latencies make every time exact.
#include <catch2/catch.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/endpoint.hpp"
#include "sim/net/link_model.hpp"
#include "sim/net/sim_network.hpp"

using namespace routelab;
using net::CloseReason;
using net::Endpoint;
using net::StreamPtr;
using sim::Duration;
using sim::Time;

namespace {

constexpr std::int64_t latency_us = 100;
const Duration latency = Duration::from_us(latency_us);

net::LinkLatencies constant_latencies(double us) {
    net::LinkLatencies l;
    l.same_host = sim::Distribution{sim::dist::Constant{us}};
    l.same_rack = sim::Distribution{sim::dist::Constant{us}};
    l.same_dc = sim::Distribution{sim::dist::Constant{us}};
    l.cross_dc = sim::Distribution{sim::dist::Constant{us}};
    return l;
}

std::span<const std::uint8_t> bytes_of(const std::string& s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
std::string text_of(std::span<const std::uint8_t> b) { return {b.begin(), b.end()}; }

const Endpoint client_host{net::ipv4(127, 0, 0, 1), 0};
const Endpoint server{net::ipv4(127, 0, 0, 2), 9042};

// A world with a scheduler, a trace and a network; `links` defaults to 100 us everywhere.
struct World {
    sim::SimScheduler scheduler;
    sim::Trace trace;
    net::SimNetwork network;
    explicit World(std::uint64_t seed = 1, net::LinkLatencies links = constant_latencies(latency_us))
        : network(scheduler, sim::Rng(seed).stream("net"), trace, net::LinkModel(std::move(links))) {}

    // Connects a client to a listening server and runs until both ends hold their stream.
    // (Out parameters: clang 14 cannot capture structured bindings in lambdas.)
    void connected_pair(StreamPtr& connected, StreamPtr& accepted) {
        REQUIRE(network.listen(server, [&accepted](StreamPtr s) { accepted = std::move(s); }));
        network.connect(client_host, server, [&connected](StreamPtr s, CloseReason) { connected = std::move(s); });
        scheduler.run();
        REQUIRE(accepted);
        REQUIRE(connected);
    }
};

}  // namespace

TEST_CASE("endpoint: formatting and parsing", "[net][endpoint]") {
    CHECK(Endpoint{net::ipv4(127, 0, 0, 2), 9042}.to_string() == "127.0.0.2:9042");
    CHECK(net::format_ipv4(net::ipv4(10, 1, 255, 0)) == "10.1.255.0");
    CHECK(net::parse_ipv4("192.168.0.1") == net::ipv4(192, 168, 0, 1));
    CHECK_FALSE(net::parse_ipv4("256.1.1.1"));
    CHECK_FALSE(net::parse_ipv4("1.2.3"));
    CHECK_FALSE(net::parse_ipv4("1.2.3.4.5"));
    CHECK_FALSE(net::parse_ipv4("1.2.3.4 "));
    CHECK_FALSE(net::parse_ipv4(""));
    CHECK_FALSE(net::parse_ipv4("a.b.c.d"));
}

TEST_CASE("link model: proximity classes", "[net][link]") {
    net::LinkModel links(constant_latencies(1));
    links.place(1, {"dc1", "r1"});
    links.place(2, {"dc1", "r1"});
    links.place(3, {"dc1", "r2"});
    links.place(4, {"dc2", "r1"});
    CHECK(links.proximity(1, 1) == net::Proximity::same_host);
    CHECK(links.proximity(1, 2) == net::Proximity::same_rack);
    CHECK(links.proximity(1, 3) == net::Proximity::same_dc);
    CHECK(links.proximity(1, 4) == net::Proximity::cross_dc);
    CHECK(links.proximity(1, 99) == net::Proximity::same_dc);  // unplaced host
}

TEST_CASE("sim network: connect to a listener runs accept, then connected", "[net]") {
    World w;
    std::vector<std::string> events;
    StreamPtr accepted;
    StreamPtr connected;
    REQUIRE(w.network.listen(server, [&](StreamPtr s) {
        events.push_back("accept");
        CHECK(w.scheduler.now() == Time::zero() + latency);  // SYN took one latency
        CHECK(s->local() == server);
        CHECK(s->remote().ip == client_host.ip);
        accepted = std::move(s);
    }));
    CHECK_FALSE(w.network.listen(server, [](StreamPtr) {}));  // taken
    w.network.connect(client_host, server, [&](StreamPtr s, CloseReason) {
        events.push_back("connected");
        CHECK(w.scheduler.now() == Time::zero() + latency * 2);  // SYN + SYN-ACK
        REQUIRE(s);
        CHECK(s->open());
        CHECK(s->remote() == server);
        CHECK(s->local().ip == client_host.ip);
        CHECK(s->local().port != 0);  // an ephemeral port was picked
        connected = std::move(s);
    });
    CHECK(events.empty());  // nothing runs inside connect
    w.scheduler.run();
    CHECK(events == std::vector<std::string>{"accept", "connected"});
    REQUIRE(accepted);
    REQUIRE(connected);
    CHECK(accepted->remote() == connected->local());
    CHECK(w.network.connections_opened() == 1);
}

TEST_CASE("sim network: an accept handler may unlisten while it runs", "[net]") {
    World w;
    std::vector<StreamPtr> accepted;
    const std::string marker(200, 'y');  // heap state used after unlisten
    std::string seen;
    REQUIRE(w.network.listen(server, [&w, &accepted, &seen, marker](StreamPtr s) {
        w.network.unlisten(server);  // accept one connection only
        seen = marker;
        accepted.push_back(std::move(s));
    }));
    std::vector<CloseReason> results;
    for (int i = 0; i < 2; ++i) {
        w.network.connect(client_host, server, [&results](StreamPtr s, CloseReason reason) {
            results.push_back(s ? CloseReason::local_close : reason);
        });
        w.scheduler.run();
    }
    CHECK(seen == marker);
    CHECK(accepted.size() == 1);
    CHECK(results == std::vector<CloseReason>{CloseReason::local_close, CloseReason::refused});
}

TEST_CASE("sim network: no listener means refused", "[net]") {
    World w;
    bool called = false;
    w.network.connect(client_host, server, [&](StreamPtr s, CloseReason reason) {
        called = true;
        CHECK(s == nullptr);
        CHECK(reason == CloseReason::refused);
        CHECK(w.scheduler.now() == Time::zero() + latency * 2);
    });
    w.scheduler.run();
    CHECK(called);

    // After unlisten, connects are refused again.
    World w2;
    REQUIRE(w2.network.listen(server, [](StreamPtr) {}));
    w2.network.unlisten(server);
    CloseReason got = CloseReason::local_close;
    w2.network.connect(client_host, server, [&](StreamPtr s, CloseReason reason) {
        CHECK(s == nullptr);
        got = reason;
    });
    w2.scheduler.run();
    CHECK(got == CloseReason::refused);
}

TEST_CASE("sim network: bytes arrive in order after the latency", "[net]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    std::string received;
    std::vector<Time> arrivals;
    srv->on_data([&](std::span<const std::uint8_t> b) {
        received += text_of(b);
        arrivals.push_back(w.scheduler.now());
    });
    const Time sent_at = w.scheduler.now();
    client->write(bytes_of("hello "));
    client->write(bytes_of("world"));
    CHECK(received.empty());  // never delivered inside write
    w.scheduler.run();
    CHECK(received == "hello world");
    REQUIRE_FALSE(arrivals.empty());
    for (Time t : arrivals) CHECK(t == sent_at + latency);
    CHECK(w.network.bytes_delivered() == 11);

    // And back, with a later send time.
    std::string back;
    Time back_at;
    client->on_data([&](std::span<const std::uint8_t> b) {
        back += text_of(b);
        back_at = w.scheduler.now();
    });
    w.scheduler.after(Duration::from_us(7), [&, s = srv.get()] { s->write(bytes_of("pong")); });
    const Time before = w.scheduler.now();
    w.scheduler.run();
    CHECK(back == "pong");
    CHECK(back_at == before + Duration::from_us(7) + latency);
}

TEST_CASE("sim network: server bytes sent on accept reach the client", "[net]") {
    // The server writes from inside its accept handler, before the client's connect
    // completed: the bytes must not overtake the completion and get lost.
    World w;
    StreamPtr accepted;
    StreamPtr connected;
    std::string received;
    REQUIRE(w.network.listen(server, [&](StreamPtr s) {
        s->write(bytes_of("banner"));
        accepted = std::move(s);
    }));
    w.network.connect(client_host, server, [&](StreamPtr s, CloseReason) {
        REQUIRE(s);
        s->on_data([&](std::span<const std::uint8_t> b) { received += text_of(b); });
        connected = std::move(s);
    });
    w.scheduler.run();
    CHECK(received == "banner");
}

TEST_CASE("sim network: many writes with random latencies arrive in order", "[net]") {
    net::LinkLatencies jittery;
    jittery.same_dc = sim::Distribution{sim::dist::Exponential{50.0}};
    World w(7, jittery);
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    std::string expected;
    std::string received;
    std::string echoed;
    std::string echo_expected;
    srv->on_data([&, s = srv.get()](std::span<const std::uint8_t> b) {
        received += text_of(b);
        s->write(b);  // echo back
    });
    client->on_data([&](std::span<const std::uint8_t> b) { echoed += text_of(b); });
    sim::RngStream pick = sim::Rng(3).stream("writes");
    for (int i = 0; i < 2000; ++i) {
        std::string chunk(static_cast<std::size_t>(1 + pick.below(40)), static_cast<char>('a' + i % 26));
        chunk += std::to_string(i);
        expected += chunk;
        // Writes at scattered times, often several at the same instant.
        client->write(bytes_of(chunk));
        if (i % 10 == 0) w.scheduler.run_until(w.scheduler.now() + Duration::from_us(static_cast<std::int64_t>(pick.below(100))));
    }
    w.scheduler.run();
    CHECK(received.size() == expected.size());
    CHECK(received == expected);
    CHECK(echoed == expected);
}

TEST_CASE("sim network: close reaches the other side after pending bytes", "[net]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    std::vector<std::string> log;
    Time closed_at;
    srv->on_data([&](std::span<const std::uint8_t> b) { log.push_back("data:" + text_of(b)); });
    srv->on_close([&](CloseReason reason) {
        log.push_back(std::string("close:") + net::to_string(reason));
        closed_at = w.scheduler.now();
    });
    const Time t0 = w.scheduler.now();
    client->write(bytes_of("last words"));
    client->close();
    CHECK_FALSE(client->open());
    CHECK(srv->open());  // the peer learns of the close only after a latency
    client->write(bytes_of("ignored"));  // writing on a closed stream is a no-op
    w.scheduler.run();
    CHECK(log == std::vector<std::string>{"data:last words", "close:closed by peer"});
    CHECK(closed_at == t0 + latency);
    CHECK_FALSE(srv->open());
    // Closing both ends again is harmless.
    client->close();
    srv->close();
    w.scheduler.run();
}

TEST_CASE("sim network: after the close handler ran, no handler runs again", "[net]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    int data_calls = 0;
    int close_calls = 0;
    client->on_data([&](std::span<const std::uint8_t>) { ++data_calls; });
    client->on_close([&](CloseReason) { ++close_calls; });
    srv->close();
    w.scheduler.run();
    CHECK(close_calls == 1);
    srv->write(bytes_of("too late"));
    w.scheduler.run();
    CHECK(data_calls == 0);
    CHECK(close_calls == 1);
}

TEST_CASE("sim network: destroying a Stream closes it", "[net]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    CloseReason reason = CloseReason::local_close;
    int closes = 0;
    std::string got;
    srv->on_data([&](std::span<const std::uint8_t> b) { got += text_of(b); });
    srv->on_close([&](CloseReason r) {
        reason = r;
        ++closes;
    });
    client->write(bytes_of("bye"));
    client.reset();
    w.scheduler.run();
    CHECK(got == "bye");
    CHECK(closes == 1);
    CHECK(reason == CloseReason::peer_close);
}

TEST_CASE("sim network: a handler may close or destroy its own stream inside on_data", "[net]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    // The handler owns heap state (a long string capture) and uses it after closing, so a
    // handler destroyed while it runs would be a use after free (caught under ASan).
    const std::string marker(200, 'x');
    std::string seen;
    int client_closes = 0;
    srv->on_data([&seen, &srv, marker](std::span<const std::uint8_t> b) {
        srv->close();
        seen = text_of(b) + marker;
        srv->write(bytes_of("after close"));  // ignored
    });
    client->on_close([&](CloseReason) { ++client_closes; });
    client->write(bytes_of("one"));
    client->write(bytes_of("two"));
    w.scheduler.run();
    CHECK(seen == "onetwo" + marker);
    CHECK(client_closes == 1);
    CHECK_FALSE(srv->open());

    // Destroying the stream from inside its own handler.
    World w2;
    StreamPtr c2;
    StreamPtr s2;
    w2.connected_pair(c2, s2);
    std::string seen2;
    s2->on_data([&seen2, &s2, marker](std::span<const std::uint8_t> b) {
        s2.reset();
        seen2 = text_of(b) + marker;
    });
    c2->write(bytes_of("abc"));
    w2.scheduler.run();
    w2.scheduler.run_until(w2.scheduler.now() + Duration::from_ms(1));
    c2->write(bytes_of("more"));
    w2.scheduler.run();
    CHECK(seen2 == "abc" + marker);
    CHECK(s2 == nullptr);

    // A close handler that destroys its stream.
    World w3;
    StreamPtr c3;
    StreamPtr s3;
    w3.connected_pair(c3, s3);
    int closes3 = 0;
    s3->on_close([&closes3, &s3, marker](CloseReason) {
        s3.reset();
        closes3 += static_cast<int>(marker.size());
    });
    c3->close();
    w3.scheduler.run();
    CHECK(closes3 == 200);
}

TEST_CASE("sim network: a handler may replace itself inside on_data", "[net]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    std::vector<std::string> log;
    srv->on_data([&log, &srv](std::span<const std::uint8_t> b) {
        log.push_back("first:" + text_of(b));
        srv->on_data([&log](std::span<const std::uint8_t> b2) { log.push_back("second:" + text_of(b2)); });
    });
    client->write(bytes_of("a"));
    w.scheduler.run();
    client->write(bytes_of("b"));
    w.scheduler.run();
    CHECK(log == std::vector<std::string>{"first:a", "second:b"});
}

TEST_CASE("sim network: server closing at once on accept", "[net]") {
    World w;
    StreamPtr connected;
    std::vector<std::string> log;
    REQUIRE(w.network.listen(server, [](StreamPtr s) { s->close(); }));
    w.network.connect(client_host, server, [&](StreamPtr s, CloseReason reason) {
        if (s == nullptr) {
            log.push_back(std::string("failed:") + net::to_string(reason));
            return;
        }
        log.push_back("connected");
        s->on_close([&log](CloseReason r) { log.push_back(std::string("close:") + net::to_string(r)); });
        connected = std::move(s);
    });
    w.scheduler.run();
    // The accept happened, so the connect completes and the close follows it.
    CHECK(log == std::vector<std::string>{"connected", "close:closed by peer"});
}

namespace {

// A scripted exchange over random (lognormal) latencies: three clients each send a few
// requests; the server answers each one. Returns the trace hash.
std::uint64_t scripted_exchange(std::uint64_t seed) {
    net::LinkLatencies links;  // defaults: lognormal same_dc etc.
    World w(seed, links);
    w.network.links().place(server.ip, {"dc1", "r1"});
    std::vector<StreamPtr> server_side;
    std::vector<StreamPtr> clients;
    REQUIRE(w.network.listen(server, [&](StreamPtr s) {
        net::Stream* raw = s.get();
        s->on_data([raw](std::span<const std::uint8_t> b) {
            std::string reply = "re:" + text_of(b);
            raw->write(bytes_of(reply));
        });
        server_side.push_back(std::move(s));
    }));
    int replies = 0;
    for (std::uint8_t i = 0; i < 3; ++i) {
        const Endpoint from{net::ipv4(127, 0, 1, static_cast<std::uint8_t>(i + 1)), 0};
        w.network.links().place(from.ip, {"dc1", i == 0 ? "r1" : "r2"});
        w.network.connect(from, server, [&, i](StreamPtr s, CloseReason) {
            REQUIRE(s);
            s->on_data([&replies](std::span<const std::uint8_t>) { ++replies; });
            for (int k = 0; k < 4; ++k) s->write(bytes_of("q" + std::to_string(i) + std::to_string(k)));
            clients.push_back(std::move(s));
        });
    }
    w.scheduler.run();
    CHECK(replies > 0);
    for (auto& c : clients) c->close();
    w.scheduler.run();
    return w.trace.hash();
}

}  // namespace

TEST_CASE("sim network: same seed gives the same trace hash, another seed another", "[net][determinism]") {
    const std::uint64_t a = scripted_exchange(11);
    const std::uint64_t b = scripted_exchange(11);
    const std::uint64_t c = scripted_exchange(12);
    INFO("hashes " << sim::format_hash(a) << " " << sim::format_hash(b) << " " << sim::format_hash(c));
    CHECK(a == b);
    CHECK(a != c);
}

TEST_CASE("sim network: bytes wait until a data handler is installed", "[net]") {
    // A socket buffers what arrives before the application reads; so does SimNetwork: bytes
    // due while an open end has no data handler are held, not dropped, and handed over (in
    // order, from an event) once a handler is installed.
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);  // no on_data on either end yet
    client->write(bytes_of("early "));
    client->write(bytes_of("bird"));
    w.scheduler.run_until(w.scheduler.now() + Duration::from_ms(5));
    CHECK(w.network.bytes_delivered() == 0);
    std::string got;
    std::vector<Time> at;
    srv->on_data([&](std::span<const std::uint8_t> b) {
        got += text_of(b);
        at.push_back(w.scheduler.now());
    });
    CHECK(got.empty());  // never from inside on_data()
    const Time installed = w.scheduler.now();
    client->write(bytes_of(" then more"));
    w.scheduler.run();
    CHECK(got == "early bird then more");
    REQUIRE(at.size() == 2);
    CHECK(at[0] == installed);
    CHECK(at[1] == installed + latency);

    // A reader can pause by clearing its handler, and resume later without losing bytes.
    std::string paused_got;
    client->on_data([&](std::span<const std::uint8_t> b) {
        paused_got += text_of(b);
        client->on_data(nullptr);  // pause after the first delivery
    });
    srv->write(bytes_of("1"));
    w.scheduler.run();
    srv->write(bytes_of("2"));
    w.scheduler.run();
    srv->write(bytes_of("3"));
    w.scheduler.run();
    CHECK(paused_got == "1");
    client->on_data([&](std::span<const std::uint8_t> b) { paused_got += text_of(b); });
    w.scheduler.run();
    CHECK(paused_got == "123");
}

TEST_CASE("sim network: held bytes are dropped if the reader closes", "[net]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    int closes = 0;
    client->on_close([&](CloseReason) { ++closes; });
    client->write(bytes_of("never read"));
    w.scheduler.run();
    srv->close();
    w.scheduler.run();
    CHECK(closes == 1);
    CHECK(w.network.bytes_delivered() == 0);
}

TEST_CASE("sim network: reset_host resets both ends and drops undelivered bytes", "[net][faults]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    std::vector<std::string> log;
    std::string server_got;
    srv->on_data([&](std::span<const std::uint8_t> b) { server_got += text_of(b); });
    srv->on_close([&](CloseReason r) { log.push_back(std::string("server:") + net::to_string(r)); });
    client->on_close([&](CloseReason r) { log.push_back(std::string("client:") + net::to_string(r)); });
    client->write(bytes_of("in flight"));
    w.network.reset_host(client_host.ip);
    CHECK(log.empty());  // nothing runs inside reset_host
    CHECK_FALSE(client->open());
    w.scheduler.run();
    CHECK(server_got.empty());  // lost with the reset
    CHECK(log == std::vector<std::string>{"client:connection reset", "server:connection reset"});
    CHECK_FALSE(srv->open());
}

TEST_CASE("sim network: a stream destroyed before its reset notice never hears of it", "[net][faults]") {
    // The owner of a stream typically captures `this` in its close handler; once it
    // destroyed the stream (and itself), the handler must not run.
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    auto alive = std::make_shared<bool>(true);
    int late_calls = 0;
    client->on_close([&late_calls, alive](CloseReason) {
        if (!*alive) ++late_calls;
    });
    w.scheduler.after(Duration::from_us(1), [&] {
        w.network.reset_host(client_host.ip);
        client.reset();  // the owner goes away at the same instant
        *alive = false;
    });
    w.scheduler.run();
    CHECK(late_calls == 0);

    // A local close after the reset withdraws the notice too.
    StreamPtr c2;
    StreamPtr s2;
    REQUIRE(w.network.listen(Endpoint{server.ip, 9043}, [&s2](StreamPtr s) { s2 = std::move(s); }));
    w.network.connect(client_host, Endpoint{server.ip, 9043}, [&c2](StreamPtr s, CloseReason) { c2 = std::move(s); });
    w.scheduler.run();
    REQUIRE(c2);
    int calls = 0;
    c2->on_close([&calls](CloseReason) { ++calls; });
    w.network.reset_host(client_host.ip);
    c2->close();
    w.scheduler.run();
    CHECK(calls == 0);
}

TEST_CASE("sim network: a partition stalls bytes in order and refuses new connects", "[net][faults]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    std::string got;
    Time last_at;
    srv->on_data([&](std::span<const std::uint8_t> b) {
        got += text_of(b);
        last_at = w.scheduler.now();
    });
    client->write(bytes_of("a"));
    w.network.partition(client_host.ip, server.ip);
    client->write(bytes_of("b"));
    w.scheduler.run_until(w.scheduler.now() + Duration::from_ms(10));
    client->write(bytes_of("c"));
    CHECK(got.empty());
    // A new connect between the two hosts fails as unreachable after the connect timeout.
    bool unreachable = false;
    const Time connect_at = w.scheduler.now();
    Time failed_at;
    w.network.connect(client_host, server, [&](StreamPtr s, CloseReason r) {
        unreachable = s == nullptr && r == CloseReason::unreachable;
        failed_at = w.scheduler.now();
    });
    w.scheduler.run_until(w.scheduler.now() + Duration::from_s(2));
    CHECK(unreachable);
    CHECK(failed_at == connect_at + latency + net::SimNetwork::connect_timeout);
    CHECK(got.empty());
    const Time heal_at = w.scheduler.now();
    w.network.heal(client_host.ip, server.ip);
    w.scheduler.run();
    CHECK(got == "abc");
    CHECK(last_at == heal_at);
}

TEST_CASE("sim network: extra latency adds to the link, an unbounded one never delivers", "[net][faults]") {
    World w;
    StreamPtr client;
    StreamPtr srv;
    w.connected_pair(client, srv);
    std::string got;
    Time got_at;
    srv->on_data([&](std::span<const std::uint8_t> b) {
        got += text_of(b);
        got_at = w.scheduler.now();
    });
    w.network.set_extra_latency(server.ip, Duration::from_us(30));
    const Time sent = w.scheduler.now();
    client->write(bytes_of("x"));
    w.scheduler.run();
    CHECK(got_at == sent + latency + Duration::from_us(30));

    // Duration::max() extra latency (and a later send time) must saturate to "never", not
    // wrap around into the past and deliver at once.
    w.network.set_extra_latency(server.ip, Duration::max());
    client->write(bytes_of("y"));
    w.scheduler.run_until(w.scheduler.now() + Duration::from_s(3600));
    CHECK(got == "x");

    // The same for a latency distribution whose draws are huge (clamped to Duration::max()).
    World far(1, constant_latencies(1e30));
    far.scheduler.run_until(Time::from_ns(1'000));
    bool any = false;
    REQUIRE(far.network.listen(server, [&any](StreamPtr) { any = true; }));
    far.network.connect(client_host, server, [&any](StreamPtr, CloseReason) { any = true; });
    far.scheduler.run_until(Time::zero() + Duration::from_s(3600));
    CHECK_FALSE(any);
}
