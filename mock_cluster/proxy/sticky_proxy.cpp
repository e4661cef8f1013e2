#include "mock_cluster/proxy/sticky_proxy.hpp"

#include "driver/protocol/byte_reader.hpp"
#include "driver/protocol/codec.hpp"
#include "driver/protocol/frame.hpp"

namespace routelab::cluster {

namespace wire = routelab::cql;

namespace {
constexpr std::int16_t swallowed = -2;   // an answer to the proxy's own request
constexpr std::int16_t free_slot = -3;
}  // namespace

class StickyProxy::ClientSession : public std::enable_shared_from_this<ClientSession> {
public:
    ClientSession(StickyProxy& proxy, std::uint64_t id, net::StreamPtr client)
        : proxy_(proxy), id_(id), client_(std::move(client)) {}

    void start() {
        std::weak_ptr<ClientSession> self = shared_from_this();
        client_->on_data([self](std::span<const std::uint8_t> bytes) {
            if (auto s = self.lock()) s->on_client_data(bytes);
        });
        client_->on_close([self](net::CloseReason) {
            if (auto s = self.lock()) s->close();
        });
    }

    void close() {
        if (closed_) return;
        closed_ = true;
        if (client_) client_->close();
        for (auto& [node, upstream] : upstreams_)
            if (upstream->stream) upstream->stream->close();
        if (default_node_) --proxy_.bound_[*default_node_];
        proxy_.forget(id_);
    }

private:
    struct Upstream {
        std::uint16_t node = 0;
        net::StreamPtr stream;
        bool connected = false;
        bool started = false;                        // has seen a STARTUP (the client's or a replay)
        std::vector<std::uint8_t> queued;            // frames written before the connect completed
        wire::FrameAssembler assembler;
        std::vector<std::int16_t> client_stream;     // by upstream stream id
        std::vector<std::int16_t> free_ids;
    };

    void on_client_data(std::span<const std::uint8_t> bytes) {
        if (closed_) return;
        assembler_.feed(bytes);
        wire::Frame frame;
        for (;;) {
            const auto status = assembler_.next(frame);
            if (status == wire::FrameAssembler::Status::need_more) return assembler_.release_memory();
            if (status == wire::FrameAssembler::Status::error) return close();
            on_client_frame(frame);
            if (closed_) return;
        }
    }

    void on_client_frame(const wire::Frame& frame) {
        version_ = static_cast<std::uint8_t>(frame.header.protocol_version());
        if (frame.header.opcode == wire::Opcode::startup && !startup_body_) return on_startup(frame);
        std::uint16_t target = 0;
        if (auto node = route(frame)) target = *node;
        else return close();   // no live node to send it to
        if (frame.header.opcode == wire::Opcode::prepare) {
            // Every node the connection uses must know the statement: prepare it on all of
            // them now and on any opened later.
            prepares_.emplace_back(frame.body.begin(), frame.body.end());
            for (auto& [node, upstream] : upstreams_)
                if (node != target && upstream->started) send(*upstream, swallowed, wire::Opcode::prepare, frame.header.flags, frame.body);
        }
        ++proxy_.forwarded_[target];
        send(ensure_upstream(target), frame.header.stream, frame.header.opcode, frame.header.flags, frame.body);
    }

    void on_startup(const wire::Frame& frame) {
        auto decoded = wire::decode_request(frame);
        std::optional<std::uint16_t> node;
        if (decoded && std::holds_alternative<wire::Startup>(*decoded)) {
            const auto& options = std::get<wire::Startup>(*decoded).options;
            if (auto key = options.find(proxy_.config_.key_name); key != options.end() && !key->second.empty())
                node = proxy_.node_for_key(key->second);
        }
        if (!node) node = default_node_ ? default_node_ : proxy_.least_connected();
        if (!node) return close();
        if (default_node_ != node) {
            if (default_node_) --proxy_.bound_[*default_node_];
            default_node_ = node;
            ++proxy_.bound_[*node];
        }
        Upstream& upstream = ensure_upstream(*node);
        send(upstream, frame.header.stream, frame.header.opcode, frame.header.flags, frame.body);
        upstream.started = true;
        startup_body_.emplace(frame.body.begin(), frame.body.end());
        // Connections opened before (to answer OPTIONS) get the same STARTUP.
        for (auto& [other, u] : upstreams_)
            if (!u->started) replay_startup(*u);
    }

