#include "driver/session/pager.hpp"

#include <memory>

namespace routelab::driver {

namespace {

struct Pages {
    Session* session = nullptr;
    PreparedPtr statement;
    std::vector<cql::Value> values;
    RequestOptions options;
    PageHandler on_page;
    PagesDone done;
    int pages = 0;
};

void next_page(const std::shared_ptr<Pages>& pages) {
    pages->session->execute(pages->statement, pages->values, pages->options, [pages](const RequestResult& result) {
        const bool rows = result.outcome == RequestOutcome::ok && result.response != nullptr &&
                          result.response->kind == cql::ResponseView::Kind::rows;
        if (!rows) return pages->done(result, pages->pages);
        ++pages->pages;
        const cql::RowsView& page = result.response->rows;
        pages->on_page(page);
        if (!page.paging_state() || page.paging_state()->empty()) return pages->done(result, pages->pages);
        pages->options.paging_state = cql::Bytes(page.paging_state()->begin(), page.paging_state()->end());
        next_page(pages);
    });
}

}  // namespace

void fetch_all_pages(Session& session, PreparedPtr statement, std::vector<cql::Value> values, RequestOptions options,
                     PageHandler on_page, PagesDone done) {
    auto pages = std::make_shared<Pages>();
    pages->session = &session;
    pages->statement = std::move(statement);
    pages->values = std::move(values);
    pages->options = std::move(options);
    pages->options.paging_state.reset();
    pages->on_page = std::move(on_page);
    pages->done = std::move(done);
    next_page(pages);
}

}  // namespace routelab::driver
