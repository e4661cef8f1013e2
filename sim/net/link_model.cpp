#include "sim/net/link_model.hpp"

namespace routelab::net {

Proximity LinkModel::proximity(std::uint32_t a, std::uint32_t b) const {
    if (a == b) return Proximity::same_host;
    auto la = locations_.find(a);
    auto lb = locations_.find(b);
    // An unplaced host (e.g. a client with no location) is treated as in the same DC.
    if (la == locations_.end() || lb == locations_.end()) return Proximity::same_dc;
    if (la->second.datacenter != lb->second.datacenter) return Proximity::cross_dc;
    if (la->second.rack == lb->second.rack) return Proximity::same_rack;
    return Proximity::same_dc;
}

void LinkModel::set_extra_latency(std::uint32_t ip, sim::Duration extra) {
    if (extra <= sim::Duration{}) extra_.erase(ip);
    else extra_[ip] = extra;
}

void LinkModel::set_blocked(std::uint32_t a, std::uint32_t b, bool blocked) {
    if (blocked) blocked_.insert(std::minmax(a, b));
    else blocked_.erase(std::minmax(a, b));
}

sim::Duration LinkModel::sample(Proximity p, sim::RngStream& rng) const {
    switch (p) {
        case Proximity::same_host: return sim::sample_duration_us(latencies_.same_host, rng);
        case Proximity::same_rack: return sim::sample_duration_us(latencies_.same_rack, rng);
        case Proximity::same_dc: return sim::sample_duration_us(latencies_.same_dc, rng);
        case Proximity::cross_dc: return sim::sample_duration_us(latencies_.cross_dc, rng);
    }
    return {};
}

}  // namespace routelab::net
