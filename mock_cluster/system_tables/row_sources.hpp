#pragma once
// Row sources of the served system tables (internal to system_tables/).
#include "mock_cluster/system_tables/catalog.hpp"

namespace routelab::cluster::system_tables {

void local_rows(const SystemView& view, std::vector<Cells>& out);
void peers_rows(const SystemView& view, std::vector<Cells>& out);
void client_routes_rows(const SystemView& view, std::vector<Cells>& out);
void keyspaces_rows(const SystemView& view, std::vector<Cells>& out);
void tables_rows(const SystemView& view, std::vector<Cells>& out);
void columns_rows(const SystemView& view, std::vector<Cells>& out);
void no_rows(const SystemView& view, std::vector<Cells>& out);

}  // namespace routelab::cluster::system_tables

#include <initializer_list>
#include <string_view>
#include <utility>

namespace routelab::cluster::system_tables {

// A row of a served table with the named cells set and every other cell null.
Cells row_of(const SystemTable& table, std::initializer_list<std::pair<std::string_view, std::optional<routelab::cql::Bytes>>> cells);

}  // namespace routelab::cluster::system_tables
