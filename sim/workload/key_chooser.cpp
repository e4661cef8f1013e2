#include "sim/workload/key_chooser.hpp"

#include <utility>

namespace routelab::workload {

KeyChooser::KeyChooser(KeyConfig config) : config_(std::move(config)) {
    if (config_.kind == KeyConfig::Kind::zipf)
        zipf_.emplace(static_cast<std::uint64_t>(config_.keys), config_.zipf_exponent);
    next_sequential_ = config_.keys > 0 ? config_.first % config_.keys : 0;
}

std::int64_t KeyChooser::next(sim::RngStream& rng) {
    const auto below = [&rng](std::int64_t n) { return static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(n))); };
    switch (config_.kind) {
        case KeyConfig::Kind::uniform:
            return below(config_.keys);
        case KeyConfig::Kind::zipf:
            return static_cast<std::int64_t>(zipf_->sample(rng)) - 1;
        case KeyConfig::Kind::hot_set:
            if (rng.below(1'000'000) < config_.hot_per_million) return below(config_.hot_keys);
            return config_.hot_keys + below(config_.keys - config_.hot_keys);
        case KeyConfig::Kind::sequential: {
            const std::int64_t key = next_sequential_;
            next_sequential_ = key + 1 == config_.keys ? 0 : key + 1;
            return key;
        }
        case KeyConfig::Kind::list:
            return config_.list[static_cast<std::size_t>(rng.below(config_.list.size()))];
    }
    return 0;
}

}  // namespace routelab::workload
