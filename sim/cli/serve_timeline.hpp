#pragma once
// `routelab serve`'s fault timeline: the scenario's [[faults]] applied on the wall clock
// (the LiveScheduler) by the same FaultTimeline a simulated run uses, from "ready"
// (`--timeline start`) or when told over the HTTP control (`--timeline manual`, the
// default). Internode effects (partition, extra latency) act on the link model the
// cluster's replica traffic reads; the client sockets are real.
//
//   GET  /timeline        the mode, whether and when it started, each step's state
//   POST /timeline/start  starts it now (409 if it already started, was stopped, or is off)
//   POST /timeline/stop   cancels the steps not applied yet (applied ones still revert on time)
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "mock_cluster/cluster.hpp"
#include "sim/core/scheduler.hpp"
#include "sim/faults/timeline.hpp"
#include "sim/live/control_server.hpp"
#include "sim/net/link_model.hpp"
#include "sim/scenario/model.hpp"

namespace routelab::cli {

enum class TimelineMode { off, start, manual };

class ServeTimeline {
public:
    ServeTimeline(sim::Scheduler& scheduler, cluster::Cluster& cluster, net::LinkModel& links,
                  std::vector<scenario::FaultSpec> faults, TimelineMode mode);

    // Starts the timeline at the scheduler's now; the reason it cannot, if it cannot.
    std::string start();
    // Cancels what is pending; the reason it cannot, if it cannot.
    std::string stop();
    nlohmann::json state() const;

    static bool handles(std::string_view path) { return path == "/timeline" || path.substr(0, 10) == "/timeline/"; }
    // `path` is the target without its query; the body and query were already checked empty.
    live::HttpResponse handle(const live::HttpRequest& request, std::string_view path);

private:
    sim::Scheduler& scheduler_;
    faults::LinkFaultNetwork network_;
    faults::FaultTimeline timeline_;
    TimelineMode mode_;
    bool stopped_ = false;
    double stopped_at_s_ = -1;
};

std::string_view timeline_mode_name(TimelineMode mode);

}  // namespace routelab::cli
