#include "sim/results/sqlite_db.hpp"

#include <limits>

#include <sqlite3.h>

namespace routelab::results::detail {

Db::Db(const std::string& path, Mode mode) : path_(path) {
    const int flags = mode == Mode::read_only ? SQLITE_OPEN_READONLY
                                              : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
    const int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string message = path + ": cannot open the results database: ";
        message += db_ != nullptr ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        sqlite3_close(db_);
        db_ = nullptr;
        throw ResultsError(message);
    }
    sqlite3_extended_result_codes(db_, 1);
    if (const int busy = sqlite3_busy_timeout(db_, 5000); busy != SQLITE_OK) {
        const std::string message = path + ": setting the busy timeout: " + sqlite3_errstr(busy);
        sqlite3_close(db_);
        db_ = nullptr;
        throw ResultsError(message);
    }
    // Write-ahead logging: a reader (a report, sqlite3) never blocks the writer and never
    // sees half a transaction. The mode is stored in the file, so readers need not set it.
    if (mode == Mode::read_write_create) {
        try {
            exec("PRAGMA journal_mode=WAL", "switching to write-ahead logging");
        } catch (...) {
            sqlite3_close(db_);   // the destructor does not run for a throwing constructor
            db_ = nullptr;
            throw;
        }
    }
}

Db::~Db() { sqlite3_close(db_); }

void Db::fail(std::string_view what, int rc) const {
    std::string message = path_ + ": " + std::string(what) + ": ";
    message += sqlite3_errstr(rc);
    if (db_ != nullptr && sqlite3_errcode(db_) == rc) {
        message += " (";
        message += sqlite3_errmsg(db_);
        message += ")";
    }
    throw ResultsError(message);
}

void Db::exec(const char* sql, std::string_view what) {
    char* error = nullptr;
    const int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    if (rc != SQLITE_OK) {
        std::string message = path_ + ": " + std::string(what) + ": " +
                              (error != nullptr ? error : sqlite3_errstr(rc));
        sqlite3_free(error);
        throw ResultsError(message);
    }
}

std::int64_t Db::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

Statement::Statement(Db& db, const char* sql) : db_(db), sql_(sql) {
    const int rc = sqlite3_prepare_v2(db.handle(), sql, -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) db_.fail("preparing \"" + sql_ + "\"", rc);
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

void Statement::bind(int index, std::int64_t v) {
    const int rc = sqlite3_bind_int64(stmt_, index, static_cast<sqlite3_int64>(v));
    if (rc != SQLITE_OK) db_.fail("binding parameter " + std::to_string(index) + " of \"" + sql_ + "\"", rc);
}

void Statement::bind(int index, double v) {
    const int rc = sqlite3_bind_double(stmt_, index, v);
    if (rc != SQLITE_OK) db_.fail("binding parameter " + std::to_string(index) + " of \"" + sql_ + "\"", rc);
}

void Statement::bind(int index, std::string_view v) {
    const int rc = sqlite3_bind_text64(stmt_, index, v.data(), static_cast<sqlite3_uint64>(v.size()),
                                       SQLITE_TRANSIENT, SQLITE_UTF8);
    if (rc != SQLITE_OK) db_.fail("binding parameter " + std::to_string(index) + " of \"" + sql_ + "\"", rc);
}

void Statement::bind_null(int index) {
    const int rc = sqlite3_bind_null(stmt_, index);
    if (rc != SQLITE_OK) db_.fail("binding parameter " + std::to_string(index) + " of \"" + sql_ + "\"", rc);
}

void Statement::run() {
    const int rc = sqlite3_step(stmt_);
    if (rc != SQLITE_DONE) {
        sqlite3_reset(stmt_);
        db_.fail("executing \"" + sql_ + "\"", rc);
    }
    const int reset = sqlite3_reset(stmt_);
    if (reset != SQLITE_OK) db_.fail("resetting \"" + sql_ + "\"", reset);
    const int clear = sqlite3_clear_bindings(stmt_);
    if (clear != SQLITE_OK) db_.fail("clearing \"" + sql_ + "\"", clear);
}

bool Statement::next_row() {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_.fail("querying \"" + sql_ + "\"", rc);
}

std::int64_t Statement::column_int(int index) const { return sqlite3_column_int64(stmt_, index); }

double Statement::column_double(int index) const { return sqlite3_column_double(stmt_, index); }

bool Statement::column_is_null(int index) const { return sqlite3_column_type(stmt_, index) == SQLITE_NULL; }

std::string Statement::column_text(int index) const {
    const unsigned char* text = sqlite3_column_text(stmt_, index);
    const int bytes = sqlite3_column_bytes(stmt_, index);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(bytes));
}

Transaction::Transaction(Db& db) : db_(db) { db_.exec("BEGIN IMMEDIATE", "starting a transaction"); }

Transaction::~Transaction() {
    if (!done_) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);  // best effort
}

void Transaction::commit() {
    db_.exec("COMMIT", "committing the transaction");
    done_ = true;
}

std::int64_t to_db(std::uint64_t v, const Db& db, std::string_view what) {
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
        throw ResultsError(db.path() + ": " + std::string(what) + " = " + std::to_string(v) +
                           " does not fit a SQLite integer");
    }
    return static_cast<std::int64_t>(v);
}

}  // namespace routelab::results::detail
