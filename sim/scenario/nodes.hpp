#pragma once
// Every node of a topology in its canonical order: the counted nodes first (datacenter by
// datacenter, rack by rack as written, named "<dc>-<rack>-n<i>" with i from 1 within the
// rack), then the explicit nodes as written. Counted nodes get empty token lists (tokens
// are derived from the seed). Parsed scenarios always have names on explicit nodes.
#include <string>
#include <vector>

#include "sim/scenario/model.hpp"

namespace routelab::scenario {

std::string counted_node_name(const std::string& dc, const std::string& rack, int index_from_1);

std::vector<NodeSpec> all_nodes(const TopologySpec& topology);

}  // namespace routelab::scenario
