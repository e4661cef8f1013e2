#pragma once
// Stream ids of one connection: a bounded pool (the in-flight limit) handed out lowest
// first. Ids are reused only after their response (or the connection's death) returned
// them, so a late response can never be matched to a newer request.
#include <cstdint>
#include <optional>
#include <vector>

namespace routelab::driver {

class StreamIds {
public:
    // `limit` in-flight requests at most; protocol v3+ allows up to 32768.
    explicit StreamIds(std::uint16_t limit);

    std::optional<std::int16_t> acquire();
    void release(std::int16_t id);
    std::size_t in_flight() const { return in_use_; }
    std::uint16_t limit() const { return limit_; }

private:
    std::uint16_t limit_;
    std::vector<std::int16_t> free_;  // a stack: most recently freed reused first
    std::size_t in_use_ = 0;
};

}  // namespace routelab::driver
