#pragma once
// Discrete-event scheduler for simulated runs: virtual time jumps to the next event.
// Slots are pooled and the heap is a flat vector, so scheduling allocates nothing once
// the pool has grown to the run's peak number of pending events. The heap is indexed
// (each slot knows its heap position), so `cancel` removes the entry at once: timeouts,
// which are almost always cancelled, never pile up and deepen the heap.
// Events due now (`after(0)`, `at(now)` or a past time) skip the heap: they go to a FIFO
// that is merged with the heap by sequence number, so the order is exactly (time, seq)
// and a zero-delay deferral costs a ring-buffer push and pop, not two heap sifts.
#include <cstdint>
#include <vector>

#include "sim/core/scheduler.hpp"

namespace routelab::sim {

enum class RunStatus {
    idle,                  // no event is pending
    reached_time_limit,    // the next event lies beyond the limit; now() == limit
    reached_event_limit,   // the max-events guard fired: likely a livelock
};

class SimScheduler final : public Scheduler {
public:
    // `max_events` bounds the events of this scheduler's whole life (one World, one run):
    // once reached, every run call returns reached_event_limit at once.
    explicit SimScheduler(std::uint64_t max_events = 2'000'000'000ULL) : max_events_(max_events) {}

    Time now() const override { return now_; }
    EventId at(Time when, EventFn fn) override;
    bool cancel(EventId id) override;

    // Runs events with time <= limit in (time, seq) order.
    RunStatus run_until(Time limit);
    // Runs every pending event (bounded only by the max-events guard).
    RunStatus run();
    // Runs the single next event; returns false when none is pending.
    bool step();

    std::uint64_t events_run() const { return events_run_; }
    std::size_t pending() const { return live_count_; }
    // The most events pending at once in the heap (not counting those due now).
    std::size_t peak_heap() const { return peak_heap_; }

private:
    struct Entry {
        std::int64_t time_ns;
        std::uint64_t seq;
        std::uint32_t slot;
    };
    struct Slot {
        EventFn fn;
        std::uint32_t generation = 1;
        std::uint32_t heap_index = 0;
        bool live = false;
        bool in_due = false;   // queued in the due-now FIFO rather than the heap
    };
    static bool later(const Entry& a, const Entry& b) {
        return a.time_ns != b.time_ns ? a.time_ns > b.time_ns : a.seq > b.seq;
    }
    // An event due now: its slot, and the generation that tells a cancelled one.
    struct Due {
        std::uint64_t seq;
        std::uint32_t slot;
        std::uint32_t generation;
    };
    bool due_first() const;   // the next event is the FIFO's front, not the heap's top
    void push_due(Due d);
    void pop_due();
    // Drops cancelled events from the FIFO's front; true if a live one is left.
    bool live_due() { return due_size_ != 0 && skip_cancelled_due(); }
    bool skip_cancelled_due();
    void push(Entry e);
    Entry pop();
    void remove_at(std::size_t index);
    void sift_up(std::size_t index, Entry e);
    void sift_down(std::size_t index, Entry e);
    void place(std::size_t index, const Entry& e) {
        heap_[index] = e;
        slots_[e.slot].heap_index = static_cast<std::uint32_t>(index);
    }
    void release(std::uint32_t slot);

    Time now_ = Time::zero();
    std::uint64_t next_seq_ = 0;
    std::uint64_t events_run_ = 0;
    std::uint64_t max_events_;
    std::size_t live_count_ = 0;
    std::vector<Entry> heap_;
    std::vector<Slot> slots_;
    std::vector<std::uint32_t> free_slots_;
    // Ring buffer of events due now (power-of-two capacity), in seq order.
    std::vector<Due> due_;
    std::size_t due_head_ = 0;
    std::size_t due_size_ = 0;
    std::size_t peak_heap_ = 0;
};

}  // namespace routelab::sim
