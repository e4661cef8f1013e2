#include "sim/core/sim_scheduler.hpp"

#include <cassert>
#include <utility>

namespace routelab::sim {

EventId SimScheduler::at(Time when, EventFn fn) {
    if (when < now_) when = now_;
    std::uint32_t slot;
    if (!free_slots_.empty()) {
        slot = free_slots_.back();
        free_slots_.pop_back();
    } else {
        slot = static_cast<std::uint32_t>(slots_.size());
        slots_.emplace_back();
    }
    Slot& s = slots_[slot];
    s.fn = std::move(fn);
    s.live = true;
    ++live_count_;
    push(Entry{when.ns(), next_seq_++, slot});
    return EventId{(static_cast<std::uint64_t>(s.generation) << 32) | slot};
}

bool SimScheduler::cancel(EventId id) {
    const auto slot = static_cast<std::uint32_t>(id.value & 0xffffffffU);
    const auto generation = static_cast<std::uint32_t>(id.value >> 32);
    if (!id.valid() || slot >= slots_.size()) return false;
    Slot& s = slots_[slot];
    if (!s.live || s.generation != generation) return false;
    remove_at(s.heap_index);
    s.live = false;
    s.fn.reset();
    --live_count_;
    release(slot);
    return true;
}

void SimScheduler::sift_up(std::size_t i, Entry e) {
    while (i > 0) {
        const std::size_t parent = (i - 1) / 2;
        if (!later(heap_[parent], e)) break;
        place(i, heap_[parent]);
        i = parent;
    }
    place(i, e);
}

void SimScheduler::sift_down(std::size_t i, Entry e) {
    const std::size_t n = heap_.size();
    for (;;) {
        std::size_t child = 2 * i + 1;
        if (child >= n) break;
        if (child + 1 < n && later(heap_[child], heap_[child + 1])) ++child;
        if (!later(e, heap_[child])) break;
        place(i, heap_[child]);
        i = child;
    }
    place(i, e);
}

void SimScheduler::push(Entry e) {
    heap_.push_back(e);
    sift_up(heap_.size() - 1, e);
}

SimScheduler::Entry SimScheduler::pop() {
    const Entry top = heap_.front();
    remove_at(0);
    return top;
}

void SimScheduler::remove_at(std::size_t index) {
    const Entry last = heap_.back();
    heap_.pop_back();
    if (index == heap_.size()) return;
    // The moved entry may belong above or below its new place.
    if (index > 0 && later(heap_[(index - 1) / 2], last)) sift_up(index, last);
    else sift_down(index, last);
}

void SimScheduler::release(std::uint32_t slot) {
    Slot& s = slots_[slot];
    ++s.generation;
    if (s.generation == 0) s.generation = 1;
    free_slots_.push_back(slot);
}

bool SimScheduler::step() {
    while (!heap_.empty()) {
        Entry e = pop();
        Slot& s = slots_[e.slot];
        assert(s.live);  // cancelled events leave the heap at once
        assert(e.time_ns >= now_.ns());
        now_ = Time::from_ns(e.time_ns);
        EventFn fn = std::move(s.fn);
        s.live = false;
        --live_count_;
        release(e.slot);
        ++events_run_;
        fn();
        return true;
    }
    return false;
}

RunStatus SimScheduler::run_until(Time limit) {
    for (;;) {
        if (heap_.empty()) {
            if (limit != Time::max() && limit > now_) now_ = limit;
            return RunStatus::idle;
        }
        if (heap_.front().time_ns > limit.ns()) {
            if (limit > now_) now_ = limit;
            return RunStatus::reached_time_limit;
        }
        if (events_run_ >= max_events_) return RunStatus::reached_event_limit;
        step();
    }
}

RunStatus SimScheduler::run() { return run_until(Time::max()); }

}  // namespace routelab::sim
