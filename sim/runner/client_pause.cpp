#include "sim/runner/client_pause.hpp"

#include <algorithm>
#include <memory>

namespace routelab::runner {

PausableScheduler::~PausableScheduler() {
    for (auto& [id, pending] : events_)
        if (!pending.held && pending.inner.valid()) inner_.cancel(pending.inner);
}

sim::EventId PausableScheduler::at(sim::Time when, sim::EventFn fn) {
    const std::uint64_t id = ++next_id_;
    Pending& pending = events_[id];
    pending.fn = std::move(fn);
    pending.inner = inner_.at(when, [this, id] { fire(id); });
    return sim::EventId{id};
}

void PausableScheduler::fire(std::uint64_t id) {
    auto it = events_.find(id);
    if (it == events_.end()) return;
    if (paused_) {
        it->second.held = true;
        it->second.inner = {};
        held_.push_back(id);
        return;
    }
    sim::EventFn fn = std::move(it->second.fn);
    events_.erase(it);
    fn();
}

bool PausableScheduler::cancel(sim::EventId id) {
    auto it = events_.find(id.value);
    if (it == events_.end()) return false;
    if (it->second.held) held_.erase(std::find(held_.begin(), held_.end(), id.value));
    else inner_.cancel(it->second.inner);
    events_.erase(it);
    return true;
}

void PausableScheduler::resume() {
    paused_ = false;
    const sim::Time now = inner_.now();
    for (std::uint64_t id : held_) {
        Pending& pending = events_.at(id);
        pending.held = false;
        pending.inner = inner_.at(now, [this, id] { fire(id); });
    }
    held_.clear();
}

// A client stream whose reading stops while the client is paused; its close notice is
// delivered through the pausable scheduler.
class PausableNetwork::PausableStream final : public net::Stream {
public:
    PausableStream(PausableNetwork& owner, net::StreamPtr inner) : owner_(owner), inner_(std::move(inner)), id_(owner.next_stream_++) {
        owner_.streams_[id_] = this;
    }
    ~PausableStream() override {
        owner_.streams_.erase(id_);
        *alive_ = false;
    }
    void on_data(DataHandler handler) override {
        handler_ = std::move(handler);
        apply();
    }
    void on_close(CloseHandler handler) override {
        if (!handler) return inner_->on_close(nullptr);
        auto alive = alive_;
        auto shared = std::make_shared<CloseHandler>(std::move(handler));
        inner_->on_close([this, alive, shared](net::CloseReason reason) {
            if (!owner_.paused_) return (*shared)(reason);
            owner_.scheduler_.at(owner_.scheduler_.now(), [alive, shared, reason] {
                if (*alive) (*shared)(reason);
            });
        });
    }
    void write(std::span<const std::uint8_t> bytes) override { inner_->write(bytes); }
    void close() override { inner_->close(); }
    bool open() const override { return inner_->open(); }
    net::Endpoint local() const override { return inner_->local(); }
    net::Endpoint remote() const override { return inner_->remote(); }
    // Installs the data handler on the real stream unless paused (bytes then wait there).
    void apply() {
        if (owner_.paused_ || !handler_) inner_->on_data(nullptr);
        else inner_->on_data(handler_);
    }

private:
    PausableNetwork& owner_;
    net::StreamPtr inner_;
    std::uint64_t id_;
    DataHandler handler_;
    std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

void PausableNetwork::connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) {
    struct Completion {
        ConnectHandler handler;
        net::StreamPtr stream;
        net::CloseReason reason = net::CloseReason::refused;
    };
    auto completion = std::make_shared<Completion>();
    completion->handler = std::move(on_connected);
    inner_.connect(from, to, [this, completion](net::StreamPtr stream, net::CloseReason reason) {
        if (stream) completion->stream = std::make_unique<PausableStream>(*this, std::move(stream));
        completion->reason = reason;
        scheduler_.at(scheduler_.now(), [completion] { completion->handler(std::move(completion->stream), completion->reason); });
    });
}

void PausableNetwork::pause() {
    paused_ = true;
    for (auto& [id, stream] : streams_) stream->apply();
}

void PausableNetwork::resume() {
    paused_ = false;
    for (auto& [id, stream] : streams_) stream->apply();
}

}  // namespace routelab::runner
