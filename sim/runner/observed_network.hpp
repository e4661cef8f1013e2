#pragma once
// The network as the driver sees it, with its connects reported as facts: forwards every
// call to the World's network unchanged, so nothing about the run differs.
#include "sim/checks/facts.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/net/network.hpp"

namespace routelab::runner {

class ObservedNetwork final : public net::Network {
public:
    ObservedNetwork(net::Network& inner, sim::Scheduler& scheduler, checks::FactBus& facts)
        : inner_(inner), scheduler_(scheduler), facts_(facts) {}
    bool listen(net::Endpoint at, AcceptHandler on_accept) override { return inner_.listen(at, std::move(on_accept)); }
    void unlisten(net::Endpoint at) override { inner_.unlisten(at); }
    void connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) override {
        if (facts_.wants(checks::FactKind::connection)) facts_.publish(checks::ConnectionOpened{scheduler_.now(), to});
        inner_.connect(from, to, std::move(on_connected));
    }

private:
    net::Network& inner_;
    sim::Scheduler& scheduler_;
    checks::FactBus& facts_;
};

}  // namespace routelab::runner
