#include "sim/core/ziggurat.hpp"

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>

namespace routelab::sim {

namespace {

constexpr std::size_t layers = 256;

// A ziggurat for an unnormalised decreasing density f on [0, inf): layer i is the
// rectangle of width x[i] between heights f(x[i]) and f(x[i+1]); layer 0 is the base strip
// (the rectangle under f(r) plus the tail beyond r, of the same area v), so x[0] = v / f(r).
struct Table {
    std::array<double, layers + 1> x{};
    std::array<double, layers + 1> f{};   // f(x[i])
};

// The normal's (f = exp(-x^2/2)) and the exponential's (f = exp(-x)) constants for 256
// layers, from Marsaglia and Tsang: the tail start r and the common layer area v.
constexpr double normal_r = 3.6541528853610088;
constexpr double normal_v = 0.00492867323399;
constexpr double exp_r = 7.69711747013104972;
constexpr double exp_v = 0.0039496598225815571993;

Table build_normal() {
    Table t;
    t.x[0] = normal_v / std::exp(-0.5 * normal_r * normal_r);
    t.x[1] = normal_r;
    for (std::size_t i = 1; i < layers - 1; ++i) {
        const double fi = std::exp(-0.5 * t.x[i] * t.x[i]);
        t.x[i + 1] = std::sqrt(-2.0 * std::log(fi + normal_v / t.x[i]));
    }
    t.x[layers] = 0.0;
    for (std::size_t i = 0; i <= layers; ++i) t.f[i] = std::exp(-0.5 * t.x[i] * t.x[i]);
    return t;
}

Table build_exponential() {
    Table t;
    t.x[0] = exp_v / std::exp(-exp_r);
    t.x[1] = exp_r;
    for (std::size_t i = 1; i < layers - 1; ++i) {
        const double fi = std::exp(-t.x[i]);
        t.x[i + 1] = -std::log(fi + exp_v / t.x[i]);
    }
    t.x[layers] = 0.0;
    for (std::size_t i = 0; i <= layers; ++i) t.f[i] = std::exp(-t.x[i]);
    return t;
}

const Table normal_table = build_normal();
const Table exponential_table = build_exponential();

double uniform53(std::uint64_t word) { return static_cast<double>(word >> 11) * 0x1.0p-53; }

}  // namespace

double ziggurat_normal(RngStream& rng) {
    const Table& t = normal_table;
    for (;;) {
        const std::uint64_t word = rng.next_u64();
        const std::size_t i = static_cast<std::size_t>(word & 0xff);
        const double sign = (word & 0x100) ? -1.0 : 1.0;
        const double z = uniform53(word) * t.x[i];
        if (z < t.x[i + 1]) return sign * z;   // inside the layer's core: under the curve
        if (i == 0) {
            // The tail beyond r (Marsaglia, 1964): exact, with two logarithms.
            for (;;) {
                const double a = -std::log(rng.unit_open_zero()) / normal_r;
                const double b = -std::log(rng.unit_open_zero());
                if (b + b > a * a) return sign * (normal_r + a);
            }
        }
        // The wedge between the curve and the layer's right edge.
        const double y = t.f[i] + rng.unit() * (t.f[i + 1] - t.f[i]);
        if (y < std::exp(-0.5 * z * z)) return sign * z;
    }
}

double ziggurat_exponential(RngStream& rng) {
    const Table& t = exponential_table;
    double shift = 0.0;   // the tail is memoryless: beyond r, start again shifted by r
    for (;;) {
        const std::uint64_t word = rng.next_u64();
        const std::size_t i = static_cast<std::size_t>(word & 0xff);
        const double z = uniform53(word) * t.x[i];
        if (z < t.x[i + 1]) return shift + z;
        if (i == 0) {
            shift += exp_r;
            continue;
        }
        const double y = t.f[i] + rng.unit() * (t.f[i + 1] - t.f[i]);
        if (y < std::exp(-z)) return shift + z;
    }
}

}  // namespace routelab::sim
