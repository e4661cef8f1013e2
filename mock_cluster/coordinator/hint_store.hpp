#pragma once
// Hinted handoff's storage: the writes a coordinator could not send to a replica that was
// down, kept on the coordinator ("holder") until the replica is back up and they are
// replayed to it (Coordinator::node_up). Hints are keyed by (holder, target) in an ordered
// map, so replay order is the order they were stored: deterministic.
#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

namespace routelab::cluster {

struct Hint {
    std::uint16_t target = 0;
    std::uint32_t table = 0;
    std::int64_t token = 0;
    std::string partition_key;
    std::string payload;          // the mutation (storage/mutation.hpp)
    std::int64_t timestamp_us = 0;
};

class HintStore {
public:
    void store(std::uint16_t holder, Hint hint) { hints_[{holder, hint.target}].push_back(std::move(hint)); }

    // Removes and returns what `holder` keeps for `target`, oldest first.
    std::vector<Hint> take(std::uint16_t holder, std::uint16_t target) {
        auto it = hints_.find({holder, target});
        if (it == hints_.end()) return {};
        std::vector<Hint> out = std::move(it->second);
        hints_.erase(it);
        return out;
    }

    // The (holder, target) pairs with hints, in key order.
    std::vector<std::pair<std::uint16_t, std::uint16_t>> pairs() const {
        std::vector<std::pair<std::uint16_t, std::uint16_t>> out;
        for (const auto& [key, list] : hints_) out.push_back(key);
        return out;
    }

    std::size_t size() const {
        std::size_t n = 0;
        for (const auto& [key, list] : hints_) n += list.size();
        return n;
    }

private:
    std::map<std::pair<std::uint16_t, std::uint16_t>, std::vector<Hint>> hints_;
};

}  // namespace routelab::cluster
