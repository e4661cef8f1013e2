// Seed corpus for the protocol fuzz targets: valid byte streams of every message type,
// written as files so libFuzzer starts from deep inside the decoders rather than from
// random bytes. Usage: make_corpus <requests-dir> <responses-dir> [count] [seed].
// The streams come from the property tests' generators with a fixed seed, so the corpus
// is the same on every run.
#include <rapidcheck.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "driver/protocol/codec.hpp"
#include "driver/protocol/compression.hpp"
#include "tests/protocol/generators.hpp"

using namespace routelab::cql;

namespace {

template <typename T>
T sample(const rc::Gen<T>& g, rc::Random& random, int size) {
    return g(random.split(), size).value();
}

bool write_file(const std::string& path, const std::vector<std::uint8_t>& bytes) {
    std::ofstream out(path, std::ios::binary);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    return static_cast<bool>(out);
}

// A Rows result whose cells are real encodings of their column types, so the value
// decoders see well-formed input to mutate.
RowsResult typed_rows(rc::Random& random, int size) {
    RowsResult rows;
    rows.metadata.columns = sample(rc::gen::resize(4, gen::column_specs()), random, size);
    rows.metadata.column_count = static_cast<std::int32_t>(rows.metadata.columns.size());
    if (rows.metadata.columns.empty()) return rows;
    for (int r = 0; r < 3; ++r) {
        Row row;
        for (const auto& column : rows.metadata.columns) {
            const CqlValue v = sample(gen::value_of(column.type, 0), random, size);
            if (v.is_null()) {
                row.push_back(std::nullopt);
                continue;
            }
            Bytes cell;
            if (encode_value(column.type, v, cell)) cell.clear();
            row.push_back(std::move(cell));
        }
        rows.rows.push_back(std::move(row));
    }
    return rows;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s <requests-dir> <responses-dir> [count] [seed]\n", argv[0]);
        return 2;
    }
    const int count = argc > 3 ? std::atoi(argv[3]) : 200;
    const auto seed = argc > 4 ? std::strtoull(argv[4], nullptr, 10) : 20261123ull;
    rc::Random random(seed);
    std::vector<std::uint8_t> scratch;
    for (int i = 0; i < count; ++i) {
        const int size = 1 + i % 20;
        const bool compress = i % 3 == 0;
        // Requests: a v4 stream of 1-3 frames (the first byte also sets the target's read size).
        std::vector<std::uint8_t> requests;
        for (int k = 0; k <= i % 3; ++k) {
            const std::size_t start = requests.size();
            const Request request = sample(gen::request(), random, size);
            const FrameExtras extras = sample(gen::extras(false), random, size);
            encode_request(requests, static_cast<std::int16_t>(k), request, 4, &extras);
            if (compress) compress_frame(Compression::lz4, requests, start, scratch);
        }
        // Responses: 1-3 frames, one of them a Rows result with typed cells.
        std::vector<std::uint8_t> responses;
        for (int k = 0; k <= i % 3; ++k) {
            const std::size_t start = responses.size();
            const FrameExtras extras = sample(gen::extras(true), random, size);
            if (k == 0 && i % 2 == 0) encode_response(responses, 1, typed_rows(random, size), 4, &extras);
            else encode_response(responses, static_cast<std::int16_t>(k), sample(gen::response(), random, size), 4, &extras);
            if (compress) compress_frame(Compression::lz4, responses, start, scratch);
        }
        const std::string name = "/seed-" + std::to_string(i);
        if (!write_file(argv[1] + name, requests) || !write_file(argv[2] + name, responses)) {
            std::fprintf(stderr, "cannot write the corpus under %s and %s\n", argv[1], argv[2]);
            return 1;
        }
    }
    return 0;
}
