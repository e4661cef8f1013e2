#include "mock_cluster/coordinator/consistency.hpp"

#include <array>
#include <utility>

namespace routelab::cluster {

namespace {
constexpr std::array<std::pair<std::string_view, Consistency>, 11> names{{
    {"ANY", Consistency::any}, {"ONE", Consistency::one}, {"TWO", Consistency::two},
    {"THREE", Consistency::three}, {"QUORUM", Consistency::quorum}, {"ALL", Consistency::all},
    {"LOCAL_QUORUM", Consistency::local_quorum}, {"EACH_QUORUM", Consistency::each_quorum},
    {"SERIAL", Consistency::serial}, {"LOCAL_SERIAL", Consistency::local_serial},
    {"LOCAL_ONE", Consistency::local_one},
}};
}  // namespace

std::optional<Consistency> consistency_from_name(std::string_view name) {
    for (const auto& [text, cl] : names)
        if (text == name) return cl;
    return std::nullopt;
}

std::string_view consistency_name(Consistency cl) {
    for (const auto& [text, value] : names)
        if (value == cl) return text;
    return "UNKNOWN";
}

bool is_local(Consistency cl) {
    return cl == Consistency::local_one || cl == Consistency::local_quorum || cl == Consistency::local_serial;
}

int required_replicas(Consistency cl, int total_rf, int local_rf) {
    switch (cl) {
        case Consistency::any:
        case Consistency::one:
        case Consistency::local_one: return 1;
        case Consistency::two: return 2;
        case Consistency::three: return 3;
        case Consistency::quorum:
        case Consistency::serial:
        case Consistency::each_quorum: return total_rf / 2 + 1;
        case Consistency::all: return total_rf;
        case Consistency::local_quorum:
        case Consistency::local_serial: return local_rf / 2 + 1;
    }
    return total_rf;
}

}  // namespace routelab::cluster
