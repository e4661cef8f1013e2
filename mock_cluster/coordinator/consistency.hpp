#pragma once
// How many replica acknowledgements a consistency level needs, and from where.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace routelab::cluster {

// Numeric values are the protocol's [consistency] codes.
enum class Consistency : std::uint16_t {
    any = 0, one = 1, two = 2, three = 3, quorum = 4, all = 5, local_quorum = 6,
    each_quorum = 7, serial = 8, local_serial = 9, local_one = 10,
};

std::optional<Consistency> consistency_from_name(std::string_view name);
std::string_view consistency_name(Consistency cl);

// True for levels that count only replicas in the coordinator's datacenter.
bool is_local(Consistency cl);
// SERIAL and LOCAL_SERIAL: the levels of Paxos rounds.
inline bool is_serial(Consistency cl) { return cl == Consistency::serial || cl == Consistency::local_serial; }

// Replicas that must answer, given the keyspace's total RF and the RF of the
// coordinator's DC. EACH_QUORUM is handled per DC by the coordinator.
int required_replicas(Consistency cl, int total_rf, int local_rf);

}  // namespace routelab::cluster