    // The node a request goes to: its session key's, else the connection's default.
    std::optional<std::uint16_t> route(const wire::Frame& frame) {
        const bool payload = (frame.header.flags & wire::frame_flags::custom_payload) != 0;
        const bool compressed = (frame.header.flags & wire::frame_flags::compression) != 0;
        if (payload && !compressed) {
            auto decoded = wire::decode_request_with_extras(frame);
            if (decoded && decoded->extras.custom_payload) {
                const auto& map = *decoded->extras.custom_payload;
                if (auto key = map.find(proxy_.config_.key_name); key != map.end() && key->second) {
                    const std::string text(key->second->begin(), key->second->end());
                    if (auto node = proxy_.node_for_key(text)) {
                        ++proxy_.stats_.keyed_requests;
                        return node;
                    }
                }
            }
        }
        ++proxy_.stats_.default_requests;
        if (!default_node_ || !proxy_.is_up_(*default_node_)) {
            // Before STARTUP (OPTIONS), or the default node went away: least connections.
            auto node = proxy_.least_connected();
            if (!startup_body_) return node;
            if (!node) return std::nullopt;
            if (default_node_) --proxy_.bound_[*default_node_];
            default_node_ = node;
            ++proxy_.bound_[*node];
        }
        return default_node_;
    }

    Upstream& ensure_upstream(std::uint16_t node) {
        auto it = upstreams_.find(node);
        if (it != upstreams_.end()) return *it->second;
        auto upstream = std::make_unique<Upstream>();
        upstream->node = node;
        Upstream& u = *upstream;
        upstreams_.emplace(node, std::move(upstream));
        if (startup_body_) replay_startup(u);
        const auto* backend = proxy_.backend(node);
        std::weak_ptr<ClientSession> self = shared_from_this();
        proxy_.network_.connect(net::Endpoint{proxy_.config_.at.ip, 0}, backend->endpoint,
                                [self, node](net::StreamPtr stream, net::CloseReason) {
                                    if (auto s = self.lock()) s->on_upstream_connected(node, std::move(stream));
                                });
        return u;
    }

    // A new upstream gets the client's STARTUP, its keyspace and its prepared statements.
    void replay_startup(Upstream& u) {
        u.started = true;
        send(u, swallowed, wire::Opcode::startup, 0, *startup_body_);
        if (!keyspace_.empty()) {
            std::vector<std::uint8_t> use;
            wire::Query q;
            q.query = "USE \"" + keyspace_ + "\"";
            q.parameters.consistency = wire::Consistency::one;
            wire::encode_request(use, 0, q, version_);
            send(u, swallowed, wire::Opcode::query, 0, std::span<const std::uint8_t>(use).subspan(wire::header_size));
        }
        for (const auto& body : prepares_) send(u, swallowed, wire::Opcode::prepare, 0, body);
    }

    void on_upstream_connected(std::uint16_t node, net::StreamPtr stream) {
        if (closed_) {
            if (stream) stream->close();
            return;
        }
        auto it = upstreams_.find(node);
        if (it == upstreams_.end() || !stream) return close();
        Upstream& u = *it->second;
        u.stream = std::move(stream);
        u.connected = true;
        std::weak_ptr<ClientSession> self = shared_from_this();
        u.stream->on_data([self, node](std::span<const std::uint8_t> bytes) {
            if (auto s = self.lock()) s->on_upstream_data(node, bytes);
        });
        u.stream->on_close([self](net::CloseReason) {
            if (auto s = self.lock()) s->close();
        });
        if (!u.queued.empty()) {
            u.stream->write(u.queued);
            u.queued.clear();
        }
    }

    void on_upstream_data(std::uint16_t node, std::span<const std::uint8_t> bytes) {
        if (closed_) return;
        Upstream& u = *upstreams_.at(node);
        u.assembler.feed(bytes);
        wire::Frame frame;
        for (;;) {
            const auto status = u.assembler.next(frame);
            if (status == wire::FrameAssembler::Status::need_more) return;
            if (status == wire::FrameAssembler::Status::error) return close();
            std::int16_t to = frame.header.stream;
            if (to == wire::event_stream_id) {
                if (default_node_ != node) continue;   // the client registered on its default node only
            } else {
                const auto id = static_cast<std::size_t>(to);
                if (to < 0 || id >= u.client_stream.size() || u.client_stream[id] == free_slot) return close();
                to = u.client_stream[id];
                u.client_stream[id] = free_slot;
                u.free_ids.push_back(frame.header.stream);
                if (to == swallowed) continue;
                note_keyspace(frame);
            }
            write_frame(*client_, to, frame.header, frame.body);
            if (closed_) return;
        }
    }

    // RESULT Set_keyspace: later upstream connections are switched to it too.
    void note_keyspace(const wire::Frame& frame) {
        if (frame.header.opcode != wire::Opcode::result || (frame.header.flags & wire::frame_flags::compression)) return;
        auto decoded = wire::decode_response(frame);
        if (!decoded) return;
        if (const auto* result = std::get_if<wire::Result>(&*decoded))
            if (const auto* ks = std::get_if<wire::SetKeyspaceResult>(result)) keyspace_ = ks->keyspace;
    }

