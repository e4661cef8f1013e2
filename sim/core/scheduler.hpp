#pragma once
// The event-queue contract every component is written against. The simulated
// implementation (SimScheduler) and the live one (sim/live) both honour it:
//  - events run in (time, insertion sequence) order: two events at the same instant run in
//    the order they were scheduled, never in a container's tie order;
//  - `at` with a time in the past runs the event at `now()` (after what is already due);
//  - `cancel` removes exactly the event it names and returns false if that event already
//    ran or was cancelled.
#include <cstdint>

#include "sim/core/small_function.hpp"
#include "sim/core/time.hpp"

namespace routelab::sim {

using EventFn = SmallFunction<void(), 48>;

struct EventId {
    std::uint64_t value = 0;  // 0 is never a valid id
    constexpr bool valid() const { return value != 0; }
    constexpr auto operator<=>(const EventId&) const = default;
};

class Clock {
public:
    virtual ~Clock() = default;
    virtual Time now() const = 0;
};

class Scheduler : public Clock {
public:
    virtual EventId at(Time when, EventFn fn) = 0;
    EventId after(Duration delay, EventFn fn) { return at(now() + delay, std::move(fn)); }
    virtual bool cancel(EventId id) = 0;
};

}  // namespace routelab::sim
