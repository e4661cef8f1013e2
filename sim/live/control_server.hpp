#pragma once
// A tiny HTTP/1.1 control endpoint for live mode (Boost.Beast): one request per
// connection, answered by a handler the caller supplies (which maps it onto the cluster's
// control surface). Listens on 127.0.0.1 only. Single-threaded, on the runtime's
// io_context. Asio types stay out of this header.
//
// Bounded: a request head over 8 KiB or a body over 16 KiB, or a malformed request, is
// answered 400 with the reason; a request must arrive within 10 s; at most 64 sessions
// are open at once (more are closed on accept).
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace boost::asio {
class io_context;
}

namespace routelab::live {

struct HttpRequest {
    std::string method;   // "GET", "POST", ...
    std::string target;   // path and query, as sent
    std::string body;
};

struct HttpResponse {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
};

using ControlHandler = std::function<HttpResponse(const HttpRequest&)>;

class ControlServer {
public:
    ControlServer(boost::asio::io_context& io, ControlHandler handler);
    ~ControlServer();
    ControlServer(const ControlServer&) = delete;
    ControlServer& operator=(const ControlServer&) = delete;

    // Binds 127.0.0.1:port (0: any free port); false and `error` set if it cannot.
    bool start(std::uint16_t port, std::string& error);
    // The port actually bound (after a successful start).
    std::uint16_t port() const;
    void stop();

private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace routelab::live
