#include "driver/policy/consistent_hash.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "driver/metadata/check.hpp"
#include "sim/core/rng.hpp"

namespace routelab::driver {

std::uint64_t hash64(std::string_view text, std::uint64_t seed) {
    std::uint64_t state = sim::fnv1a64(text) ^ (seed * 0x9e3779b97f4a7c15ULL);
    return sim::splitmix64_next(state);
}

bool is_prime(std::uint64_t n) {
    if (n < 2) return false;
    for (std::uint64_t d = 2; d * d <= n; ++d)
        if (n % d == 0) return false;
    return true;
}

HashRing::HashRing(std::span<const std::string> member_keys, std::size_t points_per_member)
    : member_count_(member_keys.size()) {
    if (member_keys.empty()) return;
    const std::size_t per_member = std::max<std::size_t>(1, points_per_member);
    std::vector<std::pair<std::uint64_t, std::uint32_t>> entries;
    entries.reserve(per_member * member_keys.size());
    std::string point_key;
    for (std::size_t m = 0; m < member_keys.size(); ++m) {
        for (std::size_t i = 0; i < per_member; ++i) {
            point_key = member_keys[m];
            point_key += '_';
            point_key += std::to_string(i);
            entries.emplace_back(hash64(point_key), static_cast<std::uint32_t>(m));
        }
    }
    std::sort(entries.begin(), entries.end());
    points_.reserve(entries.size());
    owners_.reserve(entries.size());
    for (const auto& [point, owner] : entries) {
        points_.push_back(point);
        owners_.push_back(owner);
    }
}

std::size_t HashRing::position_of(std::uint64_t hash) const {
    check(!points_.empty(), "HashRing::position_of on an empty ring");
    auto it = std::lower_bound(points_.begin(), points_.end(), hash);
    return it == points_.end() ? 0 : static_cast<std::size_t>(it - points_.begin());
}

MaglevTable::MaglevTable(std::span<const std::string> member_keys, std::uint64_t table_size) {
    if (member_keys.empty()) return;
    check(is_prime(table_size) && table_size >= member_keys.size(), "MaglevTable: size must be prime and >= members");
    const std::size_t n = member_keys.size();
    // Members take turns in key order, so the table does not depend on the input order.
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return member_keys[a] < member_keys[b]; });
    std::vector<std::uint64_t> offset(n), skip(n), next(n, 0);
    for (std::size_t m = 0; m < n; ++m) {
        offset[m] = hash64(member_keys[m], 0) % table_size;
        skip[m] = hash64(member_keys[m], 1) % (table_size - 1) + 1;
    }
    constexpr std::uint32_t free_slot = 0xFFFFFFFFu;
    table_.assign(table_size, free_slot);
    std::uint64_t filled = 0;
    while (filled < table_size) {
        for (std::size_t k = 0; k < n && filled < table_size; ++k) {
            const std::size_t m = order[k];
            std::uint64_t slot = (offset[m] + next[m] * skip[m]) % table_size;
            while (table_[slot] != free_slot) {
                ++next[m];
                slot = (offset[m] + next[m] * skip[m]) % table_size;
            }
            table_[slot] = static_cast<std::uint32_t>(m);
            ++next[m];
            ++filled;
        }
    }
}

std::size_t MaglevTable::entries_of(std::size_t member) const {
    return static_cast<std::size_t>(std::count(table_.begin(), table_.end(), static_cast<std::uint32_t>(member)));
}

std::size_t bounded_load_lookup(const HashRing& ring, std::uint64_t hash, std::span<const std::uint64_t> loads,
                                double balance_factor) {
    check(loads.size() == ring.member_count() && balance_factor >= 1.0, "bounded_load_lookup: bad arguments");
    const std::uint64_t total = std::accumulate(loads.begin(), loads.end(), std::uint64_t{0});
    const auto capacity = static_cast<std::uint64_t>(
        std::ceil(balance_factor * static_cast<double>(total + 1) / static_cast<double>(loads.size())));
    const std::size_t start = ring.position_of(hash);
    for (std::size_t step = 0; step < ring.size(); ++step) {
        const std::size_t m = ring.member_at((start + step) % ring.size());
        if (loads[m] + 1 <= capacity) return m;
    }
    return static_cast<std::size_t>(std::min_element(loads.begin(), loads.end()) - loads.begin());
}

}  // namespace routelab::driver
