#pragma once
// The Scheduler contract (sim/core/scheduler.hpp) on the wall clock, for live mode.
// Events wait in one (time, insertion seq) queue; ONE asio::steady_timer is armed at the
// earliest deadline. When it fires, the events that are due run in (time, seq) order —
// never in the timer's or a container's tie order — and the timer is re-armed.
//
// `now()` is steady_clock time since construction, as sim::Time. It moves while an event
// runs (it is a real clock), but never backwards. `at` with a time in the past runs the
// event at the next firing, after the events already due (it is queued at `now()`).
// Single-threaded: every call and every event happens on the thread running the
// io_context.
#include <chrono>
#include <cstdint>
#include <map>
#include <unordered_map>

#include "sim/core/scheduler.hpp"
#include "sim/live/asio.hpp"

namespace routelab::live {

class LiveScheduler final : public sim::Scheduler {
public:
    explicit LiveScheduler(boost::asio::io_context& io);
    ~LiveScheduler() override;
    LiveScheduler(const LiveScheduler&) = delete;
    LiveScheduler& operator=(const LiveScheduler&) = delete;

    sim::Time now() const override;
    sim::EventId at(sim::Time when, sim::EventFn fn) override;
    bool cancel(sim::EventId id) override;

    std::size_t pending() const { return queue_.size(); }
    std::uint64_t events_run() const { return events_run_; }
    boost::asio::io_context& io() { return io_; }

    // Runs the io_context until `done()` holds or `limit` of wall time has passed;
    // returns done(). For tests and tools that drive the loop themselves.
    template <typename Predicate>
    bool run_until(Predicate done, sim::Duration limit) {
        const sim::Time end = now() + limit;
        while (!done()) {
            if (now() >= end) return false;
            io_.restart();
            io_.run_one_for(std::chrono::milliseconds(5));
        }
        return true;
    }

private:
    struct Key {
        std::int64_t time_ns;
        std::uint64_t seq;
        auto operator<=>(const Key&) const = default;
    };
    void arm();
    void fire();

    boost::asio::io_context& io_;
    boost::asio::steady_timer timer_;
    std::chrono::steady_clock::time_point origin_;
    std::map<Key, sim::EventFn> queue_;
    std::unordered_map<std::uint64_t, std::int64_t> time_of_;   // seq -> time of a pending event
    std::uint64_t next_seq_ = 1;                                 // EventId = seq, never 0
    std::uint64_t events_run_ = 0;
    bool armed_ = false;
    std::int64_t armed_ns_ = 0;
};

}  // namespace routelab::live
