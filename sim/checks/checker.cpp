#include "sim/checks/checker.hpp"

#include <fmt/format.h>

namespace routelab::checks {

results::CheckRecord Checker::finish(sim::Time end) {
    results::CheckRecord out;
    out.name = name_;
    out.label = label_;
    out.scope = scope_.text();
    out.client = client_.empty() ? std::string("all") : client_;
    conclude(end, out);
    if (!out.passed && breach_) {
        out.first_at_s = seconds(breach_->at);
        out.first_request = breach_->request;
        out.first_node = breach_->node;
        if (out.detail.empty()) out.detail = breach_->detail;
    }
    return out;
}

void Checker::note_breach(sim::Time at, std::optional<std::uint64_t> request, std::string node, std::string detail) {
    if (breach_) return;
    breach_ = Breach{at, request, std::move(node), std::move(detail)};
}

std::string Checker::node_name(driver::NodeIndex node) const {
    if (world_ != nullptr)
        if (auto index = world_->node_of(node)) return world_->node_name(*index);
    return "driver node " + std::to_string(node);
}

std::string Checker::endpoint_name(const net::Endpoint& endpoint) const {
    std::string out = endpoint.to_string();
    if (world_ != nullptr)
        if (auto index = world_->node_at(endpoint)) out += " (" + world_->node_name(*index) + ")";
    return out;
}

std::string percent(double fraction) {
    const double pct = fraction * 100;
    // Two decimals, or two significant digits for tiny non-zero shares (0.0012%).
    if (pct == 0 || std::fabs(pct) >= 0.01) return plain_number(std::round(pct * 100) / 100) + "%";
    return fmt::format("{:.2g}%", pct);
}

std::string milliseconds(double ms) { return fmt::format("{:.3f} ms", ms); }

std::string plain_number(double x) { return fmt::format("{}", x); }

}  // namespace routelab::checks
