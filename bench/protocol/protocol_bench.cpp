// Messages per second on the per-request path, and heap allocations per message (the
// "allocs_per_msg" counter; the goal is 0 for encode EXECUTE and the RESULT view).
#include <benchmark/benchmark.h>

#include <atomic>
#include <cstdlib>
#include <new>
#include <utility>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/response_view.hpp"

namespace {
std::atomic<std::uint64_t> allocations{0};
}  // namespace

// Counting every allocation in the binary; the benchmark reads the delta around its loop.
void* operator new(std::size_t size) {
    allocations.fetch_add(1, std::memory_order_relaxed);
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc();
}
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }

using namespace routelab::cql;

namespace {

Execute sample_execute() {
    Execute e;
    e.id = Bytes(16, 0xAB);
    e.parameters.consistency = Consistency::local_quorum;
    e.parameters.values = {Value::of(Bytes(8, 1)), Value::of(Bytes(16, 2)), Value::of(Bytes(4, 3))};
    e.parameters.skip_metadata = true;
    e.parameters.page_size = 5000;
    return e;
}

std::vector<std::uint8_t> sample_rows_frame(std::size_t rows_count) {
    RowsResult rows;
    rows.metadata.no_metadata = true;
    rows.metadata.column_count = 3;
    for (std::size_t i = 0; i < rows_count; ++i) rows.rows.push_back({Bytes(8, 1), Bytes(32, 2), std::nullopt});
    std::vector<std::uint8_t> out;
    encode_response(out, 1, rows);
    return out;
}

// A Rows result as a SELECT without skip_metadata returns it: global table spec, five
// typed columns, then the cells.
std::vector<std::uint8_t> sample_rows_with_metadata_frame(std::size_t rows_count) {
    RowsResult rows;
    for (const auto& [name, type] : {std::pair{"id", TypeId::uuid}, std::pair{"name", TypeId::varchar},
                                     std::pair{"score", TypeId::bigint}, std::pair{"seen", TypeId::timestamp},
                                     std::pair{"flag", TypeId::boolean}})
        rows.metadata.columns.push_back({"routelab", "users", name, ColumnType::of(type)});
    rows.metadata.column_count = static_cast<std::int32_t>(rows.metadata.columns.size());
    for (std::size_t i = 0; i < rows_count; ++i)
        rows.rows.push_back({Bytes(16, 7), Bytes(12, 'n'), Bytes(8, 1), Bytes(8, 2), Bytes{1}});
    std::vector<std::uint8_t> out;
    encode_response(out, 1, rows);
    return out;
}

void report_allocations(benchmark::State& state, std::uint64_t before) {
    state.counters["allocs_per_msg"] = benchmark::Counter(static_cast<double>(allocations.load() - before) /
                                                          static_cast<double>(state.iterations()));
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}

void encode_execute(benchmark::State& state) {
    const Execute e = sample_execute();
    std::vector<std::uint8_t> out;
    out.reserve(4096);
    const std::uint64_t before = allocations.load();
    for (auto _ : state) {
        out.clear();
        encode_request(out, 7, e);
        benchmark::DoNotOptimize(out.data());
    }
    report_allocations(state, before);
}
BENCHMARK(encode_execute);

Frame frame_of(const std::vector<std::uint8_t>& bytes) {
    Frame f;
    f.header = decode_header(bytes.data());
    f.body = std::span<const std::uint8_t>(bytes).subspan(header_size);
    return f;
}

void decode_result_view(benchmark::State& state) {
    const auto bytes = sample_rows_frame(static_cast<std::size_t>(state.range(0)));
    const Frame f = frame_of(bytes);
    const std::uint64_t before = allocations.load();
    for (auto _ : state) {
        auto view = decode_response_view(f);
        std::size_t total = 0;
        CellReader cells = view->rows.cells();
        while (!cells.at_end())
            if (auto c = cells.next()) total += c->size();
        benchmark::DoNotOptimize(total);
    }
    report_allocations(state, before);
}
BENCHMARK(decode_result_view)->Arg(0)->Arg(1)->Arg(100);

void decode_result_view_with_metadata(benchmark::State& state) {
    const auto bytes = sample_rows_with_metadata_frame(static_cast<std::size_t>(state.range(0)));
    const Frame f = frame_of(bytes);
    const std::uint64_t before = allocations.load();
    for (auto _ : state) {
        auto view = decode_response_view(f);
        std::size_t total = 0;
        CellReader cells = view->rows.cells();
        while (!cells.at_end())
            if (auto c = cells.next()) total += c->size();
        benchmark::DoNotOptimize(total);
    }
    report_allocations(state, before);
}
BENCHMARK(decode_result_view_with_metadata)->Arg(1)->Arg(100);

void decode_result_rows_with_metadata_full(benchmark::State& state) {
    const auto bytes = sample_rows_with_metadata_frame(static_cast<std::size_t>(state.range(0)));
    const Frame f = frame_of(bytes);
    const std::uint64_t before = allocations.load();
    for (auto _ : state) {
        auto response = decode_response(f);
        benchmark::DoNotOptimize(response.ok());
    }
    report_allocations(state, before);
}
BENCHMARK(decode_result_rows_with_metadata_full)->Arg(1)->Arg(100);

void decode_result_void_full(benchmark::State& state) {
    std::vector<std::uint8_t> bytes;
    encode_response(bytes, 1, VoidResult{});
    const Frame f = frame_of(bytes);
    const std::uint64_t before = allocations.load();
    for (auto _ : state) {
        auto response = decode_response(f);
        benchmark::DoNotOptimize(response.ok());
    }
    report_allocations(state, before);
}
BENCHMARK(decode_result_void_full);

void decode_result_rows_full(benchmark::State& state) {
    const auto bytes = sample_rows_frame(static_cast<std::size_t>(state.range(0)));
    const Frame f = frame_of(bytes);
    const std::uint64_t before = allocations.load();
    for (auto _ : state) {
        auto response = decode_response(f);
        benchmark::DoNotOptimize(response.ok());
    }
    report_allocations(state, before);
}
BENCHMARK(decode_result_rows_full)->Arg(1)->Arg(100);

}  // namespace