    void send(Upstream& u, std::int16_t client_stream, wire::Opcode opcode, std::uint8_t flags, std::span<const std::uint8_t> body) {
        std::int16_t id;
        if (!u.free_ids.empty()) {
            id = u.free_ids.back();
            u.free_ids.pop_back();
        } else {
            if (u.client_stream.size() >= 32768) return close();   // more in flight than CQL allows
            id = static_cast<std::int16_t>(u.client_stream.size());
            u.client_stream.push_back(free_slot);
        }
        u.client_stream[static_cast<std::size_t>(id)] = client_stream;
        wire::FrameHeader header;
        header.version = version_;
        header.flags = flags;
        header.stream = id;
        header.opcode = opcode;
        header.length = static_cast<std::uint32_t>(body.size());
        const std::size_t start = u.queued.size();
        u.queued.resize(start + wire::header_size);
        wire::encode_header(header, u.queued.data() + start);
        u.queued.insert(u.queued.end(), body.begin(), body.end());
        if (u.connected) {
            u.stream->write(u.queued);
            u.queued.clear();
        }
    }

    void write_frame(net::Stream& to, std::int16_t stream, wire::FrameHeader header, std::span<const std::uint8_t> body) {
        header.stream = stream;
        out_.resize(wire::header_size);
        wire::encode_header(header, out_.data());
        out_.insert(out_.end(), body.begin(), body.end());
        to.write(out_);
    }

    StickyProxy& proxy_;
    std::uint64_t id_;
    net::StreamPtr client_;
    wire::FrameAssembler assembler_;
    std::uint8_t version_ = 4;
    bool closed_ = false;
    std::optional<std::uint16_t> default_node_;
    std::optional<std::vector<std::uint8_t>> startup_body_;
    std::string keyspace_;
    std::vector<std::vector<std::uint8_t>> prepares_;
    std::map<std::uint16_t, std::unique_ptr<Upstream>> upstreams_;
    std::vector<std::uint8_t> out_;
};

StickyProxy::StickyProxy(sim::Scheduler& scheduler, net::Network& network, StickyProxyConfig config, IsUp is_up)
    : scheduler_(scheduler),
      network_(network),
      config_(std::move(config)),
      is_up_(std::move(is_up)),
      ring_([this] {
          std::vector<std::uint16_t> nodes;
          for (const auto& b : config_.backends) nodes.push_back(b.node);
          return nodes;
      }(),
            [this] {
                std::vector<std::string_view> names;
                for (const auto& b : config_.backends) names.push_back(b.name);
                return names;
            }(),
            config_.points_per_node) {
    listening_ = network_.listen(config_.at, [this](net::StreamPtr client) {
        ++stats_.connections;
        const std::uint64_t id = next_id_++;
        auto session = std::make_shared<ClientSession>(*this, id, std::move(client));
        clients_.emplace(id, session);
        session->start();
    });
}

StickyProxy::~StickyProxy() {
    if (listening_) network_.unlisten(config_.at);
    auto clients = std::move(clients_);
    clients_.clear();
    for (auto& [id, session] : clients) session->close();
}

const StickyBackend* StickyProxy::backend(std::uint16_t node) const {
    for (const auto& b : config_.backends)
        if (b.node == node) return &b;
    return nullptr;
}

std::optional<std::uint16_t> StickyProxy::node_for_key(std::string_view key) const {
    return ring_.node_for(key, is_up_);
}

std::optional<std::uint16_t> StickyProxy::least_connected() const {
    std::optional<std::uint16_t> best;
    std::size_t fewest = 0;
    for (const auto& b : config_.backends) {
        if (!is_up_(b.node)) continue;
        const std::size_t n = connections_to(b.node);
        if (!best || n < fewest) {
            best = b.node;
            fewest = n;
        }
    }
    return best;
}

std::size_t StickyProxy::connections_to(std::uint16_t node) const {
    auto it = bound_.find(node);
    return it == bound_.end() ? 0 : it->second;
}

std::uint64_t StickyProxy::requests_to(std::uint16_t node) const {
    auto it = forwarded_.find(node);
    return it == forwarded_.end() ? 0 : it->second;
}

void StickyProxy::forget(std::uint64_t id) {
    auto it = clients_.find(id);
    if (it == clients_.end()) return;
    auto session = std::move(it->second);
    clients_.erase(it);
    // Released from an event: the session may be inside one of its own handlers.
    scheduler_.after(sim::Duration{}, [session] {});
}

}  // namespace routelab::cluster
