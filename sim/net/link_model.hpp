#pragma once
// One-way latency between two hosts, by how far apart they are: same host, same rack,
// same datacenter, or across datacenters. Each class is a distribution in microseconds.
// Faults act here too: extra latency on a host's links, and pairs of hosts that cannot
// reach each other (a partition). Both the network and the cluster's internode messages
// read the same model, so a fault affects client and replica traffic alike.
#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <utility>
#include <string>

#include "sim/core/distributions.hpp"
#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace routelab::net {

struct Location {
    std::string datacenter;
    std::string rack;
};

struct LinkLatencies {
    sim::Distribution same_host{sim::dist::Constant{5.0}};
    sim::Distribution same_rack{sim::dist::LogNormal{60.0, 0.2}};
    sim::Distribution same_dc{sim::dist::LogNormal{150.0, 0.25}};
    sim::Distribution cross_dc{sim::dist::LogNormal{20'000.0, 0.1}};
};

enum class Proximity : std::uint8_t { same_host, same_rack, same_dc, cross_dc };

class LinkModel {
public:
    explicit LinkModel(LinkLatencies latencies) : latencies_(std::move(latencies)) {}

    void place(std::uint32_t ip, Location where) { locations_[ip] = std::move(where); }
    Proximity proximity(std::uint32_t a, std::uint32_t b) const;
    sim::Duration sample(Proximity p, sim::RngStream& rng) const;
    // Latency of one message from a to b, extras included.
    sim::Duration sample(std::uint32_t a, std::uint32_t b, Proximity p, sim::RngStream& rng) const {
        return sample(p, rng) + extra_latency(a) + extra_latency(b);
    }

    void set_extra_latency(std::uint32_t ip, sim::Duration extra);
    sim::Duration extra_latency(std::uint32_t ip) const {
        if (extra_.empty()) return {};
        auto it = extra_.find(ip);
        return it == extra_.end() ? sim::Duration{} : it->second;
    }
    void set_blocked(std::uint32_t a, std::uint32_t b, bool blocked);
    bool reachable(std::uint32_t a, std::uint32_t b) const {
        return blocked_.empty() || !blocked_.count(std::minmax(a, b));
    }

private:
    LinkLatencies latencies_;
    std::map<std::uint32_t, Location> locations_;
    std::map<std::uint32_t, sim::Duration> extra_;
    std::set<std::pair<std::uint32_t, std::uint32_t>> blocked_;
};

}  // namespace routelab::net
