#include "sim/import/scenario_writer.hpp"

#include <algorithm>
#include <charconv>
#include <map>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "sim/net/endpoint.hpp"

namespace routelab::importer {

namespace {

// Scenario names: 1-64 of A-Z a-z 0-9 _ - . not starting with '.'.
bool is_name(const std::string& s) {
    if (s.empty() || s.size() > 64 || s.front() == '.') return false;
    return std::all_of(s.begin(), s.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '.';
    });
}

// CQL identifiers as the scenario takes them: a letter, then letters, digits or '_' (<= 48).
bool is_identifier(const std::string& s) {
    if (s.empty() || s.size() > 48 || !std::isalpha(static_cast<unsigned char>(s.front()))) return false;
    return std::all_of(s.begin(), s.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (const char c : s) {
        if (c == '"' || c == '\\') out += '\\', out += c;
        else if (static_cast<unsigned char>(c) < 0x20) out += fmt::format("\\u{:04x}", static_cast<unsigned>(c));
        else out += c;
    }
    return out + "\"";
}

std::optional<int> small_int(const std::string& s) {
    int v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size() || v < 0) return std::nullopt;
    return v;
}

bool ends_with(const std::string& s, const std::string& tail) {
    return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

struct Node {
    std::string name;
    const driver::DiscoveredNode* found = nullptr;
};

struct Keyspace {
    std::string name;
    bool simple = false;
    std::optional<int> rf;                 // the same in every DC (or SimpleStrategy's)
    std::map<std::string, int> per_dc;     // otherwise
    std::string table, clustered_table;
};

// Why a keyspace cannot be written, or nothing (then `out` is filled).
std::optional<std::string> convert_keyspace(const KeyspaceInfo& info, const std::map<std::string, int>& dc_nodes, std::size_t total,
                                            Keyspace& out, std::vector<std::string>& notes) {
    const auto& ks = info.keyspace;
    out.name = ks.name;
    if (ks.name.rfind("system", 0) == 0) return "a system keyspace (the scenario's keyspaces may not start with \"system\")";
    if (!is_identifier(ks.name)) return "its name is not a scenario CQL identifier (a letter, then letters, digits or '_', at most 48)";
    const std::string cls = ks.replication.at("class");
    if (ends_with(cls, "SimpleStrategy")) {
        out.simple = true;
        const auto it = ks.replication.find("replication_factor");
        const auto rf = it == ks.replication.end() ? std::nullopt : small_int(it->second);
        if (!rf || *rf < 1 || *rf > 100) return "SimpleStrategy without a replication_factor in 1-100";
        if (static_cast<std::size_t>(*rf) > total)
            return fmt::format("SimpleStrategy replication_factor {} exceeds the cluster's {} nodes", *rf, total);
        out.rf = rf;
    } else if (ends_with(cls, "NetworkTopologyStrategy")) {
        for (const auto& [key, value] : ks.replication) {
            if (key == "class") continue;
            const auto rf = small_int(value);
            if (!rf || *rf > 100) return "replication \"" + key + "\" = \"" + value + "\" is not an integer 0-100";
            if (*rf == 0) continue;
            const auto dc = dc_nodes.find(key);
            if (dc == dc_nodes.end()) return "replicas in datacenter \"" + key + "\", which has no node";
            if (*rf > dc->second) return fmt::format("{} replicas in datacenter {}, which has {} nodes", *rf, key, dc->second);
            out.per_dc[key] = *rf;
        }
        if (out.per_dc.empty()) return "no replicas in any datacenter";
        const int first = out.per_dc.begin()->second;
        if (out.per_dc.size() == dc_nodes.size() &&
            std::all_of(out.per_dc.begin(), out.per_dc.end(), [first](const auto& e) { return e.second == first; }))
            out.rf = first;
    } else {
        return "replication class " + cls + " (the scenario has NetworkTopologyStrategy and SimpleStrategy)";
    }
    for (const auto& t : info.tables) {
        if (!is_identifier(t.name)) {
            notes.push_back("keyspace " + ks.name + ": table " + t.name + " left out (not a scenario CQL identifier)");
            continue;
        }
        std::string& slot = t.clustering_columns == 0 ? out.table : out.clustered_table;
        if (slot.empty()) slot = t.name;
        else notes.push_back("keyspace " + ks.name + ": table " + t.name + " left out (a scenario keyspace has one table of each shape)");
    }
    if (!info.tables.empty())
        notes.push_back("keyspace " + ks.name + ": table columns are not carried: scenario tables are (k bigint PRIMARY KEY, v blob) "
                        "and (k bigint, c int, v blob, PRIMARY KEY (k, c))");
    return std::nullopt;
}

// Routes of one connection id, node order, as few [[cluster.proxies]] entries as the
// format allows: one stepping entry when the endpoints step by port or by address along
// the nodes, else one entry per node.
struct Route {
    std::string node;
    std::uint32_t ip = 0;
    int port = 0;
};

void write_proxies(std::string& out, const std::string& id, const std::vector<Route>& routes, std::size_t node_count,
                   std::vector<std::string>& notes) {
    auto steps = [&routes](bool by_address) {
        for (std::size_t i = 1; i < routes.size(); ++i) {
            const auto& a = routes.front();
            const auto& r = routes[i];
            if (by_address ? (r.port != a.port || r.ip != a.ip + i) : (r.ip != a.ip || r.port != a.port + static_cast<int>(i))) return false;
        }
        return true;
    };
    auto entry = [&](const std::vector<const Route*>& nodes, const Route& first, const char* step) {
        out += "\n[[cluster.proxies]]\n";
        out += "connection_id = " + quoted(id) + "\n";
        out += "address = " + quoted(net::format_ipv4(first.ip)) + "\n";
        out += fmt::format("port = {}\n", first.port);
        if (step != nullptr) out += std::string("step = \"") + step + "\"\n";
        out += "nodes = [";
        for (std::size_t i = 0; i < nodes.size(); ++i) out += (i ? ", " : "") + quoted(nodes[i]->node);
        out += "]\n";
    };
    // The parser bounds a proxy's port by 65535 minus the node count (room to step).
    const bool port_fits = routes.front().port <= 65535 - static_cast<int>(node_count);
    const bool address_fits = (routes.front().ip & 0xFF) + node_count <= 255;
    if (routes.size() > 1 && port_fits && steps(false)) {
        std::vector<const Route*> all;
        for (const auto& r : routes) all.push_back(&r);
        return entry(all, routes.front(), nullptr);
    }
    if (routes.size() > 1 && address_fits && port_fits && steps(true)) {
        std::vector<const Route*> all;
        for (const auto& r : routes) all.push_back(&r);
        return entry(all, routes.front(), "address");
    }
    for (const auto& r : routes) {
        if (r.port > 65535 - static_cast<int>(node_count)) {
            notes.push_back(fmt::format("route {} for {} left out: port {} is above 65535 minus the node count (a scenario proxy's bound)",
                                        id, r.node, r.port));
            continue;
        }
        entry({&r}, r, nullptr);
    }
}

}  // namespace

WriteResult write_scenario(const ClusterSnapshot& snapshot, const WriteOptions& options) {
    WriteResult result;
    auto& notes = result.notes;
    const auto& d = snapshot.discovery;
    if (!d.partitioner.empty() && !ends_with(d.partitioner, "Murmur3Partitioner")) {
        result.error = "the cluster uses " + d.partitioner + "; scenarios have Murmur3 tokens only";
        return result;
    }
    // Nodes in address order (for `routelab serve` that is its own node order, so the
    // served addresses come back the same), named <dc>-<rack>-n<i>.
    std::vector<const driver::DiscoveredNode*> found;
    for (const auto& n : d.nodes) found.push_back(&n);
    std::sort(found.begin(), found.end(), [](const auto* a, const auto* b) {
        return std::tie(a->address.ip, a->address.port, a->host_id) < std::tie(b->address.ip, b->address.port, b->host_id);
    });
    if (found.empty() || found.size() > 10000) {
        result.error = fmt::format("the cluster lists {} nodes (a scenario has 1-10000)", found.size());
        return result;
    }
    std::vector<Node> nodes;
    std::map<std::pair<std::string, std::string>, int> per_rack;
    std::map<std::string, int> dc_nodes;
    std::map<std::string, std::string> name_of_host;
    std::set<std::string> names;
    for (const auto* n : found) {
        if (!is_name(n->datacenter) || !is_name(n->rack)) {
            result.error = "node " + n->host_id + ": datacenter \"" + n->datacenter + "\" / rack \"" + n->rack +
                           "\" is not a scenario name (1-64 of A-Z a-z 0-9 _ - .)";
            return result;
        }
        if (n->tokens.empty() || n->tokens.size() > 4096) {
            result.error = fmt::format("node {} owns {} tokens (a scenario node has 1-4096)", n->host_id, n->tokens.size());
            return result;
        }
        const int i = ++per_rack[{n->datacenter, n->rack}];
        ++dc_nodes[n->datacenter];
        Node node{fmt::format("{}-{}-n{}", n->datacenter, n->rack, i), n};
        if (!names.insert(node.name).second || node.name.size() > 64) {
            result.error = "node name " + node.name + " (from its datacenter and rack) is not unique or too long";
            return result;
        }
        name_of_host[n->host_id] = node.name;
        nodes.push_back(node);
    }

    // Keyspaces: the ones asked for (each must exist and convert), else every user keyspace.
    std::vector<Keyspace> keyspaces;
    for (const auto& wanted : options.keyspaces)
        if (std::none_of(snapshot.keyspaces.begin(), snapshot.keyspaces.end(), [&](const auto& k) { return k.keyspace.name == wanted; })) {
            result.error = "no keyspace named \"" + wanted + "\" in the cluster";
            return result;
        }
    for (const auto& info : snapshot.keyspaces) {
        const bool asked = std::find(options.keyspaces.begin(), options.keyspaces.end(), info.keyspace.name) != options.keyspaces.end();
        if (!options.keyspaces.empty() && !asked) continue;
        if (options.keyspaces.empty() && info.keyspace.name.rfind("system", 0) == 0) continue;
        Keyspace ks;
        if (auto why = convert_keyspace(info, dc_nodes, nodes.size(), ks, notes)) {
            if (asked) {
                result.error = "keyspace " + info.keyspace.name + " cannot be written: " + *why;
                return result;
            }
            notes.push_back("keyspace " + info.keyspace.name + " left out: " + *why);
            continue;
        }
        keyspaces.push_back(std::move(ks));
    }

    // Routes, per connection id in node order; the ones the format cannot hold are notes.
    std::map<std::string, std::vector<Route>> routes;
    std::set<std::string> route_endpoints;
    for (const auto& row : snapshot.routes) {
        const auto name = name_of_host.find(row.host_id);
        const std::string what = "route " + row.connection_id + " for host " + row.host_id;
        if (name == name_of_host.end()) {
            notes.push_back(what + " left out: no such node in system.local/peers");
            continue;
        }
        if (row.tls_port) notes.push_back(what + ": its tls_port is not carried (scenario proxies are plain TCP)");
        const auto ip = net::parse_ipv4(row.address);
        if (!ip || (*ip >> 24) != 127) {
            notes.push_back(what + " left out: address " + row.address + " is not a loopback IPv4 address (scenario proxies live on 127/8)");
            continue;
        }
        routes[row.connection_id].push_back(Route{name->second, *ip, row.port.value_or(0)});
        route_endpoints.insert(row.address + ":" + std::to_string(row.port.value_or(0)));
    }
    for (auto& [id, list] : routes) {
        std::map<std::string, std::size_t> order;
        for (std::size_t i = 0; i < nodes.size(); ++i) order[nodes[i].name] = i;
        std::sort(list.begin(), list.end(), [&order](const Route& a, const Route& b) { return order[a.node] < order[b.node]; });
    }
    // Nodes that turn away direct clients cannot be seen from the tables; a contact point
    // that is itself a route endpoint is taken as the sign of private networking.
    const bool private_link = !routes.empty() && route_endpoints.count(snapshot.contact) > 0;

    if (snapshot.shards && (*snapshot.shards < 1 || *snapshot.shards > 1024))
        notes.push_back(fmt::format("shard count {} left out (a scenario has 1-1024)", *snapshot.shards));
    const bool shards_ok = snapshot.shards && *snapshot.shards >= 1 && *snapshot.shards <= 1024;
    if (shards_ok) notes.push_back("every node gets the contact node's shard count (the tables do not list other nodes')");
    notes.push_back("node addresses are the scenario's own (127.0.0.x in node order), not the cluster's");

    std::string proxies;
    for (const auto& [id, list] : routes) write_proxies(proxies, id, list, nodes.size(), notes);

    std::string scenario_name = is_name(d.cluster_name) ? d.cluster_name : "imported";
    std::string out;
    out += "# Imported by `routelab import` from " + snapshot.contact + " at " + options.imported_at + "\n";
    out += "# (cluster " + quoted(d.cluster_name) + ", partitioner " + quoted(d.partitioner) + ", " + std::to_string(nodes.size()) +
           " nodes from system.local and " + snapshot.peers_table + ").\n";
    for (const auto& note : notes) out += "# Note: " + note + "\n";
    out += "\n[scenario]\n";
    out += "name = " + quoted(scenario_name) + "\n";
    out += "description = " + quoted("imported from " + snapshot.contact + " at " + options.imported_at) + "\n";
    out += "seed = 1\n";
    out += "\n[topology]\n";
    out += fmt::format("shards = {}\n", shards_ok ? *snapshot.shards : 1);
    for (const auto& n : nodes) {
        out += "\n[[topology.nodes]]\n";
        out += "name = " + quoted(n.name) + "\n";
        out += "datacenter = " + quoted(n.found->datacenter) + "\n";
        out += "rack = " + quoted(n.found->rack) + "\n";
        std::vector<std::int64_t> tokens = n.found->tokens;
        std::sort(tokens.begin(), tokens.end());
        out += "tokens = [";
        for (std::size_t i = 0; i < tokens.size(); ++i) out += (i ? ", " : "") + std::to_string(tokens[i]);
        out += "]\n";
    }
    out += "\n[cluster]\n";
    if (private_link) out += "private_link = true\n";
    if (keyspaces.empty()) {
        // No user keyspace: the scenario's default one, with as many replicas as the
        // smallest datacenter allows (up to the default 3).
        int smallest = 3;
        for (const auto& [dc, count] : dc_nodes) smallest = std::min(smallest, count);
        out += "# The cluster has no keyspace a scenario can hold: the default one.\n";
        out += fmt::format("replication_factor = {}\n", smallest);
    }
    for (const auto& ks : keyspaces) {
        out += "\n[[cluster.keyspaces]]\n";
        out += "name = " + quoted(ks.name) + "\n";
        if (ks.simple) out += "strategy = \"SimpleStrategy\"\n";
        if (ks.rf) {
            out += fmt::format("replication_factor = {}\n", *ks.rf);
        } else {
            out += "replication = { ";
            bool first = true;
            for (const auto& [dc, rf] : ks.per_dc) {
                out += fmt::format("{}{} = {}", first ? "" : ", ", is_identifier(dc) ? dc : quoted(dc), rf);
                first = false;
            }
            out += " }\n";
        }
        if (!ks.table.empty()) out += "table = " + quoted(ks.table) + "\n";
        if (!ks.clustered_table.empty() && ks.clustered_table != ks.table) out += "clustered_table = " + quoted(ks.clustered_table) + "\n";
    }
    out += proxies;
    if (!routes.empty()) {
        out += "\n[driver.client_routes]\nconnection_ids = [";
        bool first = true;
        for (const auto& [id, list] : routes) {
            out += (first ? "" : ", ") + quoted(id);
            first = false;
        }
        out += "]\n";
    }
    result.toml = std::move(out);
    return result;
}

}  // namespace routelab::importer
