#include "sim/live/blocking_cql_client.hpp"

#include <cerrno>
#include <cstring>
#include <ctime>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/frame.hpp"

namespace routelab::live {

namespace {

using Clock = std::chrono::steady_clock;

// Milliseconds left until `deadline`, at least 0 (poll's timeout).
int left_ms(Clock::time_point deadline) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    return left <= 0 ? 0 : static_cast<int>(left);
}

// Waits until `fd` is ready for `events` or the deadline passes.
bool wait_for(int fd, short events, Clock::time_point deadline) {
    for (;;) {
        pollfd p{fd, events, 0};
        const int r = ::poll(&p, 1, left_ms(deadline));
        if (r > 0) return true;
        if (r == 0) return false;
        if (errno != EINTR) return false;
    }
}

std::string ms_text(std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; }

}  // namespace

BlockingCqlClient::~BlockingCqlClient() {
    if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> BlockingCqlClient::connect(const std::string& host, std::uint16_t port) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    const std::string service = std::to_string(port);
    if (const int rc = ::getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
        return "cannot resolve \"" + host + "\": " + ::gai_strerror(rc);
    const auto deadline = Clock::now() + options_.connect_timeout;
    std::string why = "no address for \"" + host + "\"";
    for (addrinfo* a = found; a != nullptr; a = a->ai_next) {
        const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) {
            why = std::string("socket: ") + std::strerror(errno);
            continue;
        }
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            if (!wait_for(fd, POLLOUT, deadline)) {
                ::close(fd);
                why = "no answer within " + ms_text(options_.connect_timeout);
                continue;
            }
            int err = 0;
            socklen_t len = sizeof err;
            ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
            rc = err == 0 ? 0 : -1;
            errno = err;
        }
        if (rc != 0) {
            why = std::strerror(errno);
            ::close(fd);
            continue;
        }
        fd_ = fd;
        break;
    }
    ::freeaddrinfo(found);
    if (fd_ < 0) return "cannot connect to " + host + ":" + service + ": " + why;

    cql::Startup startup;
    startup.options["CQL_VERSION"] = "3.0.0";
    startup.options["DRIVER_NAME"] = "routelab-import";
    std::string error;
    auto answer = round_trip(cql::Request{startup}, error);
    if (!answer) return host + ":" + service + ": STARTUP: " + error;
    if (std::holds_alternative<cql::Ready>(*answer)) return std::nullopt;
    if (const auto* e = std::get_if<cql::Error>(&*answer)) return host + ":" + service + ": STARTUP refused: " + e->message;
    if (std::holds_alternative<cql::Authenticate>(*answer))
        return host + ":" + service + ": the server asks for authentication, which import does not support";
    return host + ":" + service + ": STARTUP: unexpected answer";
}

std::optional<cql::Supported> BlockingCqlClient::options(std::string& error) {
    auto answer = round_trip(cql::Request{cql::Options{}}, error);
    if (!answer) return std::nullopt;
    if (auto* s = std::get_if<cql::Supported>(&*answer)) return std::move(*s);
    error = "OPTIONS: unexpected answer";
    return std::nullopt;
}

std::optional<cql::Response> BlockingCqlClient::query(const std::string& cql_text, std::string& error) {
    cql::Query q;
    q.query = cql_text;
    return round_trip(cql::Request{q}, error);
}

std::optional<cql::Response> BlockingCqlClient::round_trip(const cql::Request& request, std::string& error) {
    if (fd_ < 0) {
        error = "not connected";
        return std::nullopt;
    }
    const std::int16_t stream = next_stream_;
    next_stream_ = static_cast<std::int16_t>(next_stream_ == 32767 ? 1 : next_stream_ + 1);
    std::vector<std::uint8_t> out;
    cql::encode_request(out, stream, request);
    const auto deadline = Clock::now() + options_.request_timeout;
    const std::string timeout = "no answer within " + ms_text(options_.request_timeout);
    for (std::size_t sent = 0; sent < out.size();) {
        const ssize_t n = ::send(fd_, out.data() + sent, out.size() - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
            if (!wait_for(fd_, POLLOUT, deadline)) {
                error = timeout;
                return std::nullopt;
            }
            continue;
        }
        error = std::string("send: ") + std::strerror(errno);
        return std::nullopt;
    }
    cql::FrameAssembler assembler(options_.max_body_bytes);
    std::uint8_t buffer[16384];
    for (;;) {
        cql::Frame frame;
        switch (assembler.next(frame)) {
            case cql::FrameAssembler::Status::error:
                error = "bad frame from the server: " + assembler.error().to_string();
                return std::nullopt;
            case cql::FrameAssembler::Status::frame: {
                if (frame.header.stream != stream) continue;   // an event or a stale answer
                if (frame.header.flags & cql::frame_flags::compression) {
                    error = "the server compressed an answer it was not asked to compress";
                    return std::nullopt;
                }
                auto decoded = cql::decode_response(frame);
                if (!decoded) {
                    error = "undecodable answer: " + decoded.error().to_string();
                    return std::nullopt;
                }
                return std::move(*decoded);
            }
            case cql::FrameAssembler::Status::need_more: break;
        }
        if (!wait_for(fd_, POLLIN, deadline)) {
            error = timeout;
            return std::nullopt;
        }
        const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
        if (n == 0) {
            error = "the server closed the connection";
            return std::nullopt;
        }
        if (n < 0) {
            if (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR) continue;
            error = std::string("recv: ") + std::strerror(errno);
            return std::nullopt;
        }
        assembler.feed(std::span<const std::uint8_t>(buffer, static_cast<std::size_t>(n)));
    }
}

std::string utc_now_text() {
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    std::tm utc{};
    ::gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
}

}  // namespace routelab::live
