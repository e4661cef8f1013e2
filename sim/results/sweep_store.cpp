#include "sim/results/sweep_store.hpp"

#include <algorithm>
#include <filesystem>

#include <sqlite3.h>

#include "sim/results/schema_sql.hpp"
#include "sim/results/sqlite_db.hpp"

namespace routelab::results {
namespace {

using detail::Db;
using detail::Statement;
using detail::to_db;

constexpr const char* sweep_schema = R"sql(
CREATE TABLE IF NOT EXISTS sweep_meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sweep_jobs (
  job_index INTEGER PRIMARY KEY,
  run_id    INTEGER NOT NULL UNIQUE REFERENCES runs(run_id),
  seed      INTEGER NOT NULL,
  knobs     TEXT    NOT NULL
);
)sql";

std::vector<std::pair<std::string, std::string>> meta_pairs(const SweepMeta& m) {
    return {{"scenario_path", m.scenario_path}, {"scenario_hash", m.scenario_hash}, {"build", m.build},
            {"grid", m.grid},                   {"seeds", std::to_string(m.seeds)},  {"first_seed", std::to_string(m.first_seed)},
            {"jobs", std::to_string(m.jobs)}};
}

std::uint64_t to_u64(const std::string& text, const std::string& path, const std::string& key) {
    try {
        std::size_t used = 0;
        const unsigned long long v = std::stoull(text, &used);
        if (used == text.size()) return v;
    } catch (const std::exception&) {
    }
    throw ResultsError(path + ": sweep_meta." + key + " is not a count: '" + text + "'");
}

SweepMeta read_meta(Db& db) {
    SweepMeta m;
    bool any = false;
    Statement st(db, "SELECT key, value FROM sweep_meta ORDER BY key");
    while (st.next_row()) {
        any = true;
        const std::string key = st.column_text(0);
        const std::string value = st.column_text(1);
        if (key == "scenario_path") m.scenario_path = value;
        else if (key == "scenario_hash") m.scenario_hash = value;
        else if (key == "build") m.build = value;
        else if (key == "grid") m.grid = value;
        else if (key == "seeds") m.seeds = to_u64(value, db.path(), key);
        else if (key == "first_seed") m.first_seed = to_u64(value, db.path(), key);
        else if (key == "jobs") m.jobs = to_u64(value, db.path(), key);
    }
    if (!any) throw ResultsError(db.path() + ": not a sweep database (sweep_meta is empty)");
    return m;
}

bool has_table(Db& db, const std::string& schema, const std::string& table) {
    Statement st(db, ("SELECT 1 FROM " + schema + ".sqlite_master WHERE type = 'table' AND name = ?").c_str());
    st.bind(1, table);
    return st.next_row();
}

// What differs between two sweeps' metas, in words; empty if nothing.
std::string differences(const SweepMeta& a, const SweepMeta& b) {
    std::string out;
    const auto pa = meta_pairs(a);
    const auto pb = meta_pairs(b);
    for (std::size_t i = 0; i < pa.size(); ++i) {
        // The path may differ between machines; the hash says whether the file is the same.
        if (pa[i].first == "scenario_path") continue;
        if (pa[i].second != pb[i].second) {
            if (!out.empty()) out += "; ";
            out += pa[i].first + " '" + pa[i].second + "' vs '" + pb[i].second + "'";
        }
    }
    return out;
}

void create_schema(Db& db) {
    db.exec("PRAGMA journal_mode = WAL", "switching to WAL");
    db.exec(detail::schema_sql, "creating the schema");
    db.exec(sweep_schema, "creating the sweep tables");
}

void write_meta(Db& db, const SweepMeta& meta) {
    Statement st(db, "INSERT INTO sweep_meta (key, value) VALUES (?, ?)");
    for (const auto& [k, v] : meta_pairs(meta)) {
        st.bind(1, k);
        st.bind(2, v);
        st.run();
    }
}

std::string quoted(const std::string& name) {
    std::string out = "\"";
    for (char c : name) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

// Every table of `schema` (an attached database) that hangs off runs by run_id, runs first.
std::vector<std::string> run_tables(Db& db, const std::string& schema) {
    std::vector<std::string> tables;
    Statement st(db, ("SELECT name FROM " + schema + ".sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
                      "AND name NOT LIKE 'sweep_%' ORDER BY name").c_str());
    while (st.next_row()) tables.push_back(st.column_text(0));
    std::stable_partition(tables.begin(), tables.end(), [](const std::string& t) { return t == "runs"; });
    return tables;
}

std::vector<std::string> columns(Db& db, const std::string& schema, const std::string& table) {
    std::vector<std::string> cols;
    Statement st(db, ("PRAGMA " + schema + ".table_info(" + quoted(table) + ")").c_str());
    while (st.next_row()) cols.push_back(st.column_text(1));
    return cols;
}

// Copies run `from_id` of `schema` into main as run `to_id`, table by table.
void copy_run(Db& db, const std::string& schema, std::int64_t from_id, std::int64_t to_id) {
    for (const auto& table : run_tables(db, schema)) {
        const auto cols = columns(db, schema, table);
        if (std::find(cols.begin(), cols.end(), "run_id") == cols.end()) continue;
        if (!has_table(db, "main", table))
            throw ResultsError(db.path() + ": table '" + table + "' of the run database is unknown to this build");
        std::string names;
        std::string values;
        for (const auto& c : cols) {
            if (!names.empty()) {
                names += ", ";
                values += ", ";
            }
            names += quoted(c);
            values += c == "run_id" ? "?1" : quoted(c);
        }
        Statement st(db, ("INSERT INTO main." + quoted(table) + " (" + names + ") SELECT " + values + " FROM " + schema +
                          "." + quoted(table) + " WHERE run_id = ?2")
                             .c_str());
        st.bind(1, to_id);
        st.bind(2, from_id);
        st.run();
        if (table == "runs" && sqlite3_changes(db.handle()) != 1)
            throw ResultsError(db.path() + ": the run database has no run " + std::to_string(from_id));
    }
}

class Attached {
public:
    Attached(Db& db, const std::string& path, const char* as) : db_(db), as_(as) {
        if (!std::filesystem::exists(path)) throw ResultsError(path + ": no such results database");
        Statement st(db, ("ATTACH DATABASE ? AS " + as_).c_str());
        st.bind(1, path);
        st.run();
    }
    ~Attached() {
        try {
            db_.exec(("DETACH DATABASE " + as_).c_str(), "detaching");
        } catch (...) {
        }
    }
    Attached(const Attached&) = delete;
    Attached& operator=(const Attached&) = delete;

private:
    Db& db_;
    std::string as_;
};

bool job_stored(Db& db, std::uint64_t job_index) {
    Statement st(db, "SELECT 1 FROM sweep_jobs WHERE job_index = ?");
    st.bind(1, to_db(job_index, db, "job index"));
    return st.next_row();
}

void insert_job(Db& db, const SweepJobRow& job) {
    Statement st(db, "INSERT INTO sweep_jobs (job_index, run_id, seed, knobs) VALUES (?, ?, ?, ?)");
    st.bind(1, to_db(job.job_index, db, "job index"));
    st.bind(2, to_db(job.job_index + 1, db, "run id"));
    st.bind(3, static_cast<std::int64_t>(job.seed));  // same bits, as runs.seed
    st.bind(4, job.knobs);
    st.run();
}

}  // namespace

void open_sweep(const std::string& path, const SweepMeta& meta) {
    // A new sweep database is built beside its final name and renamed into place once its
    // schema and meta are written, so a sweep killed at any moment leaves either no
    // database or one with every table (never an empty file a reader or --resume trips on).
    if (!std::filesystem::exists(path)) {
        const std::string building = path + ".creating";
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(building + suffix);
        {
            Db fresh(building, Db::Mode::read_write_create);
            create_schema(fresh);
            detail::Transaction tx(fresh);
            write_meta(fresh, meta);
            tx.commit();
        }
        std::filesystem::rename(building, path);
        return;
    }
    Db db(path, Db::Mode::read_write_create);
    create_schema(db);
    detail::Transaction tx(db);
    {
        Statement count(db, "SELECT COUNT(*) FROM sweep_meta");
        count.next_row();
        if (count.column_int(0) == 0) {
            write_meta(db, meta);
        } else {
            const SweepMeta stored = read_meta(db);
            if (const std::string diff = differences(stored, meta); !diff.empty())
                throw ResultsError(path + ": this database holds another sweep (" + diff + ")");
        }
    }
    tx.commit();
}

SweepMeta read_sweep_meta(const std::string& path) {
    Db db(path, Db::Mode::read_only);
    if (!has_table(db, "main", "sweep_meta")) throw ResultsError(path + ": not a sweep database (no sweep_meta table)");
    return read_meta(db);
}

std::set<std::uint64_t> completed_jobs(const std::string& path) {
    Db db(path, Db::Mode::read_only);
    std::set<std::uint64_t> done;
    Statement st(db, "SELECT job_index FROM sweep_jobs ORDER BY job_index");
    while (st.next_row()) done.insert(static_cast<std::uint64_t>(st.column_int(0)));
    return done;
}

std::vector<SweepRunRow> read_sweep_runs(const std::string& path) {
    Db db(path, Db::Mode::read_only);
    std::vector<SweepRunRow> rows;
    Statement st(db, "SELECT j.job_index, j.seed, j.knobs, r.verdict, r.trace_hash, r.requests, r.errors, r.p50_ns, "
                     "r.p99_ns, r.p999_ns FROM sweep_jobs j JOIN runs r ON r.run_id = j.run_id ORDER BY j.job_index");
    while (st.next_row()) {
        SweepRunRow r;
        r.job_index = static_cast<std::uint64_t>(st.column_int(0));
        r.seed = static_cast<std::uint64_t>(st.column_int(1));
        r.knobs = st.column_text(2);
        r.verdict = st.column_text(3);
        r.trace_hash = st.column_text(4);
        r.requests = static_cast<std::uint64_t>(st.column_int(5));
        r.errors = static_cast<std::uint64_t>(st.column_int(6));
        r.p50_ns = st.column_int(7);
        r.p99_ns = st.column_int(8);
        r.p999_ns = st.column_int(9);
        rows.push_back(std::move(r));
    }
    return rows;
}

void import_job_run(const std::string& sweep_db, const std::string& run_db, std::int64_t run_id, const SweepJobRow& job) {
    Db db(sweep_db, Db::Mode::read_write_create);
    Attached src(db, run_db, "src");
    detail::Transaction tx(db);
    if (job_stored(db, job.job_index))
        throw ResultsError(sweep_db + ": job " + std::to_string(job.job_index) + " is stored already");
    copy_run(db, "src", run_id, to_db(job.job_index + 1, db, "run id"));
    insert_job(db, job);
    tx.commit();
}

void close_sweep(const std::string& path) {
    Db db(path, Db::Mode::read_write_create);
    db.exec("PRAGMA journal_mode = DELETE", "leaving WAL");
}

std::uint64_t merge_sweep(const std::string& out, const std::string& slice) {
    const SweepMeta meta = read_sweep_meta(slice);
    open_sweep(out, meta);
    Db db(out, Db::Mode::read_write_create);
    Attached src(db, slice, "slice");
    detail::Transaction tx(db);
    std::vector<SweepJobRow> jobs;
    {
        Statement st(db, "SELECT job_index, seed, knobs FROM slice.sweep_jobs ORDER BY job_index");
        while (st.next_row())
            jobs.push_back(SweepJobRow{static_cast<std::uint64_t>(st.column_int(0)),
                                       static_cast<std::uint64_t>(st.column_int(1)), st.column_text(2)});
    }
    for (const auto& job : jobs) {
        if (job_stored(db, job.job_index))
            throw ResultsError(out + ": job " + std::to_string(job.job_index) + " of " + slice + " is stored already");
        const auto id = to_db(job.job_index + 1, db, "run id");
        copy_run(db, "slice", id, id);
        insert_job(db, job);
    }
    tx.commit();
    db.exec("PRAGMA journal_mode = DELETE", "leaving WAL");
    return jobs.size();
}

}  // namespace routelab::results
