#include "sim/compare/junit.hpp"

#include <fstream>
#include <map>

#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>

namespace routelab::compare {

bool write_junit(const std::string& path, const std::vector<Row>& rows, std::string& error) {
    namespace pt = boost::property_tree;
    std::vector<std::string> order;
    std::map<std::string, std::vector<const Row*>> by_scenario;
    for (const auto& r : rows) {
        if (!by_scenario.count(r.scenario)) order.push_back(r.scenario);
        by_scenario[r.scenario].push_back(&r);
    }
    pt::ptree doc;
    pt::ptree& suites = doc.add_child("testsuites", pt::ptree{});
    std::size_t total = 0;
    std::size_t failed = 0;
    int id = 0;
    for (const auto& scenario : order) {
        const auto& list = by_scenario[scenario];
        pt::ptree suite;
        std::size_t suite_failed = 0;
        for (const auto* r : list) suite_failed += r->passed ? 0 : 1;
        // Attribute order follows the schema's.
        suite.put("<xmlattr>.name", scenario);
        suite.put("<xmlattr>.timestamp", "1970-01-01T00:00:00");  // reproducible output
        suite.put("<xmlattr>.hostname", "routelab");
        suite.put("<xmlattr>.tests", list.size());
        suite.put("<xmlattr>.failures", suite_failed);
        suite.put("<xmlattr>.errors", 0);
        suite.put("<xmlattr>.time", 0);
        suite.put("<xmlattr>.package", "routelab");
        suite.put("<xmlattr>.id", id++);
        suite.add_child("properties", pt::ptree{});
        for (const auto* r : list) {
            pt::ptree tc;
            tc.put("<xmlattr>.name", r->knobs.empty() ? r->name : r->knobs + " " + r->name);
            tc.put("<xmlattr>.classname", scenario);
            tc.put("<xmlattr>.time", 0);
            if (!r->passed) {
                pt::ptree& f = tc.add_child("failure", pt::ptree{});
                f.put_value(r->message);
                f.put("<xmlattr>.message", r->message);
                f.put("<xmlattr>.type", r->name.rfind("check: ", 0) == 0 ? "check" : "regression");
            }
            suite.add_child("testcase", tc);
        }
        suite.add_child("system-out", pt::ptree{});
        suite.add_child("system-err", pt::ptree{});
        suites.add_child("testsuite", suite);
        total += list.size();
        failed += suite_failed;
    }
    (void)total;
    (void)failed;
    std::ofstream out(path);
    if (!out) {
        error = path + ": cannot write the JUnit file";
        return false;
    }
    pt::write_xml(out, doc, pt::xml_writer_make_settings<std::string>(' ', 2));
    if (!out) {
        error = path + ": cannot write the JUnit file";
        return false;
    }
    return true;
}

}  // namespace routelab::compare
