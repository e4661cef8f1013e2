// Examples for the small core types: Time/Duration arithmetic, SmallFunction moves and
// lifetimes, Trace hashing (same events same hash, any change a different hash), and a few
// fixed scheduler cases (ties, past times, cancel from inside an event).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/distributions.hpp"
#include "sim/core/sim_scheduler.hpp"
#include "sim/core/small_function.hpp"
#include "sim/core/time.hpp"
#include "sim/core/trace.hpp"

using namespace routelab::sim;
using namespace routelab::sim::literals;

TEST_CASE("time: Duration constructors and units", "[time]") {
    STATIC_REQUIRE(Duration::from_us(3).ns() == 3'000);
    STATIC_REQUIRE(Duration::from_ms(3).ns() == 3'000'000);
    STATIC_REQUIRE(Duration::from_s(3).ns() == 3'000'000'000);
    STATIC_REQUIRE((5_ms).ns() == 5'000'000);
    STATIC_REQUIRE((7_us + 3_ns).ns() == 7'003);
    STATIC_REQUIRE(Duration{}.ns() == 0);
    CHECK(Duration::from_ms(1500).seconds() == Approx(1.5));
    CHECK(Duration::from_us(1500).ms() == Approx(1.5));
    CHECK(Duration::from_ns(1500).us() == Approx(1.5));
    CHECK(Duration::from_s(-2).ns() == -2'000'000'000);
}

TEST_CASE("time: Duration arithmetic and ordering", "[time]") {
    Duration d = 10_ms;
    d += 5_ms;
    CHECK(d == 15_ms);
    d -= 20_ms;
    CHECK(d == Duration::from_ms(-5));
    CHECK(10_ms * 3 == 30_ms);
    CHECK(10_ms / 4 == 2500_us);
    CHECK(10_ms - 10_ms == Duration{});
    CHECK(1_ns < 1_us);
    CHECK(1_s > 999_ms);
    CHECK(Duration::max() > 1'000'000_s);
    CHECK(1_s == 1000_ms);
}

TEST_CASE("time: Time arithmetic and ordering", "[time]") {
    const Time t0 = Time::zero();
    const Time t1 = t0 + 250_us;
    CHECK(t1.ns() == 250'000);
    CHECK(t1 - t0 == 250_us);
    CHECK(t0 - t1 == Duration::from_us(-250));
    CHECK(t1 - 50_us == Time::from_ns(200'000));
    Time t = t1;
    t += 1_s;
    CHECK(t.seconds() == Approx(1.00025));
    CHECK(t > t1);
    CHECK(Time::max() > t);
    CHECK(Time{} == Time::zero());
    CHECK(Time::from_ns(5) <= Time::from_ns(5));
}

TEST_CASE("time: arithmetic saturates instead of overflowing", "[time]") {
    // Duration::max() / Time::max() mean "never"; adding to them must stay "never" rather
    // than wrap into the past (a clamped huge latency draw plus extra latency, now + max).
    STATIC_REQUIRE(Time::from_ns(5) + Duration::max() == Time::max());
    STATIC_REQUIRE(Time::max() + 1_ns == Time::max());
    STATIC_REQUIRE(Duration::max() + 1_s == Duration::max());
    STATIC_REQUIRE(Duration::max() * 2 == Duration::max());
    STATIC_REQUIRE(Duration::from_s(std::numeric_limits<std::int64_t>::max() / 10) == Duration::max());
    STATIC_REQUIRE((Duration::max() * -2).ns() == std::numeric_limits<std::int64_t>::min());
    STATIC_REQUIRE((Duration{} - Duration::max() - 5_ns).ns() == std::numeric_limits<std::int64_t>::min());
    STATIC_REQUIRE(Time::from_ns(-5) - Duration::max() == Time::from_ns(std::numeric_limits<std::int64_t>::min()));
    STATIC_REQUIRE(Time::max() - Time::from_ns(-1) == Duration::max());
    Time t = Time::from_ns(1);
    t += Duration::max();
    CHECK(t == Time::max());
    Duration d = Duration::max();
    d += 1_ns;
    CHECK(d == Duration::max());
    d = Duration::from_ns(std::numeric_limits<std::int64_t>::min());
    d -= 1_ns;
    CHECK(d.ns() == std::numeric_limits<std::int64_t>::min());
    // Ordinary values are untouched.
    STATIC_REQUIRE((Time::from_ns(-7) + 10_ns).ns() == 3);
    STATIC_REQUIRE((3_ns - 10_ns).ns() == -7);

    // A "never" delay from a later instant stays in the future.
    SimScheduler s;
    s.run_until(Time::from_ns(1'000));
    bool ran = false;
    s.after(Duration::max(), [&ran] { ran = true; });
    CHECK(s.run_until(Time::from_ns(1'000'000'000'000)) == RunStatus::reached_time_limit);
    CHECK_FALSE(ran);
}

namespace {
// Counts live copies, so moves that leak or double-destroy show up.
struct Tracked {
    static inline int live = 0;
    static inline int calls = 0;
    int payload;
    explicit Tracked(int p) : payload(p) { ++live; }
    Tracked(Tracked&& other) noexcept : payload(other.payload) { ++live; }
    Tracked(const Tracked&) = delete;
    ~Tracked() { --live; }
    int operator()(int x) {
        ++calls;
        return payload + x;
    }
};
}  // namespace

TEST_CASE("small_function: empty, call, move construct and move assign", "[small_function]") {
    Tracked::live = 0;
    {
        SmallFunction<int(int)> empty;
        CHECK_FALSE(empty);

        SmallFunction<int(int)> f{Tracked{10}};
        CHECK(f);
        CHECK(Tracked::live == 1);
        CHECK(f(5) == 15);

        SmallFunction<int(int)> g{std::move(f)};
        CHECK_FALSE(f);  // NOLINT(bugprone-use-after-move): moved-from state is specified
        CHECK(g);
        CHECK(Tracked::live == 1);
        CHECK(g(1) == 11);

        SmallFunction<int(int)> h{Tracked{100}};
        CHECK(Tracked::live == 2);
        h = std::move(g);  // destroys h's old callable
        CHECK(Tracked::live == 1);
        CHECK(h(1) == 11);
        CHECK_FALSE(g);  // NOLINT(bugprone-use-after-move)

        // Moving from an empty one leaves the target empty (and destroys its old callable).
        h = SmallFunction<int(int)>{};
        CHECK_FALSE(h);
        CHECK(Tracked::live == 0);

        h = SmallFunction<int(int)>{Tracked{7}};
        h.reset();
        CHECK_FALSE(h);
        CHECK(Tracked::live == 0);
        h.reset();  // twice is harmless

        SmallFunction<int(int)> last{Tracked{1}};
        CHECK(Tracked::live == 1);
    }
    CHECK(Tracked::live == 0);
}

TEST_CASE("small_function: captures, move-only captures, references and return values", "[small_function]") {
    auto owned = std::make_unique<int>(41);
    SmallFunction<int()> f{[p = std::move(owned)] { return *p + 1; }};
    CHECK(f() == 42);
    SmallFunction<int()> g = std::move(f);
    CHECK(g() == 42);

    int counter = 0;
    SmallFunction<void(int&)> inc{[](int& x) { ++x; }};
    inc(counter);
    inc(counter);
    CHECK(counter == 2);

    std::string text;
    SmallFunction<void(std::string)> append{[&text](std::string s) { text += s; }};
    append("ab");
    append(std::string(100, 'c'));
    CHECK(text.size() == 102);

    // Capacity is a compile-time contract: a 48-byte capture fits the default EventFn.
    struct Big {
        char bytes[40];
        int* out;
        void operator()() const { *out = bytes[0]; }
    };
    int out = 0;
    Big big{};
    big.bytes[0] = 9;
    big.out = &out;
    EventFn e{big};
    e();
    CHECK(out == 9);
    STATIC_REQUIRE(sizeof(Big) <= 48);
}

TEST_CASE("small_function: a moved vector of callables keeps them all", "[small_function]") {
    Tracked::live = 0;
    Tracked::calls = 0;
    {
        std::vector<SmallFunction<int(int)>> fns;
        for (int i = 0; i < 100; ++i) fns.emplace_back(Tracked{i});  // reallocations move them
        CHECK(Tracked::live == 100);
        int sum = 0;
        for (auto& fn : fns) sum += fn(0);
        CHECK(sum == 4950);
        CHECK(Tracked::calls == 100);
        fns.erase(fns.begin(), fns.begin() + 50);
        CHECK(Tracked::live == 50);
    }
    CHECK(Tracked::live == 0);
}

TEST_CASE("trace: the same events give the same hash", "[trace]") {
    auto run = [] {
        Trace t;
        t.record(Time::from_ns(10), TraceKind::connect, 1, 2);
        t.record(Time::from_ns(20), TraceKind::bytes_sent, 3, 100);
        t.record(Time::from_ns(30), TraceKind::close);
        return t;
    };
    const Trace a = run();
    const Trace b = run();
    CHECK(a.hash() == b.hash());
    CHECK(a.events() == 3);
    CHECK(format_hash(a.hash()) == format_hash(b.hash()));
    CHECK(format_hash(a.hash()).size() == 16);
    CHECK(format_hash(0) == "0000000000000000");
    CHECK(format_hash(0xdeadbeefULL) == "00000000deadbeef");
    // An empty trace has a fixed starting value too.
    CHECK(Trace{}.hash() == Trace{}.hash());
    CHECK(Trace{}.events() == 0);
}

TEST_CASE("trace: any change gives a different hash", "[trace]") {
    const TraceEvent base[] = {
        {Time::from_ns(10), TraceKind::connect, 1, 2},
        {Time::from_ns(20), TraceKind::bytes_sent, 3, 100},
        {Time::from_ns(30), TraceKind::close, 0, 0},
    };
    auto hash_of = [](const std::vector<TraceEvent>& events) {
        Trace t;
        for (const auto& e : events) t.record(e.when, e.kind, e.a, e.b);
        return t.hash();
    };
    const std::vector<TraceEvent> original(std::begin(base), std::end(base));
    const std::uint64_t h = hash_of(original);

    std::vector<std::vector<TraceEvent>> variants;
    for (std::size_t i = 0; i < original.size(); ++i) {
        auto v = original;
        v[i].when = v[i].when + Duration::from_ns(1);
        variants.push_back(v);
        v = original;
        v[i].kind = v[i].kind == TraceKind::custom ? TraceKind::fault : TraceKind::custom;
        variants.push_back(v);
        v = original;
        v[i].a ^= 1;
        variants.push_back(v);
        v = original;
        v[i].b += 1;
        variants.push_back(v);
        v = original;
        v.erase(v.begin() + static_cast<std::ptrdiff_t>(i));
        variants.push_back(v);
    }
    auto swapped = original;
    std::swap(swapped[0], swapped[1]);
    variants.push_back(swapped);
    auto longer = original;
    longer.push_back(original.back());
    variants.push_back(longer);
    // Moving a value between fields must not cancel out.
    auto moved = original;
    std::swap(moved[1].a, moved[1].b);
    variants.push_back(moved);

    std::vector<std::uint64_t> hashes{h};
    for (const auto& v : variants) {
        const std::uint64_t other = hash_of(v);
        CHECK(other != h);
        hashes.push_back(other);
    }
    std::sort(hashes.begin(), hashes.end());
    CHECK(std::adjacent_find(hashes.begin(), hashes.end()) == hashes.end());
}

TEST_CASE("trace: keep_last keeps a bounded log of the newest events", "[trace]") {
    Trace t;
    t.keep_last(2);
    for (int i = 0; i < 5; ++i) t.record(Time::from_ns(i), TraceKind::custom, static_cast<std::uint64_t>(i));
    REQUIRE(t.last_events().size() == 2);
    CHECK(t.last_events().front().a == 3);
    CHECK(t.last_events().back().a == 4);
    // The log does not change the hash.
    Trace plain;
    for (int i = 0; i < 5; ++i) plain.record(Time::from_ns(i), TraceKind::custom, static_cast<std::uint64_t>(i));
    CHECK(plain.hash() == t.hash());
    CHECK(plain.last_events().empty());
}

TEST_CASE("scheduler: fixed cases", "[scheduler]") {
    SimScheduler s;
    std::vector<int> order;
    s.at(Time::from_ns(5), [&order] { order.push_back(1); });
    s.at(Time::from_ns(5), [&order] { order.push_back(2); });
    s.at(Time::from_ns(1), [&order] { order.push_back(0); });
    const EventId doomed = s.at(Time::from_ns(5), [&order] { order.push_back(99); });
    s.at(Time::from_ns(5), [&order, &s, doomed] {
        order.push_back(3);
        // Scheduling in the past runs at now(), after what is already due.
        s.at(Time::from_ns(0), [&order, &s] {
            order.push_back(5);
            CHECK(s.now() == Time::from_ns(5));
        });
        CHECK_FALSE(s.cancel(doomed));  // already cancelled below
    });
    s.at(Time::from_ns(5), [&order] { order.push_back(4); });
    CHECK(s.cancel(doomed));
    CHECK_FALSE(s.cancel(EventId{}));
    CHECK_FALSE(s.cancel(EventId{0xffff'ffff'ffffULL}));
    CHECK(s.pending() == 5);
    CHECK(s.step());
    CHECK(order == std::vector<int>{0});
    CHECK(s.run() == RunStatus::idle);
    CHECK(order == std::vector<int>{0, 1, 2, 3, 4, 5});
    CHECK_FALSE(s.step());
    CHECK(s.events_run() == 6);
    // run_until on an idle scheduler moves the clock to the limit.
    CHECK(s.run_until(Time::from_ns(100)) == RunStatus::idle);
    CHECK(s.now() == Time::from_ns(100));
    // A limit in the past does not move the clock back.
    CHECK(s.run_until(Time::from_ns(50)) == RunStatus::idle);
    CHECK(s.now() == Time::from_ns(100));
}

TEST_CASE("distributions: describe and duration clamping", "[distributions]") {
    CHECK(Distribution{dist::Constant{5}}.describe() == "constant(5)");
    CHECK(Distribution{dist::Uniform{1, 2.5}}.describe() == "uniform(1, 2.5)");
    CHECK(Distribution{dist::LogNormal{150, 0.25}}.describe() == "lognormal(median 150, sigma 0.25)");
    dist::Mixture m;
    m.components.push_back({0.9, Distribution{dist::Constant{1}}});
    m.components.push_back({0.1, Distribution{dist::Exponential{10}}});
    CHECK(Distribution{m}.describe() == "mixture(0.9 x constant(1), 0.1 x exponential(mean 10))");
    CHECK(make_empirical({3, 1, 2}).describe() == "empirical(3 values)");

    RngStream rng(1);
    CHECK(sample_duration_us(Distribution{dist::Constant{-3}}, rng) == Duration{});
    CHECK(sample_duration_us(Distribution{dist::Constant{2.5}}, rng) == Duration::from_ns(2500));
    CHECK(sample_duration_us(Distribution{dist::Constant{1e30}}, rng) == Duration::max());
    // Empirical with one value always gives it; two values interpolate between them.
    const Distribution one = make_empirical({42});
    CHECK(one.sample(rng) == 42);
    CHECK(one.mean() == 42);
    CHECK(make_empirical({0, 10}).mean() == Approx(5));
}
