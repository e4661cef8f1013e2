#include "sim/report/inline_svg.hpp"

#include <array>
#include <stdexcept>

namespace routelab::report::detail {

std::string inline_svg(std::string_view svg_file, std::string_view id_prefix) {
    const auto start = svg_file.find("<svg");
    const auto end = svg_file.rfind("</svg>");
    if (start == std::string_view::npos || end == std::string_view::npos || end < start)
        throw std::runtime_error("not an SVG document (no <svg> element)");
    const std::string_view body = svg_file.substr(start, end + 6 - start);
    // Where a name follows that must carry the prefix. Colours ("#ffffff") are never
    // preceded by these, so they stay as they are.
    static constexpr std::array<std::string_view, 5> markers = {"id='", "id=\"", "href='#", "href=\"#", "url(#"};
    std::string out;
    out.reserve(body.size() + body.size() / 16);
    std::size_t i = 0;
    while (i < body.size()) {
        bool matched = false;
        for (const auto m : markers) {
            // An attribute marker must start a word (not "grid='..." or "xid=").
            if (body.compare(i, m.size(), m) != 0) continue;
            if (m[0] == 'i' && i > 0 && body[i - 1] != ' ' && body[i - 1] != '\t' && body[i - 1] != '\n') continue;
            out.append(m);
            out.append(id_prefix);
            i += m.size();
            matched = true;
            break;
        }
        if (!matched) out += body[i++];
    }
    return out;
}

}  // namespace routelab::report::detail
