#pragma once
// client_pause: a client application that stops processing for a while, as in a long GC
// pause. Its timers (workload arrivals, request timeouts, heartbeats) and everything its
// connections deliver wait until it resumes, then run in the order they became due: the
// requests in flight see the pause in their latency, a fixed arrival schedule catches up
// in a burst (a Poisson one, drawn from the last arrival, just resumes), and bytes the nodes sent wait in the socket buffers (network.hpp's contract for
// a stream without a data handler). Only clients a scenario pauses run through these
// wrappers, so every other client's events are exactly as before.
#include <cstdint>
#include <deque>
#include <map>

#include "sim/core/scheduler.hpp"
#include "sim/net/network.hpp"

namespace routelab::runner {

class PausableScheduler final : public sim::Scheduler {
public:
    explicit PausableScheduler(sim::Scheduler& inner) : inner_(inner) {}
    ~PausableScheduler() override;
    sim::Time now() const override { return inner_.now(); }
    sim::EventId at(sim::Time when, sim::EventFn fn) override;
    bool cancel(sim::EventId id) override;
    void pause() { paused_ = true; }
    // Runs what was held, in the order it became due, from events at the current time.
    void resume();
    bool paused() const { return paused_; }

private:
    struct Pending {
        sim::EventFn fn;
        sim::EventId inner;   // valid while scheduled on the inner scheduler
        bool held = false;
    };
    void fire(std::uint64_t id);

    sim::Scheduler& inner_;
    bool paused_ = false;
    std::uint64_t next_id_ = 0;
    std::map<std::uint64_t, Pending> events_;
    std::deque<std::uint64_t> held_;
};

class PausableNetwork final : public net::Network {
public:
    PausableNetwork(net::Network& inner, PausableScheduler& scheduler) : inner_(inner), scheduler_(scheduler) {}
    bool listen(net::Endpoint at, AcceptHandler on_accept) override { return inner_.listen(at, std::move(on_accept)); }
    void unlisten(net::Endpoint at) override { inner_.unlisten(at); }
    // The connect's completion runs through the pausable scheduler (held while paused).
    void connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) override;
    // Stops / restarts reading on every stream of the client.
    void pause();
    void resume();

private:
    class PausableStream;
    friend class PausableStream;
    net::Network& inner_;
    PausableScheduler& scheduler_;
    bool paused_ = false;
    std::uint64_t next_stream_ = 0;
    std::map<std::uint64_t, PausableStream*> streams_;   // by creation order, not by address
};

}  // namespace routelab::runner
