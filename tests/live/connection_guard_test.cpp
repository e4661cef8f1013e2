// ConnectionGuard over a fake stream (no socket, the io_context never runs, so no timer
// fires): bytes pass through unchanged; the bytes of the incomplete frame are charged to
// the budget and released when it completes or the connection closes; a large frame
// pauses reading while the budget is full and resumes when room comes back; a frame that
// can never fit, or a connection over the cap, gets its ERROR frame and a close.
#include <catch2/catch.hpp>

#include <cstring>
#include <memory>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "sim/live/connection_guard.hpp"

using namespace routelab;

namespace {

struct FakeStream final : net::Stream {
    struct Log {
        DataHandler on_data;
        CloseHandler on_close;
        std::vector<std::uint8_t> written;
        bool closed = false;
    };
    explicit FakeStream(std::shared_ptr<Log> l) : log(std::move(l)) {}
    void on_data(DataHandler handler) override { log->on_data = std::move(handler); }
    void on_close(CloseHandler handler) override { log->on_close = std::move(handler); }
    void write(std::span<const std::uint8_t> bytes) override { log->written.insert(log->written.end(), bytes.begin(), bytes.end()); }
    void close() override { log->closed = true; }
    bool open() const override { return !log->closed; }
    net::Endpoint local() const override { return {net::ipv4(127, 0, 0, 1), 9042}; }
    net::Endpoint remote() const override { return {net::ipv4(127, 0, 0, 1), 40000}; }
    std::shared_ptr<Log> log;
};

std::vector<std::uint8_t> header(std::uint8_t opcode, std::uint32_t length, std::int16_t stream = 0) {
    cql::FrameHeader h;
    h.version = 4;
    h.stream = stream;
    h.opcode = static_cast<cql::Opcode>(opcode);
    h.length = length;
    std::vector<std::uint8_t> out(cql::header_size);
    cql::encode_header(h, out.data());
    return out;
}

struct Fixture {
    explicit Fixture(std::size_t budget_bytes, std::string refusal = {}) {
        live::LiveLimits limits;
        limits.frame_buffer_bytes = budget_bytes;
        limits.log = [this](const std::string& line) { logged.push_back(line); };
        shared = std::make_shared<live::GuardShared>(io, limits);
        guard = add(std::move(refusal));
    }
    std::shared_ptr<live::ConnectionGuard> add(std::string refusal = {}) {
        const bool serving = refusal.empty();
        logs.push_back(std::make_shared<FakeStream::Log>());
        auto g = std::make_shared<live::ConnectionGuard>(shared, std::make_unique<FakeStream>(logs.back()), std::move(refusal),
                                                         [this] { ++gone; });
        g->start();
        if (serving)
            g->on_data([this](std::span<const std::uint8_t> bytes) { received.insert(received.end(), bytes.begin(), bytes.end()); });
        g->on_close([this](net::CloseReason) { ++closed_seen; });
        return g;
    }
    void push(std::size_t index, const std::vector<std::uint8_t>& bytes) {
        REQUIRE(logs[index]->on_data);
        const auto handler = logs[index]->on_data;   // the guard may clear it while it runs
        handler(bytes);
    }
    std::optional<cql::Error> error_written(std::size_t index) {
        cql::FrameAssembler assembler;
        assembler.feed(logs[index]->written);
        cql::Frame frame;
        if (assembler.next(frame) != cql::FrameAssembler::Status::frame) return std::nullopt;
        auto response = cql::decode_response(frame);
        if (!response || !std::holds_alternative<cql::Error>(*response)) return std::nullopt;
        return std::get<cql::Error>(*response);
    }

    boost::asio::io_context io;
    std::shared_ptr<live::GuardShared> shared;
    std::vector<std::shared_ptr<FakeStream::Log>> logs;
    std::shared_ptr<live::ConnectionGuard> guard;
    std::vector<std::uint8_t> received;
    std::vector<std::string> logged;
    int gone = 0;
    int closed_seen = 0;
};

}  // namespace

TEST_CASE("bytes pass through; the incomplete frame is charged until it completes") {
    Fixture f(1 << 20);
    auto bytes = header(0x07, 1000, 3);
    bytes.resize(bytes.size() + 400, 'q');
    f.push(0, bytes);
    CHECK(f.received == bytes);
    CHECK(f.guard->held() == 409);
    CHECK(f.shared->budget.used() == 409);
    f.push(0, std::vector<std::uint8_t>(600, 'q'));
    CHECK(f.guard->held() == 0);
    CHECK(f.shared->budget.used() == 0);
    CHECK(f.shared->budget.peak() == 409);
    CHECK(f.received.size() == 1009);
}

