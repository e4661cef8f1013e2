#pragma once
// Which key a request goes to: uniform over the key space, Zipf by rank, a hot set taking
// a share of the traffic, a sequence, or a fixed list. Keys are 0 .. keys-1 (Zipf: rank r
// is key r-1, so key 0 is the hottest; tokens hash them over the ring anyway).
#include <cstdint>
#include <optional>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/workload/zipf.hpp"

namespace routelab::workload {

struct KeyConfig {
    enum class Kind : std::uint8_t { uniform, zipf, hot_set, sequential, list };
    Kind kind = Kind::uniform;
    std::int64_t keys = 100'000;          // key space size (not used by `list`)
    double zipf_exponent = 1.0;           // zipf: s > 0
    std::int64_t hot_keys = 1;            // hot_set: the keys 0 .. hot_keys-1 are hot (< keys)
    std::uint64_t hot_per_million = 0;    // hot_set: share of requests on them, out of 10^6
    std::int64_t first = 0;               // sequential: the first key (then +1, wrapping at keys)
    std::vector<std::int64_t> list;       // list: drawn uniformly from these
};

class KeyChooser {
public:
    explicit KeyChooser(KeyConfig config);
    std::int64_t next(sim::RngStream& rng);
    const KeyConfig& config() const { return config_; }

private:
    KeyConfig config_;
    std::optional<ZipfSampler> zipf_;
    std::int64_t next_sequential_ = 0;
};

}  // namespace routelab::workload
