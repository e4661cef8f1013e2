#include "mock_cluster/proxy/key_ring.hpp"

#include <algorithm>
#include <string>

#include "sim/core/rng.hpp"

namespace routelab::cluster {

std::uint64_t KeyRing::hash(std::string_view key) {
    std::uint64_t state = sim::fnv1a64(key);
    return sim::splitmix64_next(state);   // spreads keys that differ in their last bytes
}

KeyRing::KeyRing(const std::vector<std::uint16_t>& nodes, const std::vector<std::string_view>& names, int points) {
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        std::uint64_t state = sim::fnv1a64(names[i]);
        for (int p = 0; p < points; ++p) points_.emplace_back(sim::splitmix64_next(state), nodes[i]);
    }
    std::sort(points_.begin(), points_.end());
}

std::optional<std::uint16_t> KeyRing::node_for(std::string_view key, const std::function<bool(std::uint16_t)>& live) const {
    if (points_.empty()) return std::nullopt;
    const std::uint64_t h = hash(key);
    const auto start = std::lower_bound(points_.begin(), points_.end(), std::pair<std::uint64_t, std::uint16_t>{h, 0});
    const std::size_t first = static_cast<std::size_t>(start - points_.begin());
    for (std::size_t n = 0; n < points_.size(); ++n) {
        const auto& point = points_[(first + n) % points_.size()];
        if (live(point.second)) return point.second;
    }
    return std::nullopt;
}

}  // namespace routelab::cluster
