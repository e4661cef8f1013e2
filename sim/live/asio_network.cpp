#include "sim/live/asio_network.hpp"

#include <array>
#include <vector>

#include <boost/asio/write.hpp>

namespace routelab::live {

using tcp = boost::asio::ip::tcp;

boost::asio::ip::tcp::endpoint to_asio(net::Endpoint endpoint) {
    return {boost::asio::ip::address_v4(endpoint.ip), endpoint.port};
}

net::Endpoint from_asio(const boost::asio::ip::tcp::endpoint& endpoint) {
    net::Endpoint out;
    if (endpoint.address().is_v4()) out.ip = endpoint.address().to_v4().to_uint();
    out.port = endpoint.port();
    return out;
}

namespace {

// How long a closed socket keeps reading (and discarding) after its FIN, waiting for the
// peer's FIN: closing with unread bytes would send a RST that can destroy the reply the
// peer has not read yet (a protocol ERROR sent just before closing, say).
constexpr auto linger_after_close = std::chrono::seconds(2);
constexpr std::size_t read_chunk_bytes = 64 * 1024;
// Bytes a stream may have queued for sending (a peer that stops reading must not make the
// process grow without bound); beyond it the connection is reset, as servers drop a slow
// consumer.
constexpr std::size_t max_queued_bytes = 64 * 1024 * 1024;

// One socket's state. Streams and pending completions share it, so it outlives the Stream
// that a handler may destroy while its own completion is running.
class Socket final : public std::enable_shared_from_this<Socket> {
public:
    explicit Socket(tcp::socket socket) : socket_(std::move(socket)), inbox_(read_chunk_bytes) {
        boost::system::error_code ignored;
        socket_.set_option(tcp::no_delay(true), ignored);
    }

    bool open() const { return open_; }

    void set_data_handler(net::Stream::DataHandler handler) {
        if (!open_) return;
        on_data_ = std::move(handler);
        ++data_version_;
        if (!on_data_) return;
        if (!held_.empty()) {
            if (!held_posted_) {
                held_posted_ = true;
                boost::asio::post(socket_.get_executor(), [self = shared_from_this()] { self->deliver_held(); });
            }
            return;
        }
        start_read();
    }

    void set_close_handler(net::Stream::CloseHandler handler) {
        if (open_) on_close_ = std::move(handler);
    }

    void write(std::span<const std::uint8_t> bytes) {
        if (!open_ || bytes.empty()) return;
        if (outbox_.size() + inflight_.size() + bytes.size() > max_queued_bytes) return reset_later();
        outbox_.insert(outbox_.end(), bytes.begin(), bytes.end());
        if (!writing_) start_write();
    }

    // Local close: no handler of this stream runs again; queued bytes still go out.
    void close() {
        on_data_ = nullptr;
        on_close_ = nullptr;
        if (!open_) return;
        open_ = false;
        held_.clear();
        if (!writing_) finish_close();
        // else on_written() finishes the close once the queue is sent
    }

private:
    void start_read() {
        if (!open_ || reading_ || !on_data_ || !held_.empty()) return;
        reading_ = true;
        socket_.async_read_some(boost::asio::buffer(inbox_),
                                [self = shared_from_this()](const boost::system::error_code& ec, std::size_t n) {
                                    self->on_read(ec, n);
                                });
    }

    void on_read(const boost::system::error_code& ec, std::size_t n) {
        reading_ = false;
        if (!open_) {
            // Closed locally meanwhile: this read becomes part of the drain.
            if (closing_) {
                if (ec) hard_close();
                else drain();
            }
            return;
        }
        if (ec) return fail(ec == boost::asio::error::eof ? net::CloseReason::peer_close : net::CloseReason::reset);
        if (!on_data_) {
            // The reader paused while this read was in flight: keep the bytes for later.
            held_.insert(held_.end(), inbox_.begin(), inbox_.begin() + static_cast<std::ptrdiff_t>(n));
            return;
        }
        hand_over(std::span<const std::uint8_t>(inbox_.data(), n));
        start_read();
    }

    void deliver_held() {
        held_posted_ = false;
        if (!open_ || !on_data_ || held_.empty()) return;
        std::vector<std::uint8_t> bytes = std::move(held_);
        held_.clear();
        hand_over(bytes);
        start_read();
    }

    // The handler is moved out while it runs: it may replace or clear itself, or close
    // (or destroy) its stream, which must not destroy the function that is running.
    void hand_over(std::span<const std::uint8_t> bytes) {
        net::Stream::DataHandler handler = std::move(on_data_);
        on_data_ = nullptr;
        const std::uint64_t version = data_version_;
        handler(bytes);
        if (open_ && data_version_ == version) on_data_ = std::move(handler);
    }

