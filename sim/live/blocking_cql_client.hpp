#pragma once
// A one-shot, blocking CQL client over a real TCP socket, for tools that read a running
// cluster once (routelab import). It frames requests and decodes answers with the driver's
// own codec (driver/protocol); only the socket and the deadlines live here. Every step has
// a deadline (connect, then each request), so an unreachable or silent server is an error
// after at most the timeout, never a hang. Not for the simulation: it reads the wall clock.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "driver/protocol/messages.hpp"

namespace routelab::live {

struct BlockingClientOptions {
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds request_timeout{5000};
    std::uint32_t max_body_bytes = 64u * 1024u * 1024u;   // a larger answer is an error
};

class BlockingCqlClient {
public:
    explicit BlockingCqlClient(BlockingClientOptions options = {}) : options_(options) {}
    ~BlockingCqlClient();
    BlockingCqlClient(const BlockingCqlClient&) = delete;
    BlockingCqlClient& operator=(const BlockingCqlClient&) = delete;

    // Resolves `host` (a name or an IPv4/IPv6 literal), connects and sends STARTUP (CQL
    // 3.0.0, protocol v4). Returns why not, or nothing on READY.
    std::optional<std::string> connect(const std::string& host, std::uint16_t port);
    // OPTIONS -> SUPPORTED (e.g. SCYLLA_NR_SHARDS), or why not.
    std::optional<cql::Supported> options(std::string& error);
    // One QUERY at consistency ONE. Either a Response (which may be an Error) or a transport
    // error in `error` (timeout, closed connection, undecodable frame).
    std::optional<cql::Response> query(const std::string& cql, std::string& error);

private:
    std::optional<cql::Response> round_trip(const cql::Request& request, std::string& error);

    BlockingClientOptions options_;
    int fd_ = -1;
    std::int16_t next_stream_ = 1;
};

// The wall clock as UTC ISO 8601 (2026-12-03T10:04:05Z), for an imported file's header.
std::string utc_now_text();

}  // namespace routelab::live
