#include "sim/report/html_writer.hpp"

#include <cstdio>

namespace routelab::report::detail {

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

std::string ms(std::int64_t ns) { return fixed(static_cast<double>(ns) / 1e6, 3); }

std::string percent(double fraction) { return fixed(fraction * 100.0, 2) + "%"; }

std::string count(std::uint64_t v) { return std::to_string(v); }

Html& Html::element(std::string_view tag, std::string_view plain, std::string_view cls) {
    out_ += '<';
    out_ += tag;
    if (!cls.empty()) {
        out_ += " class=\"";
        out_ += html_escape(cls);
        out_ += '"';
    }
    out_ += '>';
    out_ += html_escape(plain);
    out_ += "</";
    out_ += tag;
    out_ += '>';
    return *this;
}

Html& Html::row(std::initializer_list<std::string_view> cells, bool header) {
    out_ += "<tr>";
    for (const auto c : cells) element(header ? "th" : "td", c);
    out_ += "</tr>\n";
    return *this;
}

}  // namespace routelab::report::detail