TEST_CASE("whole frames in one read cost nothing; a split header is held") {
    Fixture f(1 << 20);
    auto bytes = header(0x05, 0, 1);
    auto second = header(0x05, 0, 2);
    bytes.insert(bytes.end(), second.begin(), second.begin() + 4);
    f.push(0, bytes);
    CHECK(f.guard->held() == 4);
    f.push(0, std::vector<std::uint8_t>(second.begin() + 4, second.end()));
    CHECK(f.guard->held() == 0);
}

TEST_CASE("a large frame pauses reading while the budget is full, and resumes when bytes are released") {
    Fixture f(300 * 1024);
    auto other = f.add();
    auto first = header(0x07, 280 * 1024, 1);
    first.resize(first.size() + 200 * 1024, 'a');
    f.push(0, first);
    CHECK(f.logs[0]->on_data);   // under the budget: still reading
    auto second = header(0x07, 280 * 1024, 1);
    second.resize(second.size() + 120 * 1024, 'b');
    f.push(1, second);
    CHECK(f.shared->budget.used() == 320 * 1024 + 18);
    CHECK_FALSE(f.logs[1]->on_data);   // over the budget: paused
    CHECK(f.shared->stats.connections_paused == 1);
    f.guard->close();   // releases 200 KiB: room again
    CHECK(f.gone == 1);
    CHECK(f.logs[0]->closed);
    CHECK(f.logs[1]->on_data);   // resumed
    CHECK(f.shared->stats.connections_paused == 0);
    CHECK(f.shared->budget.used() == 120 * 1024 + 9);
    other->close();
    CHECK(f.shared->budget.used() == 0);
    CHECK(f.gone == 2);
}

TEST_CASE("small frames never pause their connection, even with the budget full") {
    Fixture f(100 * 1024);
    auto other = f.add();
    auto large = header(0x07, 90 * 1024, 1);
    large.resize(large.size() + 80 * 1024, 'a');
    f.push(0, large);
    auto small = header(0x07, 60 * 1024, 1);
    small.resize(small.size() + 30 * 1024, 'b');
    f.push(1, small);
    CHECK(f.shared->budget.full());
    CHECK(f.logs[1]->on_data);   // 60 KiB: not paused
    auto more = std::vector<std::uint8_t>(1024, 'a');
    f.push(0, more);
    CHECK_FALSE(f.logs[0]->on_data);   // 90 KiB: paused
}

TEST_CASE("a frame that can never fit the budget gets a protocol ERROR and a close") {
    Fixture f(1 << 20);
    auto bytes = header(0x05, 0, 1);               // a whole OPTIONS first: delivered
    auto big = header(0x07, 1 << 20, 42);          // 9 + 1 MiB > 1 MiB
    bytes.insert(bytes.end(), big.begin(), big.end());
    f.push(0, bytes);
    CHECK(f.received == header(0x05, 0, 1));
    const auto error = f.error_written(0);
    REQUIRE(error);
    CHECK(error->code == cql::error_codes::protocol_error);
    CHECK(error->message.find("--frame-buffer-mib") != std::string::npos);
    CHECK(f.logs[0]->closed);
    CHECK(f.closed_seen == 1);   // the consumer learns the connection is gone
    CHECK(f.gone == 1);
    CHECK(f.shared->stats.refused_frame_too_large == 1);
    REQUIRE(f.logged.size() == 1);
    CHECK(f.logged[0].find("closed") != std::string::npos);
}

TEST_CASE("a frame beyond the protocol's limit is left to the server's own framing error") {
    Fixture f(1 << 20);
    const auto big = header(0x07, cql::spec_max_body_bytes + 1, 5);
    f.push(0, big);
    CHECK(f.received == big);
    CHECK(f.logs[0]->written.empty());
    CHECK(f.shared->budget.used() == 0);
}

TEST_CASE("a connection over the cap answers its first frame with Overloaded and closes") {
    Fixture f(1 << 20, "Too many connections (test)");
    f.push(0, header(0x01, 0, 9));
    const auto error = f.error_written(0);
    REQUIRE(error);
    CHECK(error->code == cql::error_codes::overloaded);
    CHECK(error->message == "Too many connections (test)");
    CHECK(f.logs[0]->closed);
    CHECK(f.received.empty());
}
