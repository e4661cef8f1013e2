#pragma once
// Internal to routelab_report: small helpers for writing the page's HTML (escaped text,
// numbers in a fixed format, table rows).
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "sim/report/html_escape.hpp"

namespace routelab::report::detail {

// Fixed formats, locale-independent: "12.345" (ms from ns), "41.43%", "1.08".
std::string ms(std::int64_t ns);
std::string percent(double fraction);
std::string fixed(double v, int decimals);
std::string count(std::uint64_t v);

class Html {
public:
    Html& raw(std::string_view markup) {
        out_ += markup;
        return *this;
    }
    Html& text(std::string_view plain) {
        out_ += html_escape(plain);
        return *this;
    }
    // <tag class="cls">escaped text</tag>
    Html& element(std::string_view tag, std::string_view plain, std::string_view cls = {});
    // A row of <th> or <td> cells, each text escaped.
    Html& row(std::initializer_list<std::string_view> cells, bool header = false);
    const std::string& str() const { return out_; }
    std::string take() { return std::move(out_); }

private:
    std::string out_;
};

}  // namespace routelab::report::detail
