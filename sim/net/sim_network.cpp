#include "sim/net/sim_network.hpp"

#include <algorithm>
#include <cassert>

namespace routelab::net {

const char* to_string(CloseReason reason) {
    switch (reason) {
        case CloseReason::local_close: return "local close";
        case CloseReason::peer_close: return "closed by peer";
        case CloseReason::reset: return "connection reset";
        case CloseReason::refused: return "connection refused";
        case CloseReason::unreachable: return "host unreachable";
    }
    return "unknown";
}

class SimNetwork::SimStream final : public Stream {
public:
    SimStream(SimNetwork& net, std::uint64_t id, int side, Endpoint self, Endpoint peer)
        : net_(net), id_(id), side_(side), self_(self), peer_(peer) {}
    // Closes if open, and drops the handlers in any case: a close handler still waiting
    // to run (a reset's own-end notice) must not run once its stream is gone.
    ~SimStream() override { net_.close(id_, side_, CloseReason::local_close); }
    void on_data(DataHandler handler) override { net_.set_data_handler(id_, side_, std::move(handler)); }
    void on_close(CloseHandler handler) override {
        if (auto* c = net_.find(id_)) c->ends[side_].on_close = std::move(handler);
    }
    void write(std::span<const std::uint8_t> bytes) override { net_.write(id_, side_, bytes); }
    void close() override { net_.close(id_, side_, CloseReason::local_close); }
    bool open() const override {
        auto* c = net_.find(id_);
        return c != nullptr && c->ends[side_].open;
    }
    Endpoint local() const override { return self_; }
    Endpoint remote() const override { return peer_; }

private:
    SimNetwork& net_;
    std::uint64_t id_;
    int side_;
    Endpoint self_;
    Endpoint peer_;
};

SimNetwork::SimNetwork(sim::Scheduler& scheduler, sim::RngStream rng, sim::Trace& trace, LinkModel links)
    : scheduler_(scheduler), rng_(rng), trace_(trace), links_(std::move(links)) {}

SimNetwork::~SimNetwork() = default;

bool SimNetwork::listen(Endpoint at, AcceptHandler on_accept) {
    return listeners_.emplace(at, std::move(on_accept)).second;
}

void SimNetwork::unlisten(Endpoint at) { listeners_.erase(at); }

std::uint16_t SimNetwork::ephemeral_port(std::uint32_t ip) {
    // Linux's default ephemeral range, handed out in order per host.
    auto [it, inserted] = next_port_.emplace(ip, std::uint16_t{32768});
    const std::uint16_t port = it->second;
    it->second = port >= 60999 ? std::uint16_t{32768} : static_cast<std::uint16_t>(port + 1);
    return port;
}

void SimNetwork::connect(Endpoint from, Endpoint to, ConnectHandler on_connected) {
    if (from.port == 0) from.port = ephemeral_port(from.ip);
    const Proximity proximity = links_.proximity(from.ip, to.ip);
    const sim::Duration syn = links_.sample(proximity, rng_);
    const sim::Duration syn_ack = links_.sample(proximity, rng_);
    trace_.record(scheduler_.now(), sim::TraceKind::connect, (std::uint64_t{from.ip} << 16) | from.port,
                  (std::uint64_t{to.ip} << 16) | to.port);
    auto pending = std::make_shared<PendingConnect>(PendingConnect{from, to, proximity, syn_ack, std::move(on_connected)});
    scheduler_.after(syn, [this, pending] { arrive(std::move(pending)); });
}

void SimNetwork::arrive(std::shared_ptr<PendingConnect> p) {
    if (!links_.reachable(p->from.ip, p->to.ip)) {
        // The SYN is lost; the connector gives up after its connect timeout.
        scheduler_.after(connect_timeout, [p] { p->handler(nullptr, CloseReason::unreachable); });
        return;
    }
    auto listener = listeners_.find(p->to);
    if (listener == listeners_.end()) {
        scheduler_.after(p->syn_ack, [p] { p->handler(nullptr, CloseReason::refused); });
        return;
    }
    const std::uint64_t id = next_connection_id_++;
    auto c = std::make_unique<Connection>();
    c->id = id;
    c->proximity = p->proximity;
    c->ends[0].self = p->from;
    c->ends[1].self = p->to;
    const sim::Time connected_at = scheduler_.now() + p->syn_ack;
    // Bytes the server sends right away must not overtake the connect completion.
    c->toward[0].last_delivery = connected_at;
    connections_.push_back(std::move(c));   // at index id
    trace_.record(scheduler_.now(), sim::TraceKind::accept, id, (std::uint64_t{p->to.ip} << 16) | p->to.port);
    // Scheduled before the accept handler runs: anything that handler schedules for the
    // same instant (its first bytes, or its close) then runs after the connector has its
    // stream and handlers, instead of being delivered to nobody.
    scheduler_.at(connected_at, [this, id, p] {
        Connection* conn = find(id);
        if (conn == nullptr || !conn->ends[0].open) {
            p->handler(nullptr, CloseReason::reset);
            return;
        }
        p->handler(std::make_unique<SimStream>(*this, id, 0, p->from, p->to), CloseReason::local_close);
    });
    // A copy: the handler may unlisten (erasing the map entry) while it runs.
    const AcceptHandler on_accept = listener->second;
    on_accept(std::make_unique<SimStream>(*this, id, 1, p->to, p->from));
}

SimNetwork::Connection* SimNetwork::find(std::uint64_t id) {
    return id < connections_.size() ? connections_[id].get() : nullptr;
}

sim::Time SimNetwork::next_delivery_time(Connection& c, int to_side) {
    Direction& d = c.toward[to_side];
    const sim::Time t = std::max(scheduler_.now() + links_.sample(c.ends[0].self.ip, c.ends[1].self.ip, c.proximity, rng_),
                                 d.last_delivery);
    d.last_delivery = t;
    return t;
}

void SimNetwork::write(std::uint64_t id, int side, std::span<const std::uint8_t> bytes) {
    Connection* c = find(id);
    if (c == nullptr || !c->ends[side].open || bytes.empty()) return;
    const int to_side = 1 - side;
    Direction& d = c->toward[to_side];
    if (d.close_queued) return;
    const sim::Time at = next_delivery_time(*c, to_side);
    d.buffer.insert(d.buffer.end(), bytes.begin(), bytes.end());
    d.chunks.push_back(Chunk{at, d.buffer.size()});
    trace_.record(scheduler_.now(), sim::TraceKind::bytes_sent, id * 2 + static_cast<std::uint64_t>(side), bytes.size());
    ++c->pending_events;
    scheduler_.at(at, [this, id, to_side] { deliver(id, to_side); });
}

void SimNetwork::set_data_handler(std::uint64_t id, int side, Stream::DataHandler handler) {
    Connection* c = find(id);
    if (c == nullptr) return;
    End& end = c->ends[side];
    end.on_data = std::move(handler);
    ++end.data_handler_version;
    Direction& d = c->toward[side];
    if (end.on_data && end.open && d.held) {
        // Bytes arrived while no handler was installed: hand them over now (from an
        // event, never from inside on_data).
        d.held = false;
        ++c->pending_events;
        scheduler_.after(sim::Duration{}, [this, id, side] { deliver(id, side); });
    }
}

void SimNetwork::deliver(std::uint64_t id, int to_side) {
    Connection* c = find(id);
    if (c == nullptr) return;
    --c->pending_events;
    Direction& d = c->toward[to_side];
    End& end = c->ends[to_side];
    if (!link_up(*c)) {
        d.stalled = true;  // heal() delivers what waits
        return;
    }
    if (end.open && !end.on_data) {
        // No reader yet (or the reader paused itself): the bytes wait in the buffer, as
        // in a socket's receive buffer, until a data handler is installed.
        if (d.chunks_done < d.chunks.size() && d.chunks[d.chunks_done].deliver_at <= scheduler_.now()) d.held = true;
        return;
    }
    // Hand over every chunk that is due now in one call (TCP merges segments too).
    std::size_t upto = d.delivered;
    while (d.chunks_done < d.chunks.size() && d.chunks[d.chunks_done].deliver_at <= scheduler_.now()) {
        upto = d.chunks[d.chunks_done].end;
        ++d.chunks_done;
    }
    if (upto > d.delivered && end.open) {
        const std::size_t from = d.delivered;
        d.delivered = upto;
        bytes_delivered_ += upto - from;
        trace_.record(scheduler_.now(), sim::TraceKind::bytes_delivered, id * 2 + static_cast<std::uint64_t>(to_side), upto - from);
        if (end.on_data) {
            // The receiver can only write toward its peer (the other Direction), so this
            // buffer is not touched while the handler reads the span; `busy` keeps the
            // connection alive even if the handler closes it. The handler is moved out
            // while it runs, because closing (or destroying) its stream clears on_data,
            // which must not destroy the function that is running.
            ++c->busy;
            Stream::DataHandler handler = std::move(end.on_data);
            end.on_data = nullptr;
            const std::uint64_t version = end.data_handler_version;
            handler(std::span<const std::uint8_t>(d.buffer.data() + from, upto - from));
            if (end.open && end.data_handler_version == version) end.on_data = std::move(handler);
            --c->busy;
        }
        c = find(id);
        if (c == nullptr) return;
    } else {
        d.delivered = upto;
    }
    Direction& dd = c->toward[to_side];
    if (dd.chunks_done == dd.chunks.size() && dd.delivered == dd.buffer.size()) {
        // Everything handed over: reuse the storage (capacity stays, no allocation).
        dd.buffer.clear();
        dd.chunks.clear();
        dd.delivered = 0;
        dd.chunks_done = 0;
    }
    maybe_forget(*c);
}

void SimNetwork::close(std::uint64_t id, int side, CloseReason reason) {
    Connection* c = find(id);
    if (c == nullptr) return;
    // A local close (or destroying the stream) also withdraws a close handler that is
    // still waiting to be told of an earlier reset.
    c->ends[side].on_data = nullptr;
    c->ends[side].on_close = nullptr;
    if (!c->ends[side].open) {
        maybe_forget(*c);
        return;
    }
    c->ends[side].open = false;
    trace_.record(scheduler_.now(), sim::TraceKind::close, id * 2 + static_cast<std::uint64_t>(side), static_cast<std::uint64_t>(reason));
    const int to_side = 1 - side;
    Direction& d = c->toward[to_side];
    if (c->ends[to_side].open && !d.close_queued) {
        d.close_queued = true;
        const sim::Time at = next_delivery_time(*c, to_side);
        ++c->pending_events;
        const CloseReason peer_reason = reason == CloseReason::reset ? CloseReason::reset : CloseReason::peer_close;
        scheduler_.at(at, [this, id, to_side, peer_reason] { deliver_close(id, to_side, peer_reason); });
    }
    maybe_forget(*c);
}

void SimNetwork::deliver_close(std::uint64_t id, int to_side, CloseReason reason) {
    Connection* c = find(id);
    if (c == nullptr) return;
    --c->pending_events;
    if (!link_up(*c)) {
        c->toward[to_side].close_stalled = true;
        c->toward[to_side].stalled_reason = reason;
        return;
    }
    End& end = c->ends[to_side];
    if (end.open) {
        end.open = false;
        auto handler = std::move(end.on_close);
        end.on_data = nullptr;
        end.on_close = nullptr;
        trace_.record(scheduler_.now(), sim::TraceKind::close, id * 2 + static_cast<std::uint64_t>(to_side), static_cast<std::uint64_t>(reason));
        if (handler) handler(reason);
    }
    if ((c = find(id)) != nullptr) maybe_forget(*c);
}

void SimNetwork::maybe_forget(Connection& c) {
    if (!c.ends[0].open && !c.ends[1].open && c.pending_events == 0 && c.busy == 0) connections_[c.id].reset();
}

void SimNetwork::partition(std::uint32_t a, std::uint32_t b) {
    links_.set_blocked(a, b, true);
    trace_.record(scheduler_.now(), sim::TraceKind::fault, (std::uint64_t{a} << 32) | b, 1);
}

void SimNetwork::heal(std::uint32_t a, std::uint32_t b) {
    if (links_.reachable(a, b)) return;
    links_.set_blocked(a, b, false);
    trace_.record(scheduler_.now(), sim::TraceKind::fault, (std::uint64_t{a} << 32) | b, 2);
    const auto pair = std::minmax(a, b);
    for (std::uint64_t id = 0; id < connections_.size(); ++id) {
        Connection* c = connections_[id].get();
        if (c == nullptr) continue;
        if (std::minmax(c->ends[0].self.ip, c->ends[1].self.ip) != pair) continue;
        for (int side = 0; side < 2; ++side) {
            Direction& d = c->toward[side];
            const std::uint64_t conn = id;
            if (d.stalled) {
                d.stalled = false;
                ++c->pending_events;
                scheduler_.after(sim::Duration{}, [this, conn, side] { deliver(conn, side); });
            }
            if (d.close_stalled) {
                d.close_stalled = false;
                ++c->pending_events;
                const CloseReason reason = d.stalled_reason;
                scheduler_.after(sim::Duration{}, [this, conn, side, reason] { deliver_close(conn, side, reason); });
            }
        }
    }
}

void SimNetwork::set_extra_latency(std::uint32_t ip, sim::Duration extra) {
    links_.set_extra_latency(ip, extra);
    trace_.record(scheduler_.now(), sim::TraceKind::fault, ip, static_cast<std::uint64_t>(extra.ns()));
}

void SimNetwork::reset_host(std::uint32_t ip) {
    std::vector<std::pair<std::uint64_t, int>> victims;
    for (std::uint64_t id = 0; id < connections_.size(); ++id)
        for (int side = 0; side < 2 && connections_[id] != nullptr; ++side)
            if (connections_[id]->ends[side].self.ip == ip && connections_[id]->ends[side].open) victims.emplace_back(id, side);
    for (const auto& [id, side] : victims) {
        Connection* c = find(id);
        if (c == nullptr) continue;
        // Undelivered bytes toward the peer are lost with the reset.
        Direction& d = c->toward[1 - side];
        d.chunks_done = d.chunks.size();
        d.delivered = d.buffer.size();
        // The host's own end learns of the reset too, from an event (never re-entrantly).
        // The handler stays with the end until then, so closing or destroying the stream
        // in the meantime withdraws it.
        // Counting the notice as pending first keeps close() from forgetting the connection.
        auto own_handler = std::move(c->ends[side].on_close);
        if (own_handler) ++c->pending_events;
        close(id, side, CloseReason::reset);
        if (own_handler) {
            c->ends[side].on_close = std::move(own_handler);
            scheduler_.after(sim::Duration{}, [this, conn = id, end = side] { notify_reset(conn, end); });
        }
    }
}

void SimNetwork::notify_reset(std::uint64_t id, int side) {
    Connection* c = find(id);
    if (c == nullptr) return;
    --c->pending_events;
    auto handler = std::move(c->ends[side].on_close);
    c->ends[side].on_close = nullptr;
    if (handler) {
        ++c->busy;  // the handler may close or destroy its stream
        handler(CloseReason::reset);
        --c->busy;
    }
    if ((c = find(id)) != nullptr) maybe_forget(*c);
}

}  // namespace routelab::net
