// Properties of SimScheduler: random plans of at/after calls (ties, past times, events
// scheduled and cancelled from inside events) run in (time, insertion sequence) order,
// exactly once unless cancelled; run_until stops at its limit; the max-events guard turns a
// livelock into a status. Each plan is checked against a small model kept by the test.
#include <catch2/catch.hpp>
#include <rapidcheck/catch.h>

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "sim/core/sim_scheduler.hpp"

using routelab::sim::Duration;
using routelab::sim::EventId;
using routelab::sim::RunStatus;
using routelab::sim::SimScheduler;
using routelab::sim::Time;

namespace {

// One event of a plan. Roots are scheduled before the run; a child is scheduled by its
// parent when the parent runs. `victim` names an event the event tries to cancel when it runs.
struct PlannedEvent {
    int parent = -1;          // -1: root, else index of an earlier event
    bool use_after = false;   // after(delay) rather than at(time)
    std::int64_t offset_ns = 0;  // at: absolute time (may lie in the past); after: delay
    int victim = -1;          // -1: none
    bool cancel_before_run = false;  // roots only: cancelled right after scheduling
};

struct Outcome {
    bool scheduled = false;
    bool cancelled = false;
    int runs = 0;
    std::int64_t expected_time_ns = 0;  // time it must run at (max(requested, now at scheduling))
    std::uint64_t seq = 0;              // insertion order as counted by the test
    std::optional<EventId> id;
};

struct Harness {
    SimScheduler scheduler;
    std::vector<PlannedEvent> plan;
    std::vector<Outcome> outcome;
    std::vector<int> run_order;
    std::uint64_t next_seq = 0;
    std::int64_t last_now_ns = 0;
    bool now_went_back = false;
    bool cancel_answers_match = true;
    bool ran_at_wrong_time = false;

    explicit Harness(std::vector<PlannedEvent> p) : plan(std::move(p)), outcome(plan.size()) {}

    void schedule(int index) {
        const PlannedEvent& e = plan[static_cast<std::size_t>(index)];
        Outcome& o = outcome[static_cast<std::size_t>(index)];
        const std::int64_t now_ns = scheduler.now().ns();
        Harness* self = this;
        if (e.use_after) {
            o.expected_time_ns = now_ns + e.offset_ns;
            o.id = scheduler.after(Duration::from_ns(e.offset_ns), [self, index] { self->fire(index); });
        } else {
            o.expected_time_ns = std::max(now_ns, e.offset_ns);
            o.id = scheduler.at(Time::from_ns(e.offset_ns), [self, index] { self->fire(index); });
        }
        o.scheduled = true;
        o.seq = next_seq++;
    }

    bool try_cancel(int index) {
        Outcome& o = outcome[static_cast<std::size_t>(index)];
        const bool expected = o.scheduled && !o.cancelled && o.runs == 0;
        const bool answer = o.id.has_value() && scheduler.cancel(*o.id);
        if (answer != expected) cancel_answers_match = false;
        if (answer) o.cancelled = true;
        return answer;
    }

    void fire(int index) {
        const std::int64_t now_ns = scheduler.now().ns();
        if (now_ns < last_now_ns) now_went_back = true;
        last_now_ns = now_ns;
        Outcome& o = outcome[static_cast<std::size_t>(index)];
        if (now_ns != o.expected_time_ns) ran_at_wrong_time = true;
        ++o.runs;
        run_order.push_back(index);
        for (std::size_t child = 0; child < plan.size(); ++child)
            if (plan[child].parent == index) schedule(static_cast<int>(child));
        const int victim = plan[static_cast<std::size_t>(index)].victim;
        if (victim >= 0) try_cancel(victim);
    }
};

// Generates a plan: times drawn from a small range so that ties are common.
rc::Gen<std::vector<PlannedEvent>> gen_plan(bool with_cancels) {
    return rc::gen::exec([with_cancels] {
        const int n = *rc::gen::inRange(1, 60);
        std::vector<PlannedEvent> plan(static_cast<std::size_t>(n));
        for (int i = 0; i < n; ++i) {
            PlannedEvent& e = plan[static_cast<std::size_t>(i)];
            // About a third of the events are children of an earlier event.
            if (i > 0 && *rc::gen::inRange(0, 3) == 0) e.parent = *rc::gen::inRange(0, i);
            e.use_after = *rc::gen::arbitrary<bool>();
            e.offset_ns = *rc::gen::inRange<std::int64_t>(0, 12);
            if (with_cancels) {
                if (*rc::gen::inRange(0, 4) == 0) e.victim = *rc::gen::inRange(0, n);
                if (e.parent < 0) e.cancel_before_run = *rc::gen::inRange(0, 3) == 0;
            }
        }
        return plan;
    });
}

}  // namespace

