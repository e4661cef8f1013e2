#pragma once
// Request timeouts without a timer per request. Almost every timeout is obsolete long
// before it is due (the request ended), so pushing one into the event queue and
// cancelling it again costs two heap operations per request for nothing. Here a timeout
// is an entry appended to a FIFO per timeout duration: deadlines within one duration
// come in order, because `now` only grows. Each FIFO keeps one scheduled event, for its
// first entry that is still live; when it runs it expires what is due, drops entries
// their owner no longer needs (asked through `live`), and schedules itself for the next
// live one. With a 2 s timeout and requests that end in a millisecond, that is one event
// per 2 s instead of a push and a cancel per request.
//
// Entries are (slot, generation) of the owner's pooled requests; `expire` runs for each
// live entry whose deadline has come, in the order the timeouts were added. Nothing is
// allocated once the FIFOs have grown to the run's peak (timeout × request rate).
#include <cstdint>
#include <vector>

#include "sim/core/scheduler.hpp"
#include "sim/core/small_function.hpp"

namespace routelab::sim {

class TimeoutList {
public:
    using Live = SmallFunction<bool(std::uint32_t slot, std::uint32_t generation), 16>;
    using Expire = SmallFunction<void(std::uint32_t slot, std::uint32_t generation), 16>;

    TimeoutList(Scheduler& scheduler, Live live, Expire expire)
        : scheduler_(scheduler), live_(std::move(live)), expire_(std::move(expire)) {}
    TimeoutList(const TimeoutList&) = delete;
    TimeoutList& operator=(const TimeoutList&) = delete;

    // The request (slot, generation) times out `timeout` from now unless `live` says it no
    // longer matters by then.
    void add(Duration timeout, std::uint32_t slot, std::uint32_t generation);
    // Entries held (live or not yet found obsolete), for tests and memory figures.
    std::size_t size() const;

private:
    struct Entry {
        std::int64_t deadline_ns;
        std::uint32_t slot;
        std::uint32_t generation;
    };
    // One FIFO (a ring buffer with a power-of-two capacity) per timeout duration.
    struct Lane {
        Duration timeout;
        std::vector<Entry> ring;
        std::size_t head = 0;
        std::size_t size = 0;
        bool armed = false;   // its event is scheduled (or it is running)
    };
    void push(Lane& lane, Entry e);
    void arm(std::size_t lane, std::int64_t at_ns);
    void fire(std::size_t lane);

    Scheduler& scheduler_;
    Live live_;
    Expire expire_;
    std::vector<Lane> lanes_;
};

}  // namespace routelab::sim
