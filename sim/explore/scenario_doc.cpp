#include "sim/explore/scenario_doc.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <sstream>

namespace routelab::explore {
namespace {

std::string first_line(const std::string& what) {
    const auto nl = what.find('\n');
    return nl == std::string::npos ? what : what.substr(0, nl);
}

}  // namespace

std::optional<Doc> read_doc_file(const std::string& path, std::string& error) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        error = path + ": cannot read the file";
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    return read_doc_text(text.str(), path, error);
}

std::optional<Doc> read_doc_text(const std::string& text, const std::string& name, std::string& error) {
    try {
        std::istringstream in(text);
        return toml::parse<toml::discard_comments, std::map, std::vector>(in, name);
    } catch (const std::exception& e) {
        error = name + ": " + first_line(e.what());
        return std::nullopt;
    }
}

namespace {

bool is_table_array(const Doc& v) {
    if (!v.is_array() || v.as_array().empty()) return false;
    for (const auto& e : v.as_array())
        if (!e.is_table()) return false;
    return true;
}

std::string key_text(const std::string& key) {
    const bool bare = !key.empty() && std::all_of(key.begin(), key.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
    });
    return bare ? key : toml::format(Doc(key));
}

std::string inline_text(const Doc& v) {
    if (v.is_table()) {
        std::string out = "{ ";
        bool first = true;
        for (const auto& [k, e] : v.as_table()) {
            out += (first ? "" : ", ") + key_text(k) + " = " + inline_text(e);
            first = false;
        }
        return v.as_table().empty() ? "{}" : out + " }";
    }
    if (v.is_array()) {
        const bool tables = is_table_array(v);
        std::string out = "[";
        for (std::size_t i = 0; i < v.as_array().size(); ++i)
            out += (i == 0 ? (tables ? "\n  " : "") : (tables ? ",\n  " : ", ")) + inline_text(v.as_array()[i]);
        return out + (tables ? ",\n]" : "]");
    }
    return toml::format(v, 0, 15);
}

// A sub-table worth its own [section]: it holds tables, or many keys.
bool section_worthy(const Doc& v) {
    if (!v.is_table()) return false;
    if (v.as_table().size() > 4) return true;
    for (const auto& [k, e] : v.as_table())
        if (e.is_table() || is_table_array(e)) return true;
    return false;
}

void write_section(std::string& out, const std::string& header, const std::string& path, const Doc& table, int depth) {
    out += header + "\n";
    std::vector<std::pair<std::string, const Doc*>> sections, arrays;
    for (const auto& [k, e] : table.as_table()) {
        if (depth < 3 && section_worthy(e)) sections.emplace_back(k, &e);
        else if (depth < 2 && is_table_array(e)) arrays.emplace_back(k, &e);
        else out += key_text(k) + " = " + inline_text(e) + "\n";
    }
    for (const auto& [k, e] : sections) {
        out += "\n";
        write_section(out, "[" + path + "." + key_text(k) + "]", path + "." + key_text(k), *e, depth + 1);
    }
    for (const auto& [k, e] : arrays)
        for (const auto& item : e->as_array()) {
            out += "\n";
            write_section(out, "[[" + path + "." + key_text(k) + "]]", path + "." + key_text(k), item, depth + 1);
        }
}

}  // namespace

std::string doc_text(const Doc& doc) {
    // The scenario's tables in the order scenarios/README.md gives them, then any others.
    static const std::vector<std::string> order = {"scenario", "topology", "network", "cluster", "workload", "driver",
                                                   "clients",  "faults",   "checks",  "output",  "explore"};
    std::vector<std::string> keys = order;
    for (const auto& [k, e] : doc.as_table())
        if (std::find(order.begin(), order.end(), k) == order.end()) keys.push_back(k);
    std::string out;
    for (const auto& k : keys) {
        const auto it = doc.as_table().find(k);
        if (it == doc.as_table().end()) continue;
        const Doc& v = it->second;
        if (!out.empty()) out += "\n";
        if (v.is_table()) write_section(out, "[" + key_text(k) + "]", key_text(k), v, 1);
        else if (is_table_array(v))
            for (std::size_t i = 0; i < v.as_array().size(); ++i)
                write_section(out, (i == 0 ? "" : "\n") + std::string("[[") + key_text(k) + "]]", key_text(k), v.as_array()[i], 1);
        else out.insert(0, key_text(k) + " = " + inline_text(v) + "\n");
    }
    return out;
}

