#include "sim/scenario/text_limits.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace routelab::scenario::detail {
namespace {

// A forward-only reader of TOML's lexical structure: it knows where strings and comments
// start and end (so brackets and dots inside them do not count), whether it is in a key or a
// value, and which arrays and inline tables are open.
class Scanner {
public:
    Scanner(std::string_view text, const std::string& name, TextKind kind)
        : text_(text), name_(name), in_key_(kind == TextKind::document) {}

    std::optional<ScenarioError> run() {
        while (i_ < text_.size()) {
            const char c = text_[i_];
            if (c == '\n') {
                ++line_;
                ++i_;
                if (open_.empty()) start_statement();
                continue;
            }
            if (c == '#') {
                while (i_ < text_.size() && text_[i_] != '\n') ++i_;
                continue;
            }
            if (c == '"' || c == '\'') {
                skip_string(c);
                if (in_key_) key_started_ = true;
                continue;
            }
            if (in_header_) {
                if (auto e = header_char(c)) return e;
            } else if (in_key_) {
                if (auto e = key_char(c)) return e;
            } else if (auto e = value_char(c)) {
                return e;
            }
            ++i_;
        }
        return std::nullopt;
    }

private:
    void start_statement() {
        in_key_ = true;
        key_started_ = false;
        in_header_ = false;
        key_parts_ = 1;
    }

    std::optional<ScenarioError> error(std::string message) const {
        return ScenarioError{name_, line_, "", std::move(message)};
    }

    std::optional<ScenarioError> count_key_part() {
        if (++key_parts_ > max_key_parts)
            return error("a dotted key or table header has more than " + std::to_string(max_key_parts) +
                         " parts (the limit)");
        return std::nullopt;
    }

    // `[table]` or `[[array.of.tables]]`: dots count as key parts until the closing bracket.
    std::optional<ScenarioError> header_char(char c) {
        if (c == '.') return count_key_part();
        if (c == ']') {
            in_header_ = false;
            in_key_ = false;   // only a comment may follow; treat the rest as a value
            if (i_ + 1 < text_.size() && text_[i_ + 1] == ']') ++i_;
        }
        return std::nullopt;
    }

    std::optional<ScenarioError> key_char(char c) {
        if (c == ' ' || c == '\t' || c == '\r') return std::nullopt;
        if (c == '[' && !key_started_ && open_.empty()) {
            in_header_ = true;
            if (i_ + 1 < text_.size() && text_[i_ + 1] == '[') ++i_;
            return std::nullopt;
        }
        if (c == '}' && !open_.empty() && open_.back() == '{') {   // `{}` or a trailing `,`
            open_.pop_back();
            in_key_ = false;
            return std::nullopt;
        }
        if (c == '=') {
            in_key_ = false;
            return std::nullopt;
        }
        key_started_ = true;
        if (c == '.') return count_key_part();
        return std::nullopt;
    }

    // toml11 3.7 reads a binary integer by doubling a signed place value per digit, which
    // overflows (undefined behaviour) from the 63rd digit on, whatever the digits are.
    std::optional<ScenarioError> check_binary_integer() {
        const bool token_start = i_ == 0 || !(std::isalnum(static_cast<unsigned char>(text_[i_ - 1])) != 0 || text_[i_ - 1] == '_');
        if (!token_start || i_ + 1 >= text_.size() || text_[i_ + 1] != 'b') return std::nullopt;
        std::size_t digits = 0;
        for (std::size_t j = i_ + 2; j < text_.size() && (text_[j] == '0' || text_[j] == '1' || text_[j] == '_'); ++j)
            if (text_[j] != '_') ++digits;
        if (digits > max_binary_digits)
            return error("a binary integer of more than " + std::to_string(max_binary_digits) +
                         " digits (the limit; write larger values in decimal or hex)");
        return std::nullopt;
    }

    std::optional<ScenarioError> value_char(char c) {
        if (c == '0') return check_binary_integer();
        if (c == '[' || c == '{') {
            open_.push_back(c);
            if (open_.size() > max_nesting)
                return error("arrays and inline tables nested more than " + std::to_string(max_nesting) +
                             " deep (the limit)");
            if (c == '{') {
                in_key_ = true;
                key_started_ = false;
                key_parts_ = 1;
            }
            return std::nullopt;
        }
        if ((c == ']' || c == '}') && !open_.empty()) {
            open_.pop_back();
            return std::nullopt;
        }
        if (c == ',' && !open_.empty() && open_.back() == '{') {
            in_key_ = true;
            key_started_ = false;
            key_parts_ = 1;
        }
        return std::nullopt;
    }