TEST_CASE("scheduler: events run in (time, insertion sequence) order", "[scheduler][property]") {
    rc::prop("every scheduled event runs once, at its time, in (time, seq) order; now() never decreases", [] {
        Harness h(*gen_plan(false));
        for (std::size_t i = 0; i < h.plan.size(); ++i)
            if (h.plan[i].parent < 0) h.schedule(static_cast<int>(i));
        RC_ASSERT(h.scheduler.run() == RunStatus::idle);
        RC_ASSERT(!h.now_went_back);
        RC_ASSERT(!h.ran_at_wrong_time);
        RC_ASSERT(h.scheduler.pending() == 0u);
        // Every event was reached (its parent ran) and ran exactly once.
        for (const Outcome& o : h.outcome) {
            RC_ASSERT(o.scheduled);
            RC_ASSERT(o.runs == 1);
        }
        // A child's key is above its parent's, so a correct run is strictly increasing in
        // (time, seq) over all events; with every event run exactly once that is the order.
        for (std::size_t k = 1; k < h.run_order.size(); ++k) {
            const Outcome& a = h.outcome[static_cast<std::size_t>(h.run_order[k - 1])];
            const Outcome& b = h.outcome[static_cast<std::size_t>(h.run_order[k])];
            RC_ASSERT(std::pair(a.expected_time_ns, a.seq) < std::pair(b.expected_time_ns, b.seq));
        }
        RC_ASSERT(h.scheduler.events_run() == h.plan.size());
    });
}

TEST_CASE("scheduler: cancel removes exactly the cancelled events", "[scheduler][property]") {
    rc::prop("cancelled events never run, the others run once; cancel is true exactly once", [] {
        Harness h(*gen_plan(true));
        for (std::size_t i = 0; i < h.plan.size(); ++i)
            if (h.plan[i].parent < 0) h.schedule(static_cast<int>(i));
        for (std::size_t i = 0; i < h.plan.size(); ++i) {
            if (!h.plan[i].cancel_before_run) continue;
            RC_ASSERT(h.try_cancel(static_cast<int>(i)));
            // A second cancel of the same id is refused.
            RC_ASSERT(!h.scheduler.cancel(*h.outcome[i].id));
        }
        RC_ASSERT(h.scheduler.run() == RunStatus::idle);
        RC_ASSERT(h.cancel_answers_match);
        RC_ASSERT(!h.now_went_back);
        RC_ASSERT(!h.ran_at_wrong_time);
        std::uint64_t expected_runs = 0;
        for (std::size_t i = 0; i < h.plan.size(); ++i) {
            const Outcome& o = h.outcome[i];
            if (!o.scheduled) continue;  // its parent was cancelled
            RC_ASSERT(o.runs == (o.cancelled ? 0 : 1));
            if (!o.cancelled) ++expected_runs;
            // After the run, nothing can be cancelled any more.
            RC_ASSERT(!h.scheduler.cancel(*o.id));
        }
        RC_ASSERT(h.scheduler.events_run() == expected_runs);
        for (std::size_t k = 1; k < h.run_order.size(); ++k) {
            const Outcome& a = h.outcome[static_cast<std::size_t>(h.run_order[k - 1])];
            const Outcome& b = h.outcome[static_cast<std::size_t>(h.run_order[k])];
            RC_ASSERT(std::pair(a.expected_time_ns, a.seq) < std::pair(b.expected_time_ns, b.seq));
        }
    });

    rc::prop("a stale id never cancels the event that reuses its slot", [] {
        SimScheduler s;
        int ran = 0;
        const EventId first = s.after(Duration::from_ns(1), [&ran] { ++ran; });
        RC_ASSERT(s.cancel(first));
        const int reuses = *rc::gen::inRange(1, 20);
        std::vector<EventId> later;
        for (int i = 0; i < reuses; ++i) later.push_back(s.after(Duration::from_ns(i), [&ran] { ++ran; }));
        RC_ASSERT(!s.cancel(first));
        RC_ASSERT(s.run() == RunStatus::idle);
        RC_ASSERT(ran == reuses);
    });
}

