#include "sim/checks/in_flight.hpp"

namespace routelab::checks::detail {

void InFlightLane::grow(std::size_t needed) {
    std::size_t size = states_.empty() ? 1024 : states_.size();
    while (size < needed) size *= 2;
    if (size == states_.size()) return;
    std::vector<std::uint8_t> states(size, unused);
    std::vector<sim::Time> times(size);
    for (std::uint64_t i = 0; i < span_; ++i) {
        const std::size_t from = slot(base_ + i);
        states[static_cast<std::size_t>(i)] = states_[from];
        times[static_cast<std::size_t>(i)] = issued_at_[from];
    }
    states_ = std::move(states);
    issued_at_ = std::move(times);
    head_ = 0;
}

bool InFlightLane::issued(std::uint64_t id, sim::Time at) {
    if (!any_) {
        any_ = true;
        base_ = id;
    }
    if (id < base_) return false;
    const std::uint64_t offset = id - base_;
    if (offset >= span_) {
        grow(static_cast<std::size_t>(offset + 1));
        for (std::uint64_t i = span_; i <= offset; ++i) states_[slot(base_ + i)] = unused;
        span_ = offset + 1;
    }
    auto& state = states_[slot(id)];
    if (state != unused) return false;
    state = pending;
    issued_at_[slot(id)] = at;
    ++in_flight_;
    return true;
}

InFlightLane::End InFlightLane::ended(std::uint64_t id) {
    if (!any_ || id >= base_ + span_) return End::never_issued;
    // Below the ring: every such id ended, or was skipped and can no longer be issued.
    if (id < base_) return End::already_ended;
    auto& state = states_[slot(id)];
    if (state == unused) return End::never_issued;
    if (state == done) return End::already_ended;
    state = done;
    --in_flight_;
    advance();
    return End::ok;
}

void InFlightLane::advance() {
    // Drop ended (and skipped) ids from the front; the newest id stays so order is kept.
    while (span_ > 1 && states_[head_] != pending) {
        states_[head_] = unused;
        head_ = (head_ + 1) & (states_.size() - 1);
        ++base_;
        --span_;
    }
}

std::optional<std::pair<std::uint64_t, sim::Time>> InFlightLane::oldest() const {
    for (std::uint64_t i = 0; i < span_; ++i)
        if (states_[slot(base_ + i)] == pending) return std::make_pair(base_ + i, issued_at_[slot(base_ + i)]);
    return std::nullopt;
}

}  // namespace routelab::checks::detail
