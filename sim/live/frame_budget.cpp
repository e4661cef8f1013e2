#include "sim/live/frame_budget.hpp"

#include <algorithm>
#include <cassert>

namespace routelab::live {

void FrameBudget::charge(std::size_t bytes) {
    used_ += bytes;
    peak_ = std::max(peak_, used_);
}

void FrameBudget::release(std::size_t bytes) {
    assert(bytes <= used_ && "FrameBudget: releasing more than was charged");
    used_ -= std::min(bytes, used_);
    wake();
}

void FrameBudget::wait(std::uint64_t id, Resume resume) {
    cancel(id);
    const std::uint64_t ticket = next_ticket_++;
    waiters_.emplace(ticket, std::make_pair(id, std::move(resume)));
    ticket_of_[id] = ticket;
}

void FrameBudget::cancel(std::uint64_t id) {
    const auto it = ticket_of_.find(id);
    if (it == ticket_of_.end()) return;
    waiters_.erase(it->second);
    ticket_of_.erase(it);
}

void FrameBudget::wake() {
    // Each woken connection may read once before it charges again: leave room for that,
    // but wake the first waiter whenever there is any room, so one of them progresses.
    std::size_t promised = 0;
    while (!waiters_.empty() && used_ < limit_ && (promised == 0 || used_ + promised + read_bytes_ <= limit_)) {
        auto first = waiters_.begin();
        Resume resume = std::move(first->second.second);
        ticket_of_.erase(first->second.first);
        waiters_.erase(first);
        promised += read_bytes_;
        resume();
    }
}

}  // namespace routelab::live
