#include "sim/scenario/distribution_spec.hpp"

#include <cmath>
#include <limits>
#include <utility>
#include <vector>

namespace routelab::scenario::detail {
namespace {

constexpr int max_depth = 4;              // mixtures of mixtures, bounded
constexpr std::size_t max_components = 64;
constexpr std::size_t max_empirical_values = 100'000;

const char* const kinds_text =
    "constant, uniform, exponential, normal, lognormal, pareto, mixture, empirical";

double param(const Context& ctx, const toml::value& table, const std::string& field,
             std::string_view key, NumberRule rule) {
    return expect_number(ctx, require(ctx, table, field, key), join_path(field, key), rule);
}

sim::Distribution read(const Context& ctx, const toml::value& v, const std::string& field, int depth);

sim::Distribution read_mixture(const Context& ctx, const toml::value& t, const std::string& field,
                               int depth) {
    check_keys(ctx, t, field, {"kind", "components"});
    const std::string list_field = join_path(field, "components");
    const auto& list = expect_array(ctx, require(ctx, t, field, "components"), list_field);
    const std::uint32_t list_line = line_of(require(ctx, t, field, "components"));
    if (list.empty() || list.size() > max_components) {
        fail(ctx, list_line, list_field,
             "expected 1 to " + std::to_string(max_components) + " components, got " +
                 std::to_string(list.size()));
    }
    sim::dist::Mixture mixture;
    double total = 0;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string item = list_field + "[" + std::to_string(i) + "]";
        const auto& c = expect_table(ctx, list[i], item);
        ctx.locations->set(item, line_of(c));
        check_keys(ctx, c, item, {"weight", "dist"});
        const double weight = param(ctx, c, item, "weight", NumberRule::non_negative);
        total += weight;
        mixture.components.push_back(
            sim::dist::Component{weight, read(ctx, require(ctx, c, item, "dist"),
                                              join_path(item, "dist"), depth + 1)});
    }
    if (!(total > 0.0)) fail(ctx, list_line, list_field, "expected weights with a sum > 0, got 0");
    if (!std::isfinite(total)) fail(ctx, list_line, list_field, "the weights add up to more than a 64-bit float holds");
    return sim::Distribution{std::move(mixture)};
}

sim::Distribution read_empirical(const Context& ctx, const toml::value& t, const std::string& field) {
    check_keys(ctx, t, field, {"kind", "values"});
    const std::string list_field = join_path(field, "values");
    const auto& list = expect_array(ctx, require(ctx, t, field, "values"), list_field);
    if (list.empty() || list.size() > max_empirical_values) {
        fail(ctx, line_of(require(ctx, t, field, "values")), list_field,
             "expected 1 to " + std::to_string(max_empirical_values) + " values, got " +
                 std::to_string(list.size()));
    }
    std::vector<double> values;
    values.reserve(list.size());
    for (std::size_t i = 0; i < list.size(); ++i) {
        values.push_back(expect_number(ctx, list[i], list_field + "[" + std::to_string(i) + "]",
                                       NumberRule::non_negative));
    }
    return sim::make_empirical(std::move(values));
}

sim::Distribution read(const Context& ctx, const toml::value& v, const std::string& field, int depth) {
    const auto& t = expect_table(ctx, v, field);
    ctx.locations->set(field, line_of(t));
    if (depth > max_depth) {
        fail(ctx, line_of(t), field, "mixtures nested deeper than " + std::to_string(max_depth));
    }
    const auto& kind_value = require(ctx, t, field, "kind");
    const std::string kind = expect_string(ctx, kind_value, join_path(field, "kind"));
    using R = NumberRule;
    if (kind == "constant") {
        check_keys(ctx, t, field, {"kind", "value"});
        return {sim::dist::Constant{param(ctx, t, field, "value", R::non_negative)}};
    }
    if (kind == "uniform") {
        check_keys(ctx, t, field, {"kind", "min", "max"});
        const double lo = param(ctx, t, field, "min", R::non_negative);
        const double hi = param(ctx, t, field, "max", R::non_negative);
        if (hi < lo) {
            fail(ctx, line_of(require(ctx, t, field, "max")), join_path(field, "max"),
                 "expected max >= min, got min " + describe(require(ctx, t, field, "min")) +
                     " and max " + describe(require(ctx, t, field, "max")));
        }
        return {sim::dist::Uniform{lo, hi}};
    }
    if (kind == "exponential") {
        check_keys(ctx, t, field, {"kind", "mean"});
        return {sim::dist::Exponential{param(ctx, t, field, "mean", R::positive)}};
    }
    if (kind == "normal") {
        check_keys(ctx, t, field, {"kind", "mean", "stddev"});
        return {sim::dist::Normal{param(ctx, t, field, "mean", R::non_negative),
                                  param(ctx, t, field, "stddev", R::non_negative)}};
    }
    if (kind == "lognormal") {
        check_keys(ctx, t, field, {"kind", "median", "sigma"});
        return {sim::dist::LogNormal{param(ctx, t, field, "median", R::positive),
                                     param(ctx, t, field, "sigma", R::non_negative)}};
    }
    if (kind == "pareto") {
        check_keys(ctx, t, field, {"kind", "scale", "shape"});
        return {sim::dist::Pareto{param(ctx, t, field, "scale", R::positive),
                                  param(ctx, t, field, "shape", R::positive)}};
    }
    if (kind == "mixture") return read_mixture(ctx, t, field, depth);
    if (kind == "empirical") return read_empirical(ctx, t, field);
    fail(ctx, line_of(kind_value), join_path(field, "kind"),
         "unknown distribution kind \"" + kind + "\" (known: " + kinds_text + ")");
}

}  // namespace

sim::Distribution read_distribution(const Context& ctx, const toml::value& v, const std::string& field) {
    return read(ctx, v, field, 0);
}

}  // namespace routelab::scenario::detail
