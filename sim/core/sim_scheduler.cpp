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
    if (when == now_) {
        s.in_due = true;
        push_due(Due{next_seq_++, slot, s.generation});
    }
    else push(Entry{when.ns(), next_seq_++, slot});
    return EventId{(static_cast<std::uint64_t>(s.generation) << 32) | slot};
}

void SimScheduler::push_due(Due d) {
    if (due_size_ == due_.size()) {
        // Grow and unwrap: the ring keeps its order from due_head_.
        std::vector<Due> bigger(due_.empty() ? 16 : due_.size() * 2);
        for (std::size_t i = 0; i < due_size_; ++i) bigger[i] = due_[(due_head_ + i) & (due_.size() - 1)];
        due_ = std::move(bigger);
        due_head_ = 0;
    }
    due_[(due_head_ + due_size_) & (due_.size() - 1)] = d;
    ++due_size_;
}

void SimScheduler::pop_due() {
    due_head_ = (due_head_ + 1) & (due_.size() - 1);
    --due_size_;
}

bool SimScheduler::skip_cancelled_due() {
    while (due_size_ > 0) {
        const Due& d = due_[due_head_];
        const Slot& s = slots_[d.slot];
        if (s.live && s.generation == d.generation) return true;
        pop_due();
    }
    return false;
}

bool SimScheduler::due_first() const {
    // Every FIFO entry is due at now_; a heap entry due now with a lower seq goes first.
    if (heap_.empty()) return true;
    const Entry& top = heap_.front();
    return top.time_ns > now_.ns() || top.seq > due_[due_head_].seq;
}

bool SimScheduler::cancel(EventId id) {
    const auto slot = static_cast<std::uint32_t>(id.value & 0xffffffffU);
    const auto generation = static_cast<std::uint32_t>(id.value >> 32);
    if (!id.valid() || slot >= slots_.size()) return false;
    Slot& s = slots_[slot];
    if (!s.live || s.generation != generation) return false;
    // An event due now stays in the FIFO; its generation no longer matches once released.
    if (!s.in_due) remove_at(s.heap_index);
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
    slots_[e.slot].in_due = false;
    heap_.push_back(e);
    if (heap_.size() > peak_heap_) peak_heap_ = heap_.size();
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
    std::uint32_t slot;
    if (live_due() && due_first()) {
        slot = due_[due_head_].slot;
        pop_due();
    } else if (!heap_.empty()) {
        const Entry e = pop();
        assert(slots_[e.slot].live);  // cancelled events leave the heap at once
        assert(e.time_ns >= now_.ns());
        now_ = Time::from_ns(e.time_ns);
        slot = e.slot;
    } else {
        return false;
    }
    Slot& s = slots_[slot];
    EventFn fn = std::move(s.fn);
    s.live = false;
    --live_count_;
    release(slot);
    ++events_run_;
    fn();
    return true;
}

RunStatus SimScheduler::run_until(Time limit) {
    for (;;) {
        if (live_due()) {
            // Due now: within the limit unless the limit lies in the past.
            if (now_.ns() > limit.ns()) return RunStatus::reached_time_limit;
            if (events_run_ >= max_events_) return RunStatus::reached_event_limit;
            step();
            continue;
        }
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
