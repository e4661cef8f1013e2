#pragma once
// The network side of the fault actions, as the timeline uses it. A simulated run applies
// them to the SimNetwork (traced, and a heal delivers what waited); live mode applies them
// to the link model the cluster's internode messages read (the client sockets are real).
#include <cstdint>

#include "sim/core/time.hpp"
#include "sim/net/link_model.hpp"
#include "sim/net/sim_network.hpp"

namespace routelab::faults {

class FaultNetwork {
public:
    virtual ~FaultNetwork() = default;
    virtual void partition(std::uint32_t a, std::uint32_t b) = 0;
    virtual void heal(std::uint32_t a, std::uint32_t b) = 0;
    virtual void set_extra_latency(std::uint32_t ip, sim::Duration extra) = 0;
};

class SimFaultNetwork final : public FaultNetwork {
public:
    explicit SimFaultNetwork(net::SimNetwork& network) : network_(network) {}
    void partition(std::uint32_t a, std::uint32_t b) override { network_.partition(a, b); }
    void heal(std::uint32_t a, std::uint32_t b) override { network_.heal(a, b); }
    void set_extra_latency(std::uint32_t ip, sim::Duration extra) override { network_.set_extra_latency(ip, extra); }

private:
    net::SimNetwork& network_;
};

class LinkFaultNetwork final : public FaultNetwork {
public:
    explicit LinkFaultNetwork(net::LinkModel& links) : links_(links) {}
    void partition(std::uint32_t a, std::uint32_t b) override { links_.set_blocked(a, b, true); }
    void heal(std::uint32_t a, std::uint32_t b) override { links_.set_blocked(a, b, false); }
    void set_extra_latency(std::uint32_t ip, sim::Duration extra) override { links_.set_extra_latency(ip, extra); }

private:
    net::LinkModel& links_;
};

}  // namespace routelab::faults
