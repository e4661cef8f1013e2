#pragma once
// Consistent hashing schemes for sticky routing (reference driver-policies.md §8): ring hash
// with virtual nodes (Envoy "ketama"), Maglev lookup tables, and consistent hashing with
// bounded loads (Mirrokni–Thorup–Zadimoghaddam). Members are given by stable string keys
// (host id or address); every structure is a pure function of the member keys, so two
// drivers with the same membership agree. Hashing is FNV-1a with a SplitMix64 finaliser:
// defined here, never std::hash.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace routelab::driver {

std::uint64_t hash64(std::string_view text, std::uint64_t seed = 0);

// Ring hash: each member owns `points_per_member` virtual nodes hashed from "<key>_<i>"; a
// hash belongs to the first point >= it, wrapping. The count per member is fixed, so a
// membership change moves only the keys of the member that left or joined (≈ 1/N).
// (Envoy instead spreads a fixed minimum ring size, 1024, over the members, so every
// member's point count changes with N and more keys move; see README.md.)
class HashRing {
public:
    static constexpr std::size_t default_points_per_member = 256;
    explicit HashRing(std::span<const std::string> member_keys,
                      std::size_t points_per_member = default_points_per_member);
    bool empty() const { return points_.empty(); }
    std::size_t member_count() const { return member_count_; }
    // Contract: !empty(). The ring position owning `hash`.
    std::size_t position_of(std::uint64_t hash) const;
    std::size_t member_at(std::size_t position) const { return owners_[position]; }
    std::size_t size() const { return points_.size(); }
    std::size_t lookup(std::uint64_t hash) const { return member_at(position_of(hash)); }

private:
    std::size_t member_count_ = 0;
    std::vector<std::uint64_t> points_;
    std::vector<std::uint32_t> owners_;
};

// Maglev: a table of `table_size` (prime) entries filled by members taking turns claiming
// their next preferred free slot (offset + j * skip mod M), members in key order.
class MaglevTable {
public:
    static constexpr std::uint64_t default_table_size = 65537;
    // Contract: table_size is prime and >= the member count.
    explicit MaglevTable(std::span<const std::string> member_keys, std::uint64_t table_size = default_table_size);
    bool empty() const { return table_.empty(); }
    std::size_t lookup(std::uint64_t hash) const { return table_[hash % table_.size()]; }
    std::size_t entries_of(std::size_t member) const;

private:
    std::vector<std::uint32_t> table_;
};

// Bounded loads over a HashRing: capacity = ceil(balance_factor × (total load + 1) / members);
// from the hash's ring position, the first member whose load + 1 fits wins (the paper's
// clockwise walk; Envoy probes in a hash-seeded random order instead). If none fits (cannot
// happen with balance_factor >= 1), the least loaded member.
// Contract: loads.size() == ring.member_count(), balance_factor >= 1.
std::size_t bounded_load_lookup(const HashRing& ring, std::uint64_t hash, std::span<const std::uint64_t> loads,
                                double balance_factor);

bool is_prime(std::uint64_t n);

}  // namespace routelab::driver