TEST_CASE("scheduler: run_until runs exactly the events due by the limit", "[scheduler][property]") {
    rc::prop("events with time <= limit run, the rest stay pending, now() == limit", [] {
        const auto times = *rc::gen::container<std::vector<std::int64_t>>(rc::gen::inRange<std::int64_t>(0, 100));
        const auto limit_ns = *rc::gen::inRange<std::int64_t>(0, 120);
        SimScheduler s;
        std::vector<int> runs(times.size(), 0);
        for (std::size_t i = 0; i < times.size(); ++i) {
            int* counter = &runs[i];
            s.at(Time::from_ns(times[i]), [counter] { ++*counter; });
        }
        std::size_t due = 0;
        for (auto t : times) due += t <= limit_ns ? 1u : 0u;
        const RunStatus status = s.run_until(Time::from_ns(limit_ns));
        RC_ASSERT(s.now() == Time::from_ns(limit_ns));
        RC_ASSERT(status == (due == times.size() ? RunStatus::idle : RunStatus::reached_time_limit));
        for (std::size_t i = 0; i < times.size(); ++i) RC_ASSERT(runs[i] == (times[i] <= limit_ns ? 1 : 0));
        RC_ASSERT(s.pending() == times.size() - due);
        // The rest run later, and now() keeps moving forward only.
        RC_ASSERT(s.run() == RunStatus::idle);
        for (int r : runs) RC_ASSERT(r == 1);
        RC_ASSERT(s.now() >= Time::from_ns(limit_ns));
    });
}

namespace {
// Reschedules itself forever: a livelock, either at one instant or moving forward.
struct Livelock {
    SimScheduler* scheduler;
    std::int64_t step_ns;
    void operator()() const { scheduler->after(Duration::from_ns(step_ns), Livelock{scheduler, step_ns}); }
};
}  // namespace

TEST_CASE("scheduler: the max-events guard stops a livelock", "[scheduler][property]") {
    rc::prop("a self-rescheduling event ends with reached_event_limit after max_events events", [] {
        const auto max_events = *rc::gen::inRange<std::uint64_t>(1, 5000);
        const auto step_ns = *rc::gen::inRange<std::int64_t>(0, 3);
        SimScheduler s(max_events);
        s.after(Duration{}, Livelock{&s, step_ns});
        RC_ASSERT(s.run() == RunStatus::reached_event_limit);
        RC_ASSERT(s.events_run() == max_events);
        RC_ASSERT(s.pending() == 1u);
        RC_ASSERT(s.run_until(Time::max()) == RunStatus::reached_event_limit);
        RC_ASSERT(s.events_run() == max_events);
    });
}

TEST_CASE("scheduler: running in run_until windows equals one run", "[scheduler][property]") {
    rc::prop("a plan run through random run_until limits runs the same events in the same order at "
             "the same times as run(), and each window ends with now() == its limit",
             [] {
                 const auto plan = *gen_plan(true);
                 auto start = [&plan](Harness& h) {
                     for (std::size_t i = 0; i < plan.size(); ++i)
                         if (plan[i].parent < 0) h.schedule(static_cast<int>(i));
                     for (std::size_t i = 0; i < plan.size(); ++i)
                         if (plan[i].cancel_before_run) h.try_cancel(static_cast<int>(i));
                 };
                 Harness whole(plan);
                 start(whole);
                 RC_ASSERT(whole.scheduler.run() == RunStatus::idle);

                 Harness windowed(plan);
                 start(windowed);
                 const auto steps = *rc::gen::container<std::vector<std::int64_t>>(rc::gen::inRange<std::int64_t>(0, 6));
                 std::int64_t limit = 0;
                 for (auto step : steps) {
                     limit += step;
                     const RunStatus status = windowed.scheduler.run_until(Time::from_ns(limit));
                     RC_ASSERT(windowed.scheduler.now() == Time::from_ns(limit));
                     RC_ASSERT(status != RunStatus::reached_event_limit);
                     // Nothing still pending is due by the limit.
                     if (status == RunStatus::reached_time_limit) RC_ASSERT(windowed.scheduler.pending() > 0u);
                 }
                 RC_ASSERT(windowed.scheduler.run() == RunStatus::idle);
                 RC_ASSERT(windowed.run_order == whole.run_order);
                 RC_ASSERT(!windowed.ran_at_wrong_time);
                 RC_ASSERT(!windowed.now_went_back);
                 RC_ASSERT(windowed.cancel_answers_match);
                 RC_ASSERT(windowed.scheduler.events_run() == whole.scheduler.events_run());
             });
}
