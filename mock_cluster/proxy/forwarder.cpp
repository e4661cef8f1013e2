#include "mock_cluster/proxy/forwarder.hpp"

namespace routelab::cluster {

Forwarder::Forwarder(sim::Scheduler& scheduler, net::Network& network, net::Endpoint at, TargetFor target_for)
    : scheduler_(scheduler),
      network_(network), at_(at), target_for_(std::move(target_for)) {
    listening_ = network_.listen(at_, [this](net::StreamPtr client) { accept(std::move(client)); });
}

Forwarder::~Forwarder() {
    *alive_ = false;
    if (listening_) network_.unlisten(at_);
    close_all();
}

void Forwarder::close_all() {
    auto pairs = std::move(pairs_);
    pairs_.clear();
    for (auto& [id, pair] : pairs) {
        if (pair->client) pair->client->close();
        if (pair->upstream) pair->upstream->close();
    }
}

void Forwarder::drop(std::uint64_t id) {
    auto it = pairs_.find(id);
    if (it == pairs_.end()) return;
    auto pair = std::move(it->second);
    pairs_.erase(it);
    if (pair->client) pair->client->close();
    if (pair->upstream) pair->upstream->close();
    // Destroyed from an event: one of its streams may be running its handler right now.
    scheduler_.after(sim::Duration{}, [pair] {});
}

void Forwarder::accept(net::StreamPtr client) {
    ++accepted_;
    const auto target = target_for_(*client);
    if (!target) return client->close();
    const std::uint64_t id = next_id_++;
    auto pair = std::make_shared<Pair>();
    Pair* p = pair.get();
    p->client = std::move(client);
    pairs_.emplace(id, std::move(pair));
    p->client->on_data([p](std::span<const std::uint8_t> bytes) {
        if (p->upstream) p->upstream->write(bytes);
        else p->waiting.insert(p->waiting.end(), bytes.begin(), bytes.end());
    });
    p->client->on_close([this, id](net::CloseReason) { drop(id); });
    network_.connect(net::Endpoint{at_.ip, 0}, *target, [this, id, alive = alive_](net::StreamPtr upstream, net::CloseReason) {
        if (!*alive) return;
        auto it = pairs_.find(id);
        if (it == pairs_.end()) return;   // the client left meanwhile
        if (!upstream) return drop(id);
        Pair* q = it->second.get();
        q->upstream = std::move(upstream);
        q->upstream->on_data([q](std::span<const std::uint8_t> bytes) { q->client->write(bytes); });
        q->upstream->on_close([this, id](net::CloseReason) { drop(id); });
        if (!q->waiting.empty()) {
            q->upstream->write(q->waiting);
            q->waiting.clear();
            q->waiting.shrink_to_fit();
        }
    });
}

}  // namespace routelab::cluster
