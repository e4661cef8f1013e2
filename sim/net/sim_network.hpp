#pragma once
// In-memory network for simulated runs. Bytes written on a connection arrive after a
// one-way latency drawn from the LinkModel for the two hosts; delivery on a direction is
// never earlier than the previous delivery on it, which keeps bytes in order.
// Everything happens through the scheduler: no handler runs inside write/close/connect.
#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/core/trace.hpp"
#include "sim/net/link_model.hpp"
#include "sim/net/network.hpp"

namespace routelab::net {

class SimNetwork final : public Network {
public:
    SimNetwork(sim::Scheduler& scheduler, sim::RngStream rng, sim::Trace& trace, LinkModel links);
    ~SimNetwork() override;

    bool listen(Endpoint at, AcceptHandler on_accept) override;
    void unlisten(Endpoint at) override;
    void connect(Endpoint from, Endpoint to, ConnectHandler on_connected) override;

    LinkModel& links() { return links_; }

    // Faults. A partition stalls traffic between two hosts (bytes wait, as TCP
    // retransmits) and makes new connects between them fail as unreachable; healing
    // delivers what waited. Each change is a traced event.
    void partition(std::uint32_t a, std::uint32_t b);
    void heal(std::uint32_t a, std::uint32_t b);
    void set_extra_latency(std::uint32_t ip, sim::Duration extra);
    // Resets every connection of a host: both ends see a reset, undelivered bytes are lost.
    void reset_host(std::uint32_t ip);
    static constexpr sim::Duration connect_timeout = sim::Duration::from_s(1);
    std::uint64_t connections_opened() const { return next_connection_id_; }
    std::uint64_t bytes_delivered() const { return bytes_delivered_; }

private:
    class SimStream;
    struct Chunk {
        sim::Time deliver_at;
        std::size_t end;  // offset in the direction's buffer one past this chunk
    };
    // Bytes in flight from one end to the other.
    struct Direction {
        std::vector<std::uint8_t> buffer;
        std::vector<Chunk> chunks;
        std::size_t delivered = 0;      // bytes of `buffer` already handed over
        std::size_t chunks_done = 0;    // chunks already handed over
        sim::Time last_delivery = sim::Time::zero();
        bool close_queued = false;
        bool stalled = false;            // a delivery found the link partitioned
        bool close_stalled = false;      // a close found the link partitioned
        bool held = false;               // bytes are due but the end has no data handler
        CloseReason stalled_reason = CloseReason::peer_close;
    };
    struct End {
        Stream::DataHandler on_data;
        Stream::CloseHandler on_close;
        Endpoint self;
        bool open = true;
        // Bumped whenever on_data is set, so deliver() can tell whether the running data
        // handler replaced itself (or cleared itself) while it was moved out to run.
        std::uint64_t data_handler_version = 0;
    };
    struct Connection {
        std::uint64_t id;
        Proximity proximity;
        End ends[2];           // 0: connecting side, 1: accepting side
        Direction toward[2];   // toward[i]: bytes travelling to ends[i]
        int pending_events = 0;
        int busy = 0;  // > 0 while a handler runs on this connection's buffers
    };
    struct PendingConnect {
        Endpoint from;
        Endpoint to;
        Proximity proximity;
        sim::Duration syn_ack;
        ConnectHandler handler;
    };

    void arrive(std::shared_ptr<PendingConnect> pending);

    void write(std::uint64_t id, int side, std::span<const std::uint8_t> bytes);
    void close(std::uint64_t id, int side, CloseReason reason);
    void deliver(std::uint64_t id, int to_side);
    void deliver_close(std::uint64_t id, int to_side, CloseReason reason);
    void notify_reset(std::uint64_t id, int side);
    void set_data_handler(std::uint64_t id, int side, Stream::DataHandler handler);
    sim::Time next_delivery_time(Connection& c, int to_side);
    Connection* find(std::uint64_t id);
    void maybe_forget(Connection& c);
    bool link_up(const Connection& c) const { return links_.reachable(c.ends[0].self.ip, c.ends[1].self.ip); }
    std::uint16_t ephemeral_port(std::uint32_t ip);

    sim::Scheduler& scheduler_;
    sim::RngStream rng_;
    sim::Trace& trace_;
    LinkModel links_;
    std::map<Endpoint, AcceptHandler> listeners_;
    std::map<std::uint32_t, std::uint16_t> next_port_;
    // By connection id (ids count up from 0): a lookup per delivery is an index, not a
    // tree walk. A forgotten connection leaves a null entry (8 bytes per connection ever
    // opened).
    std::vector<std::unique_ptr<Connection>> connections_;
    std::uint64_t next_connection_id_ = 0;
    std::uint64_t bytes_delivered_ = 0;
};

}  // namespace routelab::net
