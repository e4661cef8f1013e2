#pragma once
// Reads a statement's result page by page: one request per page, each continuing from
// the paging state the previous page ended with, until a page comes without one. Each
// page is a request of its own (its own plan, retries and timeout), as in the drivers.
#include <functional>
#include <vector>

#include "driver/session/session.hpp"

namespace routelab::driver {

using PageHandler = std::function<void(const cql::RowsView& page)>;
using PagesDone = std::function<void(const RequestResult& last, int pages)>;

// `options.page_size` sets the rows per page; `done` runs once, after the last page or
// the first failed one.
void fetch_all_pages(Session& session, PreparedPtr statement, std::vector<cql::Value> values, RequestOptions options,
                     PageHandler on_page, PagesDone done);

}  // namespace routelab::driver
