#include "driver/session/stream_ids.hpp"

#include <cassert>

namespace routelab::driver {

StreamIds::StreamIds(std::uint16_t limit) : limit_(limit) {
    assert(limit > 0 && limit <= 32768);
    free_.reserve(limit);
    for (int id = limit - 1; id >= 0; --id) free_.push_back(static_cast<std::int16_t>(id));
}

std::optional<std::int16_t> StreamIds::acquire() {
    if (free_.empty()) return std::nullopt;
    const std::int16_t id = free_.back();
    free_.pop_back();
    ++in_use_;
    return id;
}

void StreamIds::release(std::int16_t id) {
    assert(id >= 0 && static_cast<std::uint16_t>(id) < limit_);
    assert(in_use_ > 0);
    free_.push_back(id);
    --in_use_;
}

}  // namespace routelab::driver
