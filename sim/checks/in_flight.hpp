#pragma once
// Internal to sim/checks: which requests are in flight, by id, for the checks that every
// request ends exactly once. Ids arrive in increasing order (the workload numbers its
// requests as it issues them); only the span from the oldest request still in flight to
// the newest is stored, in a ring that doubles when full — a few bytes per request in
// flight, nothing per request once the ring has grown.
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "sim/core/time.hpp"

namespace routelab::checks::detail {

// One client's requests (its ids increase as it issues them).
class InFlightLane {
public:
    enum class End : std::uint8_t { ok, never_issued, already_ended };

    // False if the id was issued before (or is older than every request tracked).
    bool issued(std::uint64_t id, sim::Time at);
    End ended(std::uint64_t id);
    std::uint64_t in_flight() const { return in_flight_; }
    // The oldest request still in flight and when it was issued.
    std::optional<std::pair<std::uint64_t, sim::Time>> oldest() const;

private:
    enum State : std::uint8_t { unused, pending, done };
    std::size_t slot(std::uint64_t id) const { return static_cast<std::size_t>((head_ + (id - base_)) & (states_.size() - 1)); }
    void grow(std::size_t needed);
    void advance();

    std::vector<std::uint8_t> states_;   // ring; size a power of two
    std::vector<sim::Time> issued_at_;
    std::uint64_t base_ = 0;             // id at head_
    std::size_t head_ = 0;
    std::uint64_t span_ = 0;             // ids base_ .. base_+span_-1 are in the ring
    std::uint64_t in_flight_ = 0;
    bool any_ = false;
};

// Every client's: a request id's top bits name its client (the runner gives client i the
// ids from i·2⁴⁰), and each client's ids increase, so each gets a lane of its own.
class InFlight {
public:
    using End = InFlightLane::End;
    bool issued(std::uint64_t id, sim::Time at) { return lanes_[id >> 40].issued(id, at); }
    End ended(std::uint64_t id) {
        const auto it = lanes_.find(id >> 40);
        return it == lanes_.end() ? End::never_issued : it->second.ended(id);
    }
    std::uint64_t in_flight() const {
        std::uint64_t n = 0;
        for (const auto& [lane, requests] : lanes_) n += requests.in_flight();
        return n;
    }
    // The oldest request still in flight over every client.
    std::optional<std::pair<std::uint64_t, sim::Time>> oldest() const {
        std::optional<std::pair<std::uint64_t, sim::Time>> out;
        for (const auto& [lane, requests] : lanes_)
            if (auto o = requests.oldest(); o && (!out || o->second < out->second)) out = o;
        return out;
    }

private:
    std::map<std::uint64_t, InFlightLane> lanes_;
};

}  // namespace routelab::checks::detail