    void start_write() {
        inflight_.swap(outbox_);
        outbox_.clear();
        writing_ = true;
        boost::asio::async_write(socket_, boost::asio::buffer(inflight_),
                                 [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                                     self->on_written(ec);
                                 });
    }

    void on_written(const boost::system::error_code& ec) {
        writing_ = false;
        if (ec) {
            outbox_.clear();
            if (open_) fail(net::CloseReason::reset);
            else hard_close();
            return;
        }
        if (!outbox_.empty()) return start_write();
        if (!open_) finish_close();
    }

    // The connection broke (or the peer closed it): the close handler runs, once.
    void fail(net::CloseReason reason) {
        if (!open_) return;
        open_ = false;
        on_data_ = nullptr;
        held_.clear();
        outbox_.clear();
        net::Stream::CloseHandler handler = std::move(on_close_);
        on_close_ = nullptr;
        if (reason == net::CloseReason::peer_close) finish_close();
        else hard_close();
        if (handler) handler(reason);
    }

    // A reset decided inside write(): the close handler runs from a posted completion
    // (never re-entrantly), unless the stream is closed or destroyed before it runs.
    void reset_later() {
        open_ = false;
        on_data_ = nullptr;
        held_.clear();
        outbox_.clear();
        hard_close();
        boost::asio::post(socket_.get_executor(), [self = shared_from_this()] {
            net::Stream::CloseHandler handler = std::move(self->on_close_);
            self->on_close_ = nullptr;
            if (handler) handler(net::CloseReason::reset);
        });
    }

    // FIN after the queued bytes, then read and discard until the peer's FIN (or the
    // linger time) so the close never turns into a RST while the peer still reads.
    void finish_close() {
        if (closing_) return;
        closing_ = true;
        boost::system::error_code ignored;
        socket_.shutdown(tcp::socket::shutdown_send, ignored);
        if (!socket_.is_open()) return;
        linger_ = std::make_unique<boost::asio::steady_timer>(socket_.get_executor(), linger_after_close);
        linger_->async_wait([self = shared_from_this()](const boost::system::error_code& timer_ec) {
            if (!timer_ec) self->hard_close();
        });
        drain();
    }

    void drain() {
        if (!socket_.is_open() || reading_) return;
        reading_ = true;
        socket_.async_read_some(boost::asio::buffer(inbox_),
                                [self = shared_from_this()](const boost::system::error_code& ec, std::size_t) {
                                    self->reading_ = false;
                                    if (ec) return self->hard_close();
                                    self->drain();
                                });
    }

    void hard_close() {
        boost::system::error_code ignored;
        if (linger_) linger_->cancel();
        socket_.close(ignored);
    }

    tcp::socket socket_;
    std::vector<std::uint8_t> inbox_;      // one read's bytes; valid while the handler runs
    std::vector<std::uint8_t> held_;       // read while no data handler was installed
    std::vector<std::uint8_t> outbox_;     // written while a send was in flight
    std::vector<std::uint8_t> inflight_;   // the send in flight
    std::unique_ptr<boost::asio::steady_timer> linger_;
    net::Stream::DataHandler on_data_;
    net::Stream::CloseHandler on_close_;
    std::uint64_t data_version_ = 0;
    bool open_ = true;
    bool reading_ = false;
    bool writing_ = false;
    bool closing_ = false;
    bool held_posted_ = false;
};

class AsioStream final : public net::Stream {
public:
    AsioStream(std::shared_ptr<Socket> socket, net::Endpoint self, net::Endpoint peer)
        : socket_(std::move(socket)), self_(self), peer_(peer) {}
    ~AsioStream() override { socket_->close(); }

