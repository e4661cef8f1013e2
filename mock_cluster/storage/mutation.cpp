#include "mock_cluster/storage/mutation.hpp"

namespace routelab::cluster {

namespace {

std::span<const std::uint8_t> as_bytes(std::string_view s) {
    return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
std::string_view as_text(std::span<const std::uint8_t> s) { return {reinterpret_cast<const char*>(s.data()), s.size()}; }

}  // namespace

MutationWriter::MutationWriter(std::vector<std::uint8_t>& out, MutationKind kind, bool row_marker, std::string_view key,
                               std::span<const std::uint8_t> clustering, std::size_t cells_bytes)
    : out_(out) {
    out_.clear();
    out_.reserve(header_size(key, clustering) + cells_bytes);
    routelab::cql::ByteWriter w(out_);
    w.byte(static_cast<std::uint8_t>(kind));
    w.byte(row_marker ? 1 : 0);
    w.i32(static_cast<std::int32_t>(key.size()));
    w.raw(key);
    w.i32(static_cast<std::int32_t>(clustering.size()));
    w.raw(clustering);
    count_at_ = out_.size();
    w.u16(0);
}

void MutationWriter::cell(std::uint16_t column, std::optional<std::span<const std::uint8_t>> value) {
    routelab::cql::ByteWriter w(out_);
    w.u16(column);
    if (value) w.bytes(*value);
    else w.i32(-1);
    ++count_;
    out_[count_at_] = static_cast<std::uint8_t>(count_ >> 8);
    out_[count_at_ + 1] = static_cast<std::uint8_t>(count_);
}

MutationView read_mutation(std::string_view bytes) {
    routelab::cql::ByteReader r(as_bytes(bytes));
    MutationView m;
    m.kind = static_cast<MutationKind>(r.byte());
    m.row_marker = r.byte() != 0;
    m.key = as_text(r.raw(static_cast<std::size_t>(r.i32())));
    m.clustering = as_text(r.raw(static_cast<std::size_t>(r.i32())));
    m.cell_count = r.u16();
    if (!r.failed()) m.cells = as_bytes(bytes.substr(r.offset()));
    return m;
}

void write_slice(std::vector<std::uint8_t>& out, const Slice& slice) {
    out.clear();
    // No bounds: no bytes, which read_slice takes for the whole partition (the inclusive
    // flags mean nothing without a bound). Most reads are of a whole partition; they
    // carry an empty payload and allocate nothing.
    if (!slice.lower && !slice.upper) return;
    out.reserve(1 + 4 + (slice.lower ? slice.lower->size() : 0) + 4 + (slice.upper ? slice.upper->size() : 0));
    routelab::cql::ByteWriter w(out);
    w.byte(static_cast<std::uint8_t>((slice.lower ? 1 : 0) | (slice.lower_inclusive ? 2 : 0) | (slice.upper ? 4 : 0) |
                                     (slice.upper_inclusive ? 8 : 0)));
    w.i32(slice.lower ? static_cast<std::int32_t>(slice.lower->size()) : 0);
    if (slice.lower) w.raw(*slice.lower);
    w.i32(slice.upper ? static_cast<std::int32_t>(slice.upper->size()) : 0);
    if (slice.upper) w.raw(*slice.upper);
}

Slice read_slice(std::string_view bytes) {
    Slice s;
    if (bytes.empty()) return s;   // everything
    routelab::cql::ByteReader r(as_bytes(bytes));
    const std::uint8_t flags = r.byte();
    const auto lower = as_text(r.raw(static_cast<std::size_t>(r.i32())));
    const auto upper = as_text(r.raw(static_cast<std::size_t>(r.i32())));
    if (flags & 1) s.lower = lower;
    s.lower_inclusive = (flags & 2) != 0;
    if (flags & 4) s.upper = upper;
    s.upper_inclusive = (flags & 8) != 0;
    return s;
}

}  // namespace routelab::cluster
