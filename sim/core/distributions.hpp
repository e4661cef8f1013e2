#pragma once
// Our own distributions, drawn from an RngStream. std::*_distribution is never used: its
// algorithms differ between standard libraries, which would break same-seed replays.
// Values are unit-free doubles; callers decide the unit (scenarios use microseconds).
#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "sim/core/rng.hpp"
#include "sim/core/time.hpp"

namespace routelab::sim {

struct Distribution;

namespace dist {
struct Constant { double value; };
struct Uniform { double min; double max; };
struct Exponential { double mean; };
struct Normal { double mean; double stddev; };
// Parameterised by its median (= e^mu) and sigma, the form latency tables are quoted in.
struct LogNormal { double median; double sigma; };
// Pareto type I: scale x_m > 0 (minimum value), shape alpha > 0.
struct Pareto { double scale; double shape; };
struct Component;
// The components of a mixture. Held through a pointer because a component holds a
// Distribution, which may itself be a mixture (a type cannot contain itself by value).
class ComponentList {
public:
    ComponentList();
    void push_back(Component c);
    std::size_t size() const;
    bool empty() const { return size() == 0; }
    const Component& operator[](std::size_t i) const;
    const Component& back() const;
    const Component* begin() const;
    const Component* end() const;

private:
    std::shared_ptr<std::vector<Component>> items_;
};
struct Mixture { ComponentList components; };
// Samples from measured values: picks a uniform quantile and interpolates linearly
// between the sorted values around it.
struct Empirical { std::vector<double> sorted_values; };
}  // namespace dist

struct Distribution {
    using Variant = std::variant<dist::Constant, dist::Uniform, dist::Exponential, dist::Normal,
                                 dist::LogNormal, dist::Pareto, dist::Mixture, dist::Empirical>;
    Variant kind = dist::Constant{0.0};

    double sample(RngStream& rng) const;
    // Theoretical mean where it exists (Pareto with shape <= 1 returns +inf).
    double mean() const;
    std::string describe() const;
};

namespace dist {
struct Component {
    double weight;
    Distribution distribution;
};
inline ComponentList::ComponentList() : items_(std::make_shared<std::vector<Component>>()) {}
inline void ComponentList::push_back(Component c) {
    // Copy on write: mixtures are values, so a copied Distribution never sees later pushes.
    if (items_.use_count() > 1) items_ = std::make_shared<std::vector<Component>>(*items_);
    items_->push_back(std::move(c));
}
inline std::size_t ComponentList::size() const { return items_->size(); }
inline const Component& ComponentList::operator[](std::size_t i) const { return (*items_)[i]; }
inline const Component& ComponentList::back() const { return items_->back(); }
inline const Component* ComponentList::begin() const { return items_->data(); }
inline const Component* ComponentList::end() const { return items_->data() + items_->size(); }
}  // namespace dist

// Builds an empirical distribution (sorts a copy of the values); values must be non-empty.
Distribution make_empirical(std::vector<double> values);

// Draws a duration from a distribution given in microseconds; negative draws clamp to 0.
Duration sample_duration_us(const Distribution& d, RngStream& rng);

}  // namespace routelab::sim
