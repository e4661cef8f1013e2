#include "sim/scenario/nodes.hpp"

namespace routelab::scenario {

std::string counted_node_name(const std::string& dc, const std::string& rack, int index_from_1) {
    return dc + "-" + rack + "-n" + std::to_string(index_from_1);
}

std::vector<NodeSpec> all_nodes(const TopologySpec& topology) {
    std::vector<NodeSpec> out;
    for (const auto& dc : topology.datacenters) {
        for (const auto& rack : dc.racks) {
            for (int i = 1; i <= rack.nodes; ++i) {
                out.push_back(NodeSpec{counted_node_name(dc.name, rack.name, i), dc.name, rack.name, {}});
            }
        }
    }
    out.insert(out.end(), topology.nodes.begin(), topology.nodes.end());
    return out;
}

}  // namespace routelab::scenario