    void on_data(DataHandler handler) override { socket_->set_data_handler(std::move(handler)); }
    void on_close(CloseHandler handler) override { socket_->set_close_handler(std::move(handler)); }
    void write(std::span<const std::uint8_t> bytes) override { socket_->write(bytes); }
    void close() override { socket_->close(); }
    bool open() const override { return socket_->open(); }
    net::Endpoint local() const override { return self_; }
    net::Endpoint remote() const override { return peer_; }

private:
    std::shared_ptr<Socket> socket_;
    net::Endpoint self_;
    net::Endpoint peer_;
};

net::StreamPtr make_stream(tcp::socket socket) {
    boost::system::error_code ec;
    const net::Endpoint self = from_asio(socket.local_endpoint(ec));
    const net::Endpoint peer = from_asio(socket.remote_endpoint(ec));
    return std::make_unique<AsioStream>(std::make_shared<Socket>(std::move(socket)), self, peer);
}

net::CloseReason connect_failure(const boost::system::error_code& ec) {
    if (ec == boost::asio::error::connection_refused) return net::CloseReason::refused;
    return net::CloseReason::unreachable;
}

}  // namespace

struct AsioNetwork::Listener {
    explicit Listener(boost::asio::io_context& io) : acceptor(io) {}
    tcp::acceptor acceptor;
    AcceptHandler on_accept;
    bool active = true;
};

AsioNetwork::AsioNetwork(boost::asio::io_context& io) : io_(io), stats_(std::make_shared<AsioNetworkStats>()) {}

AsioNetwork::~AsioNetwork() {
    for (auto& [at, listener] : listeners_) {
        listener->active = false;
        boost::system::error_code ignored;
        listener->acceptor.close(ignored);
    }
}

bool AsioNetwork::listen(net::Endpoint at, AcceptHandler on_accept) {
    if (listeners_.count(at) != 0) {
        last_listen_error_ = at.to_string() + " is already listening";
        return false;
    }
    auto listener = std::make_shared<Listener>(io_);
    boost::system::error_code ec;
    const tcp::endpoint endpoint = to_asio(at);
    listener->acceptor.open(endpoint.protocol(), ec);
    if (!ec) listener->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) listener->acceptor.bind(endpoint, ec);
    if (!ec) listener->acceptor.listen(tcp::socket::max_listen_connections, ec);
    if (ec) {
        last_listen_error_ = "cannot listen on " + at.to_string() + ": " + ec.message();
        return false;
    }
    last_listen_error_.clear();
    listener->on_accept = std::move(on_accept);
    listeners_.emplace(at, listener);
    accept_next(listener);
    return true;
}

void AsioNetwork::accept_next(const std::shared_ptr<Listener>& listener) {
    listener->acceptor.async_accept(
        [this, listener, stats = stats_](const boost::system::error_code& ec, tcp::socket socket) {
            if (!listener->active) return;  // unlistened (or the network is gone): `this` may be too
            if (!ec) {
                ++stats->connections_accepted;
                // A copy: the handler may unlisten, which drops the listener's own copy.
                const AcceptHandler on_accept = listener->on_accept;
                on_accept(make_stream(std::move(socket)));
            }
            if (listener->active) accept_next(listener);
        });
}

void AsioNetwork::unlisten(net::Endpoint at) {
    auto it = listeners_.find(at);
    if (it == listeners_.end()) return;
    it->second->active = false;
    boost::system::error_code ignored;
    it->second->acceptor.close(ignored);
    listeners_.erase(it);
}

void AsioNetwork::connect(net::Endpoint from, net::Endpoint to, ConnectHandler on_connected) {
    struct Pending {
        Pending(boost::asio::io_context& io) : socket(io), timer(io) {}
        tcp::socket socket;
        boost::asio::steady_timer timer;
        ConnectHandler handler;
        bool timed_out = false;
    };
    auto pending = std::make_shared<Pending>(io_);
    pending->handler = std::move(on_connected);
    boost::system::error_code ec;
    pending->socket.open(tcp::v4(), ec);
    if (!ec && from.ip != 0) pending->socket.bind(to_asio(from), ec);
    if (ec) {
        ++stats_->connects_failed;
        boost::asio::post(io_, [pending] { pending->handler(nullptr, net::CloseReason::unreachable); });
        return;
    }
    pending->timer.expires_after(std::chrono::nanoseconds(connect_timeout.ns()));
    pending->timer.async_wait([pending](const boost::system::error_code& timer_ec) {
        if (timer_ec) return;
        pending->timed_out = true;
        boost::system::error_code ignored;
        pending->socket.close(ignored);   // the connect completes with operation_aborted
    });
    pending->socket.async_connect(to_asio(to), [pending, stats = stats_](const boost::system::error_code& connect_ec) {
        pending->timer.cancel();
        if (connect_ec || pending->timed_out) {
            ++stats->connects_failed;
            pending->handler(nullptr, pending->timed_out ? net::CloseReason::unreachable : connect_failure(connect_ec));
            return;
        }
        ++stats->connections_opened;
        pending->handler(make_stream(std::move(pending->socket)), net::CloseReason::local_close);
    });
}

}  // namespace routelab::live
