#pragma once
// Standard normal and standard exponential draws by the ziggurat method (Marsaglia and
// Tsang, 2000) with 256 layers: about 99% of draws cost one 64-bit random word, one
// multiplication and one comparison, with no transcendental call. The rest (the wedges
// and the tail) fall back to exp/log, exactly, so the distributions are not approximated.
//
// One 64-bit word gives the layer (low 8 bits), the sign (bit 8, normal only) and a
// 53-bit uniform (high bits), so a draw is deterministic in the stream's words.
#include "sim/core/rng.hpp"

namespace routelab::sim {

double ziggurat_normal(RngStream& rng);
double ziggurat_exponential(RngStream& rng);

}  // namespace routelab::sim
