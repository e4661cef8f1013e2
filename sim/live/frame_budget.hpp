#pragma once
// The byte budget shared by every guarded connection of a live-mode process: bytes of
// frames that have not arrived whole yet. A connection charges what it holds and releases
// it when the frame completes or the connection closes. Charging may overshoot the limit
// by what one socket read brought (the bytes are already in memory); the caller then
// pauses its reading and waits. Released bytes wake waiters in the order they started to
// wait, as many as the free room can take one socket read each.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>

namespace routelab::live {

class FrameBudget {
public:
    using Resume = std::function<void()>;

    // `read_bytes`: what one socket read may bring (the room a woken waiter needs).
    FrameBudget(std::size_t limit_bytes, std::size_t read_bytes) : limit_(limit_bytes), read_bytes_(read_bytes) {}

    std::size_t limit() const { return limit_; }
    std::size_t used() const { return used_; }
    std::size_t peak() const { return peak_; }
    bool full() const { return used_ >= limit_; }
    std::size_t waiting() const { return waiters_.size(); }

    void charge(std::size_t bytes);
    // Gives bytes back and wakes waiters while there is room.
    void release(std::size_t bytes);

    // Queues `resume` (run once, from a later release) for waiter `id`; replaces an
    // earlier wait of the same id.
    void wait(std::uint64_t id, Resume resume);
    void cancel(std::uint64_t id);

private:
    void wake();

    std::size_t limit_;
    std::size_t read_bytes_;
    std::size_t used_ = 0;
    std::size_t peak_ = 0;
    std::uint64_t next_ticket_ = 0;
    std::map<std::uint64_t, std::pair<std::uint64_t, Resume>> waiters_;   // ticket -> (id, resume)
    std::map<std::uint64_t, std::uint64_t> ticket_of_;                   // id -> ticket
};

}  // namespace routelab::live
