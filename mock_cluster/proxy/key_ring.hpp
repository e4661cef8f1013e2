#pragma once
// Consistent hashing of session keys onto nodes, as a load-balancing proxy does it
// (ClickHouse Cloud's replica-aware routing hashes the session id onto its replicas):
// every node owns `points` pseudo-random points on a 64-bit ring; a key goes to the owner
// of the first point at or after the key's hash that belongs to a live node. When a node
// leaves, only its keys move (to the owners of the following points); when it comes back
// they return.
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace routelab::cluster {

class KeyRing {
public:
    // `nodes`: node indexes; `names`: their names (the points derive from the names, so the
    // ring depends only on who is in it).
    KeyRing(const std::vector<std::uint16_t>& nodes, const std::vector<std::string_view>& names, int points = 128);

    std::optional<std::uint16_t> node_for(std::string_view key, const std::function<bool(std::uint16_t)>& live) const;
    static std::uint64_t hash(std::string_view key);

private:
    std::vector<std::pair<std::uint64_t, std::uint16_t>> points_;   // sorted by hash
};

}  // namespace routelab::cluster
