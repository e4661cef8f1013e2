#pragma once
// A sweep's grid: the Cartesian product of knob values (`--set KEY=V1,V2,...`) times seeds,
// as a numbered list of jobs. The numbering is the sweep's identity: job i is always the
// same overrides and seed, whatever the workers, the order they finish in or the shard, so
// a resumed or sharded sweep stores exactly what a straight one does.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/overrides.hpp"

namespace routelab::sweep {

struct Axis {
    std::string key;
    std::vector<std::string> values;  // TOML value texts, in the order given
};

struct Job {
    std::uint64_t index = 0;
    std::uint64_t seed = 0;
    std::vector<scenario::Override> overrides;  // one per axis, in axis order
    std::string knobs_json;                     // {"key": "value text", ...}
};

class Grid {
public:
    Grid(std::vector<Axis> axes, std::uint64_t seeds, std::uint64_t first_seed);

    std::uint64_t points() const;  // product of the axes' sizes (1 with no axis)
    std::uint64_t jobs() const { return points() * seeds_; }
    // Job `index` < jobs(): grid point index / seeds (last axis varies fastest), seed
    // first_seed + index % seeds.
    Job job(std::uint64_t index) const;
    // The axes as text ("key=v1,v2;key2=..."), for telling sweeps apart.
    std::string canonical() const;
    std::uint64_t seeds() const { return seeds_; }
    std::uint64_t first_seed() const { return first_seed_; }

private:
    std::vector<Axis> axes_;
    std::uint64_t seeds_;
    std::uint64_t first_seed_;
};

// "KEY=V1,V2,..." -> Axis. Values are split at commas outside brackets, braces and quotes,
// so `--set 'workload.schedule=[1,2],[3,4]'` has two values. Returns what is wrong.
std::optional<std::string> parse_axis(const std::string& text, Axis& out);

// `--shard I/N`: job j belongs to shard (j mod N) + 1, so shards are balanced over the grid.
struct Shard {
    std::uint64_t index = 1;  // 1-based
    std::uint64_t count = 1;
    bool owns(std::uint64_t job) const { return job % count == index - 1; }
};
std::optional<std::string> parse_shard(const std::string& text, Shard& out);

}  // namespace routelab::sweep
