#pragma once
// Text into HTML: every character that could end a text node or an attribute value
// (& < > " ') becomes an entity, so a scenario file, a node name or a check's detail is
// shown as written and can never become markup.
#include <string>
#include <string_view>

namespace routelab::report {

std::string html_escape(std::string_view text);

// An id/anchor fragment made only of [a-z0-9-] (other characters become '-'), so it is
// safe in id="..." and href="#...".
std::string html_id(std::string_view text);

}  // namespace routelab::report
