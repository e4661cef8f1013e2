#pragma once
// Internal to routelab_results: a thin RAII layer over the SQLite C API in which every
// return code is checked and every failure becomes a ResultsError naming the database.
#include <cstdint>
#include <string>
#include <string_view>

#include "sim/results/results_error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace routelab::results::detail {

class Db {
public:
    enum class Mode { read_only, read_write_create };
    Db(const std::string& path, Mode mode);
    ~Db();
    Db(const Db&) = delete;
    Db& operator=(const Db&) = delete;

    void exec(const char* sql, std::string_view what);
    [[noreturn]] void fail(std::string_view what, int rc) const;
    sqlite3* handle() const { return db_; }
    const std::string& path() const { return path_; }
    std::int64_t last_insert_rowid() const;

private:
    std::string path_;
    sqlite3* db_ = nullptr;
};

class Statement {
public:
    Statement(Db& db, const char* sql);
    ~Statement();
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQLite.
    void bind(int index, std::int64_t v);
    void bind(int index, double v);
    void bind(int index, std::string_view v);
    void bind_null(int index);
    // Executes a statement that returns no rows, then resets it for reuse.
    void run();
    // Steps once: true if a row is available.
    bool next_row();
    std::int64_t column_int(int index) const;
    double column_double(int index) const;
    std::string column_text(int index) const;
    bool column_is_null(int index) const;

private:
    Db& db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
};

// Rolls back unless commit() was called.
class Transaction {
public:
    explicit Transaction(Db& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Db& db_;
    bool done_ = false;
};

// Counts are unsigned in the model, signed in SQLite; values above INT64_MAX are refused.
std::int64_t to_db(std::uint64_t v, const Db& db, std::string_view what);

}  // namespace routelab::results::detail
