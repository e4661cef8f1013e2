#include "sim/cli/serve_timeline.hpp"

#include <cstdio>

#include <fmt/format.h>

namespace routelab::cli {

namespace {

// A real driver connects from 127.0.0.1: faults aimed at "client" name that host.
constexpr std::uint32_t live_client_ip = 0x7f000001;

live::HttpResponse json_response(int status, const nlohmann::json& body) {
    return live::HttpResponse{status, "application/json", body.dump() + "\n"};
}

live::HttpResponse refused(int status, const std::string& why) { return json_response(status, {{"error", why}}); }

nlohmann::json seconds_or_null(double s) { return s < 0 ? nlohmann::json(nullptr) : nlohmann::json(s); }

}  // namespace

std::string_view timeline_mode_name(TimelineMode mode) {
    switch (mode) {
        case TimelineMode::off: return "off";
        case TimelineMode::start: return "start";
        case TimelineMode::manual: return "manual";
    }
    return "unknown";
}

ServeTimeline::ServeTimeline(sim::Scheduler& scheduler, cluster::Cluster& cluster, net::LinkModel& links,
                             std::vector<scenario::FaultSpec> faults, TimelineMode mode)
    : scheduler_(scheduler), network_(links), timeline_(scheduler, cluster, network_, live_client_ip, std::move(faults)), mode_(mode) {
    // One line per change, for whoever watches the server's output.
    timeline_.set_listener([this](const scenario::FaultSpec&, const std::string& description, bool applied) {
        fmt::print("timeline: +{:.3f} s {} {}\n", (scheduler_.now() - timeline_.origin()).seconds(),
                   applied ? "applied" : "reverted", description);
        std::fflush(stdout);
    });
}

std::string ServeTimeline::start() {
    if (mode_ == TimelineMode::off) return "the timeline is off (--timeline off)";
    if (stopped_) return "the timeline was stopped; it runs once per serve";
    if (timeline_.started())
        return fmt::format("the timeline already started {:.3f} s ago", (scheduler_.now() - timeline_.origin()).seconds());
    timeline_.start(scheduler_.now());
    fmt::print("timeline: started, {} faults\n", timeline_.faults().size());
    std::fflush(stdout);
    return {};
}

std::string ServeTimeline::stop() {
    if (!timeline_.started()) return "the timeline has not started";
    if (stopped_) return "the timeline was already stopped";
    stopped_ = true;
    stopped_at_s_ = (scheduler_.now() - timeline_.origin()).seconds();
    const std::size_t cancelled = timeline_.cancel_pending();
    fmt::print("timeline: stopped, {} pending faults cancelled\n", cancelled);
    std::fflush(stdout);
    return {};
}

nlohmann::json ServeTimeline::state() const {
    const bool started = timeline_.started();
    nlohmann::json out;
    out["mode"] = timeline_mode_name(mode_);
    out["started"] = started;
    out["stopped"] = stopped_;
    // Seconds on the server's clock (since it began) at which the timeline started.
    out["started_at_s"] = started ? nlohmann::json(timeline_.origin().seconds()) : nlohmann::json(nullptr);
    out["elapsed_s"] = started ? nlohmann::json((scheduler_.now() - timeline_.origin()).seconds()) : nlohmann::json(nullptr);
    out["stopped_at_s"] = seconds_or_null(stopped_at_s_);
    nlohmann::json steps = nlohmann::json::array();
    for (std::size_t i = 0; i < timeline_.faults().size(); ++i) {
        const scenario::FaultSpec& f = timeline_.faults()[i];
        const faults::StepStatus& s = timeline_.steps()[i];
        steps.push_back({{"index", i},
                         {"at_s", f.at_s},
                         {"duration_s", f.duration_s},
                         {"action", scenario::fault_action_name(f.action)},
                         {"target", faults::FaultTimeline::target(f)},
                         {"description", faults::FaultTimeline::describe(f)},
                         {"state", faults::step_state_name(s.state)},
                         {"applications", s.applications},
                         {"applied_at_s", seconds_or_null(s.applied_s)},
                         {"reverted_at_s", seconds_or_null(s.reverted_s)}});
    }
    out["faults"] = std::move(steps);
    return out;
}

live::HttpResponse ServeTimeline::handle(const live::HttpRequest& request, std::string_view path) {
    if (path == "/timeline" || path == "/timeline/") {
        if (request.method != "GET") return refused(405, "use GET /timeline");
        return json_response(200, state());
    }
    const std::string_view action = path.substr(10);
    if (action != "start" && action != "stop") return refused(404, "use GET /timeline, POST /timeline/start or POST /timeline/stop");
    if (request.method != "POST") return refused(405, "use POST /timeline/" + std::string(action));
    const std::string why = action == "start" ? start() : stop();
    if (!why.empty()) return refused(409, why);
    return json_response(200, state());
}

}  // namespace routelab::cli
