#pragma once
// One-way latency between two hosts, by how far apart they are: same host, same rack,
// same datacenter, or across datacenters. Each class is a distribution in microseconds.
#include <cstdint>
#include <map>
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

private:
    LinkLatencies latencies_;
    std::map<std::uint32_t, Location> locations_;
};

}  // namespace routelab::net
