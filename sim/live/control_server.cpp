#include "sim/live/control_server.hpp"

#include <array>

#include "sim/live/asio.hpp"

#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace routelab::live {

namespace http = boost::beast::http;
using tcp = boost::asio::ip::tcp;

namespace {

// A request is small (its values are in the query): bounded head and body, read within
// a deadline, and a bounded number of sessions at once; past a bound the client gets 400
// with the reason (or, past the session bound, a close).
constexpr std::uint32_t max_header_bytes = 8 * 1024;
constexpr std::uint64_t max_body_bytes = 16 * 1024;
constexpr auto request_deadline = std::chrono::seconds(10);
constexpr std::size_t max_sessions = 64;
constexpr auto drain_deadline = std::chrono::seconds(2);

class HttpSession final : public std::enable_shared_from_this<HttpSession> {
public:
    HttpSession(tcp::socket socket, std::shared_ptr<ControlHandler> handler, std::shared_ptr<std::size_t> sessions)
        : stream_(std::move(socket)), handler_(std::move(handler)), sessions_(std::move(sessions)) {
        ++*sessions_;
    }
    ~HttpSession() { --*sessions_; }

    void start() {
        parser_.header_limit(max_header_bytes);
        parser_.body_limit(max_body_bytes);
        stream_.expires_after(request_deadline);
        http::async_read(stream_, buffer_, parser_, [self = shared_from_this()](boost::beast::error_code ec, std::size_t) {
            self->on_read(ec);
        });
    }

private:
    void on_read(boost::beast::error_code ec) {
        if (ec == http::error::header_limit)
            return reply(11, HttpResponse{400, "application/json", "{\"error\":\"the request head is larger than " +
                                                                      std::to_string(max_header_bytes) + " bytes\"}\n"});
        if (ec == http::error::body_limit)
            return reply(11, HttpResponse{400, "application/json", "{\"error\":\"the request body is larger than " +
                                                                      std::to_string(max_body_bytes) + " bytes\"}\n"});
        if (ec && ec.category() == http::make_error_code(http::error::bad_target).category() && ec != http::error::end_of_stream &&
            ec != http::error::partial_message)
            return reply(11, HttpResponse{400, "application/json", "{\"error\":\"malformed HTTP request: " + ec.message() + "\"}\n"});
        if (ec) return close();   // the client went away, or the deadline passed
        const auto& request = parser_.get();
        HttpRequest in;
        const auto method = request.method_string();
        const auto target = request.target();
        in.method.assign(method.data(), method.size());
        in.target.assign(target.data(), target.size());
        in.body = request.body();
        HttpResponse out;
        try {
            out = (*handler_)(in);
        } catch (const std::exception& e) {
            out = HttpResponse{500, "text/plain", std::string(e.what()) + "\n"};
        }
        reply(request.version(), std::move(out));
    }

    void reply(unsigned version, HttpResponse out) {
        response_.result(static_cast<unsigned>(out.status));
        response_.version(version);
        response_.set(http::field::server, "routelab");
        response_.set(http::field::content_type, out.content_type);
        response_.keep_alive(false);
        response_.body() = std::move(out.body);
        response_.prepare_payload();
        http::async_write(stream_, response_, [self = shared_from_this()](boost::beast::error_code, std::size_t) {
            self->close();
        });
    }

    // FIN, then read and drop what the client still sends (a body past the limit, say) for
    // up to `drain_deadline`: closing with unread bytes would reset the connection and could
    // destroy the answer before the client reads it.
    void close() {
        boost::beast::error_code ignored;
        stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
        stream_.expires_after(drain_deadline);
        drain();
    }

    void drain() {
        stream_.async_read_some(boost::asio::buffer(discard_), [self = shared_from_this()](boost::beast::error_code ec, std::size_t) {
            if (ec) return self->stream_.close();
            self->drain();
        });
    }

    boost::beast::tcp_stream stream_;
    std::shared_ptr<ControlHandler> handler_;
    std::shared_ptr<std::size_t> sessions_;
    boost::beast::flat_buffer buffer_;
    std::array<char, 4096> discard_{};
    http::request_parser<http::string_body> parser_;
    http::response<http::string_body> response_;
};

}  // namespace

struct ControlServer::Impl : std::enable_shared_from_this<Impl> {
    Impl(boost::asio::io_context& io, ControlHandler h)
        : acceptor(io), handler(std::make_shared<ControlHandler>(std::move(h))) {}

    void accept_next() {
        acceptor.async_accept([self = shared_from_this()](const boost::system::error_code& ec, tcp::socket socket) {
            if (!self->active) return;
            if (!ec && *self->sessions >= max_sessions) {
                boost::system::error_code ignored;
                socket.close(ignored);   // too many at once: the client may retry
            } else if (!ec) {
                std::make_shared<HttpSession>(std::move(socket), self->handler, self->sessions)->start();
            }
            self->accept_next();
        });
    }

    tcp::acceptor acceptor;
    std::shared_ptr<ControlHandler> handler;
    std::shared_ptr<std::size_t> sessions = std::make_shared<std::size_t>(0);
    bool active = false;
};

ControlServer::ControlServer(boost::asio::io_context& io, ControlHandler handler)
    : impl_(std::make_shared<Impl>(io, std::move(handler))) {}

ControlServer::~ControlServer() { stop(); }

bool ControlServer::start(std::uint16_t port, std::string& error) {
    boost::system::error_code ec;
    const tcp::endpoint endpoint(boost::asio::ip::address_v4::loopback(), port);
    impl_->acceptor.open(endpoint.protocol(), ec);
    if (!ec) impl_->acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) impl_->acceptor.bind(endpoint, ec);
    if (!ec) impl_->acceptor.listen(tcp::socket::max_listen_connections, ec);
    if (ec) {
        error = "cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + ec.message();
        boost::system::error_code ignored;
        impl_->acceptor.close(ignored);
        return false;
    }
    impl_->active = true;
    impl_->accept_next();
    return true;
}

std::uint16_t ControlServer::port() const {
    boost::system::error_code ec;
    const auto endpoint = impl_->acceptor.local_endpoint(ec);
    return ec ? std::uint16_t{0} : endpoint.port();
}

void ControlServer::stop() {
    impl_->active = false;
    boost::system::error_code ignored;
    impl_->acceptor.close(ignored);
}

}  // namespace routelab::live
