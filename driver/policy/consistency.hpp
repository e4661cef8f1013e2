#pragma once
// Protocol [consistency] codes, as RoutingInfo and the retry tables carry them.
#include <cstdint>

namespace routelab::driver::consistency {

inline constexpr std::uint16_t any = 0, one = 1, two = 2, three = 3, quorum = 4, all = 5, local_quorum = 6,
                               each_quorum = 7, serial = 8, local_serial = 9, local_one = 10;

}  // namespace routelab::driver::consistency