scenario::ParseResult parse_doc(const Doc& doc, const std::string& name) {
    return scenario::parse_scenario_text(doc_text(doc), name);
}

std::optional<double> number_of(const Doc& v) {
    if (v.is_integer()) return static_cast<double>(v.as_integer());
    if (v.is_floating()) return v.as_floating();
    return std::nullopt;
}

Doc* entry(Doc& table, const std::string& key) {
    if (!table.is_table()) return nullptr;
    auto& t = table.as_table();
    const auto it = t.find(key);
    return it == t.end() ? nullptr : &it->second;
}

const Doc* entry(const Doc& table, const std::string& key) {
    if (!table.is_table()) return nullptr;
    const auto& t = table.as_table();
    const auto it = t.find(key);
    return it == t.end() ? nullptr : &it->second;
}

std::vector<Doc>* array_entry(Doc& table, const std::string& key) {
    Doc* v = entry(table, key);
    return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

const std::vector<Doc>* array_entry(const Doc& table, const std::string& key) {
    const Doc* v = entry(table, key);
    return v != nullptr && v->is_array() ? &v->as_array() : nullptr;
}

Doc& table_entry(Doc& root, const std::string& table, const std::string& key) {
    auto& top = root.as_table();
    auto it = top.find(table);
    if (it == top.end() || !it->second.is_table()) it = top.insert_or_assign(table, Doc(Doc::table_type{})).first;
    return it->second.as_table()[key];
}

bool set_dotted(Doc& root, const std::string& key, const std::string& value_text, std::string& error) {
    Doc value;
    std::string ignored;
    if (auto parsed = read_doc_text("value = " + value_text, "--set", ignored)) value = parsed->as_table().at("value");
    else value = Doc(value_text);
    Doc* at = &root;
    std::size_t i = 0;
    while (true) {
        std::string name;
        while (i < key.size() && (std::isalnum(static_cast<unsigned char>(key[i])) || key[i] == '_' || key[i] == '-')) name += key[i++];
        if (name.empty() || !at->is_table()) {
            error = "expected a dotted key such as explore.rate_scale or faults[0].at_s";
            return false;
        }
        std::optional<std::size_t> index;
        if (i < key.size() && key[i] == '[') {
            const auto close = key.find(']', i);
            const std::string digits = close == std::string::npos ? "" : key.substr(i + 1, close - i - 1);
            if (digits.empty() || digits.size() > 6 || digits.find_first_not_of("0123456789") != std::string::npos) {
                error = "expected an index such as [0] after '" + name + "'";
                return false;
            }
            index = std::stoul(digits);
            i = close + 1;
        }
        const bool last = i == key.size();
        auto& table = at->as_table();
        if (last && !index) {
            table[name] = value;
            return true;
        }
        auto found = table.find(name);
        if (found == table.end()) {
            if (index) {
                error = "the scenario has no '" + name + "' to index";
                return false;
            }
            found = table.emplace(name, Doc(Doc::table_type{})).first;
        }
        at = &found->second;
        if (index) {
            if (!at->is_array() || *index >= at->as_array().size()) {
                error = "'" + name + "' has no entry [" + std::to_string(*index) + "]";
                return false;
            }
            if (last) {
                at->as_array()[*index] = value;
                return true;
            }
            at = &at->as_array()[*index];
        }
        if (key[i] != '.') {
            error = std::string("unexpected '") + key[i] + "' in the key";
            return false;
        }
        ++i;
    }
}

double rounded(double value, double per_unit) { return std::round(value * per_unit) / per_unit; }

}  // namespace routelab::explore
