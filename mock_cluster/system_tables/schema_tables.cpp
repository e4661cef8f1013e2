// Rows of system_schema.keyspaces, .tables and .columns: the user schema plus the served
// system keyspaces and tables themselves (as Cassandra lists them), in key order.
#include <algorithm>
#include <string>
#include <tuple>

#include "mock_cluster/cluster.hpp"
#include "mock_cluster/system_tables/cells.hpp"
#include "mock_cluster/system_tables/row_sources.hpp"
#include "sim/core/rng.hpp"

namespace routelab::cluster::system_tables {

namespace {

using routelab::cql::Bytes;
using TextMap = std::vector<std::pair<std::string, std::string>>;

constexpr const char* locator = "org.apache.cassandra.locator.";

TextMap replication_of(const ReplicationStrategy& s) {
    TextMap m;
    if (s.kind == ReplicationStrategy::Kind::simple) {
        m.emplace_back("class", std::string(locator) + "SimpleStrategy");
        m.emplace_back("replication_factor", std::to_string(s.replication_factor));
    } else {
        m.emplace_back("class", std::string(locator) + "NetworkTopologyStrategy");
        for (const auto& [dc, rf] : s.factor_per_dc) m.emplace_back(dc, std::to_string(rf));
    }
    return m;
}

// Tables in (keyspace, name) order: the served system tables and the live user tables.
std::vector<const TableDef*> all_tables(const Cluster& c) {
    std::vector<const TableDef*> out;
    for (const auto& t : all()) out.push_back(&t.shape);
    for (const auto& [name, ks] : c.schema().keyspaces())
        for (const auto& [table, id] : ks->tables) out.push_back(&c.schema().table(id));
    std::sort(out.begin(), out.end(),
              [](const TableDef* a, const TableDef* b) { return std::tie(a->keyspace, a->name) < std::tie(b->keyspace, b->name); });
    return out;
}

// A stable table id (Cassandra's are time UUIDs; drivers only carry them around).
Bytes table_id(const TableDef& t) {
    std::uint64_t state = sim::fnv1a64("routelab/table/" + t.keyspace + "." + t.name + "#" + std::to_string(t.id));
    std::array<std::uint8_t, 16> id{};
    for (int half = 0; half < 2; ++half) {
        const std::uint64_t word = sim::splitmix64_next(state);
        for (int i = 0; i < 8; ++i) id[static_cast<std::size_t>(half * 8 + i)] = static_cast<std::uint8_t>(word >> (56 - 8 * i));
    }
    id[6] = static_cast<std::uint8_t>((id[6] & 0x0f) | 0x40);
    id[8] = static_cast<std::uint8_t>((id[8] & 0x3f) | 0x80);
    return cell::uuid(id);
}

}  // namespace

void keyspaces_rows(const SystemView& view, std::vector<Cells>& out) {
    static const SystemTable& table = *find("system_schema", "keyspaces");
    std::vector<std::tuple<std::string, bool, TextMap>> rows;
    for (const char* ks : {"system", "system_schema"})
        rows.emplace_back(ks, true, TextMap{{"class", std::string(locator) + "LocalStrategy"}});
    for (const auto& [name, ks] : view.cluster.schema().keyspaces()) rows.emplace_back(name, ks->durable_writes, replication_of(ks->strategy));
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return std::get<0>(a) < std::get<0>(b); });
    for (const auto& [name, durable, replication] : rows)
        out.push_back(row_of(table, {{"keyspace_name", cell::text(name)},
                                     {"durable_writes", cell::boolean(durable)},
                                     {"replication", cell::text_map(replication)}}));
}

void tables_rows(const SystemView& view, std::vector<Cells>& out) {
    static const SystemTable& table = *find("system_schema", "tables");
    for (const TableDef* t : all_tables(view.cluster)) {
        out.push_back(row_of(
            table, {
                       {"keyspace_name", cell::text(t->keyspace)},
                       {"table_name", cell::text(t->name)},
                       {"bloom_filter_fp_chance", cell::float64(0.01)},
                       {"caching", cell::text_map({{"keys", "ALL"}, {"rows_per_partition", "ALL"}})},
                       {"comment", cell::text("")},
                       {"compaction", cell::text_map({{"class", "SizeTieredCompactionStrategy"}})},
                       {"compression", cell::text_map({{"sstable_compression", "org.apache.cassandra.io.compress.LZ4Compressor"}})},
                       {"crc_check_chance", cell::float64(1.0)},
                       {"dclocal_read_repair_chance", cell::float64(0.0)},
                       {"default_time_to_live", cell::int32(0)},
                       {"extensions", cell::text_map({})},
                       // 'compound': drivers treat a table without it as COMPACT STORAGE.
                       {"flags", cell::text_collection({"compound"})},
                       {"gc_grace_seconds", cell::int32(864000)},
                       {"id", table_id(*t)},
                       {"max_index_interval", cell::int32(2048)},
                       {"memtable_flush_period_in_ms", cell::int32(0)},
                       {"min_index_interval", cell::int32(128)},
                       {"read_repair_chance", cell::float64(0.0)},
                       {"speculative_retry", cell::text("99.0PERCENTILE")},
                   }));
    }
}

void columns_rows(const SystemView& view, std::vector<Cells>& out) {
    static const SystemTable& table = *find("system_schema", "columns");
    for (const TableDef* t : all_tables(view.cluster)) {
        std::vector<std::size_t> order(t->columns.size());
        for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return t->columns[a].name < t->columns[b].name; });
        const std::size_t pk = t->partition_key_columns;
        const std::size_t ck = t->clustering_key_columns;
        for (std::size_t i : order) {
            const ColumnDef& column = t->columns[i];
            const char* kind = i < pk ? "partition_key" : i < pk + ck ? "clustering" : "regular";
            const int position = i < pk ? static_cast<int>(i) : i < pk + ck ? static_cast<int>(i - pk) : -1;
            const char* clustering_order =
                i < pk || i >= pk + ck ? "none" : t->order_of_clustering(i - pk) == ClusteringOrder::desc ? "desc" : "asc";
            out.push_back(row_of(table, {
                                            {"keyspace_name", cell::text(t->keyspace)},
                                            {"table_name", cell::text(t->name)},
                                            {"column_name", cell::text(column.name)},
                                            {"clustering_order", cell::text(clustering_order)},
                                            {"column_name_bytes", cell::text(column.name)},
                                            {"kind", cell::text(kind)},
                                            {"position", cell::int32(position)},
                                            {"type", cell::text(routelab::cql::type_name(column.type))},
                                        }));
        }
    }
}

}  // namespace routelab::cluster::system_tables