    // Basic ("..."), literal ('...') and multi-line ("""...""", '''...''') strings. A
    // single-line string ends at the end of its line even when unterminated (toml11 reports
    // that); a multi-line string's closing quotes may be followed by up to two more quotes,
    // which belong to its content.
    void skip_string(char quote) {
        const bool multi = i_ + 2 < text_.size() && text_[i_ + 1] == quote && text_[i_ + 2] == quote;
        i_ += multi ? 3 : 1;
        while (i_ < text_.size()) {
            const char c = text_[i_];
            if (c == '\\' && quote == '"') {
                if (i_ + 1 < text_.size() && text_[i_ + 1] == '\n') ++line_;
                i_ += 2;
                continue;
            }
            if (c == '\n') {
                if (!multi) return;   // the newline itself is handled by run()
                ++line_;
                ++i_;
                continue;
            }
            if (c == quote) {
                if (!multi) {
                    ++i_;
                    return;
                }
                if (i_ + 2 < text_.size() && text_[i_ + 1] == quote && text_[i_ + 2] == quote) {
                    i_ += 3;
                    for (int extra = 0; extra < 2 && i_ < text_.size() && text_[i_] == quote; ++extra) ++i_;
                    return;
                }
            }
            ++i_;
        }
    }

    std::string_view text_;
    const std::string& name_;
    bool in_key_;                 // before the '=' of a key/value pair
    std::size_t i_ = 0;
    std::uint32_t line_ = 1;
    std::vector<char> open_;      // '[' or '{' for each open array or inline table
    bool key_started_ = false;    // a key character was seen in this key
    bool in_header_ = false;      // inside [table] or [[table]]
    std::size_t key_parts_ = 1;
};

// The offset of the first byte that is not part of well-formed UTF-8 (no overlong forms,
// no surrogates, nothing above U+10FFFF), or npos. TOML documents must be UTF-8, and
// toml11 3.7 reads out of bounds when it reports bad UTF-8 inside a multi-line string.
std::size_t first_bad_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x80) {
            ++i;
            continue;
        }
        std::size_t length = 0;
        unsigned char low = 0x80;
        unsigned char high = 0xBF;   // the allowed range of the second byte
        if (b >= 0xC2 && b <= 0xDF) length = 2;
        else if (b >= 0xE0 && b <= 0xEF) {
            length = 3;
            if (b == 0xE0) low = 0xA0;    // overlong
            if (b == 0xED) high = 0x9F;   // surrogates
        } else if (b >= 0xF0 && b <= 0xF4) {
            length = 4;
            if (b == 0xF0) low = 0x90;    // overlong
            if (b == 0xF4) high = 0x8F;   // above U+10FFFF
        } else {
            return i;
        }
        if (i + length > text.size()) return i;
        for (std::size_t k = 1; k < length; ++k) {
            const auto c = static_cast<unsigned char>(text[i + k]);
            if (k == 1 ? (c < low || c > high) : (c < 0x80 || c > 0xBF)) return i;
        }
        i += length;
    }
    return std::string_view::npos;
}

std::string hex_byte(unsigned char b) {
    const char* digits = "0123456789ABCDEF";
    return std::string("0x") + digits[b >> 4] + digits[b & 0xF];
}

}  // namespace

std::uint32_t line_at(std::string_view text, std::size_t offset) {
    const std::size_t end = std::min(offset, text.size());
    return static_cast<std::uint32_t>(1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(end), '\n'));
}

std::optional<ScenarioError> check_text_limits(std::string_view text, const std::string& name, TextKind kind) {
    if (text.size() > max_file_bytes) {
        return ScenarioError{name, line_at(text, max_file_bytes), "",
                             "the file passes the limit of 1 MiB (" + std::to_string(max_file_bytes) +
                                 " bytes) on this line"};
    }
    if (const auto bad = first_bad_utf8(text); bad != std::string_view::npos) {
        const auto line_start = text.rfind('\n', bad == 0 ? 0 : bad - 1);
        const std::size_t column = bad - (line_start == std::string_view::npos || bad == 0 ? 0 : line_start + 1) + 1;
        return ScenarioError{name, line_at(text, bad), "",
                             "not valid UTF-8 (TOML text must be): byte " + hex_byte(static_cast<unsigned char>(text[bad])) +
                                 " at column " + std::to_string(column)};
    }
    return Scanner(text, name, kind).run();
}

}  // namespace routelab::scenario::detail
