#pragma once
#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// A SQL value. Timestamps are stored as UTC epoch milliseconds (int64) on both backends.
using SqlValue = std::variant<std::monostate, bool, std::int64_t, double, std::string>;
using SqlParams = std::vector<SqlValue>;

class TESSIE_SDK_API StorageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct TESSIE_SDK_API SqlRow {
  std::vector<SqlValue> values;

  bool IsNull(std::size_t i) const { return std::holds_alternative<std::monostate>(values.at(i)); }
  std::int64_t Int(std::size_t i) const;
  double Double(std::size_t i) const;
  std::string String(std::size_t i) const;
  bool Bool(std::size_t i) const { return Int(i) != 0; }
};

struct TESSIE_SDK_API SqlResult {
  std::vector<std::string> columns;
  std::vector<SqlRow> rows;
  // Position of `column` in each row; throws StorageError when the result has no such column.
  std::size_t Index(std::string_view column) const;
};

// Used only inside Database::Transaction's callback, on that thread.
// SQL uses '?' placeholders on both backends; the host rewrites them for PostgreSQL.
class TESSIE_SDK_API Transaction {
 public:
  virtual ~Transaction() = default;
  // Returns the number of affected rows.
  virtual std::size_t Execute(std::string_view sql, const SqlParams& params = {}) = 0;
  virtual SqlResult Query(std::string_view sql, const SqlParams& params = {}) = 0;
  // Calls `row` for each result row, in order, without first copying the whole result: for large results
  // (a year of packed hours). The row is reused; copy what must outlive the call. Values: on SQLite as stored
  // (INTEGER int64, REAL double, TEXT and BLOB string); on PostgreSQL by column type (integers int64, float and
  // numeric double, boolean bool, bytea bytes, anything else its text); NULL as none on both. `row` may query
  // this transaction again, never the Database (on SQLite the transaction holds the connection).
  virtual void QueryEach(std::string_view sql, const SqlParams& params,
                         const std::function<void(const SqlRow&)>& row) = 0;
};

// A schema change of one plugin. `sql` may hold several statements separated by ';' and these tokens,
// expanded per backend: {{pk}} auto-increment 64-bit primary key, {{json}} JSON text (JSONB on
// PostgreSQL), {{real}} double, {{blob}} bytes.
struct Migration {
  int version = 0;  // 1, 2, 3... applied in order, each once, in its own transaction
  std::string name;
  std::string sql;
};

enum class Backend { kSqlite, kPostgres };

// A plugin's view of storage. Thread-safe; each call takes a connection from the host's pool.
class TESSIE_SDK_API Database {
 public:
  virtual ~Database() = default;
  virtual Backend Kind() const = 0;
  // Applies the migrations this plugin has not applied yet (recorded per plugin in schema_migrations).
  // Throws StorageError naming the migration that failed; nothing of that migration remains.
  virtual void Migrate(const std::vector<Migration>& migrations) = 0;
  // Runs `work` in one transaction: commit when it returns, rollback when it throws (and rethrow).
  virtual void InTransaction(const std::function<void(Transaction&)>& work) = 0;
  // Runs `work` in a read-only transaction (one consistent snapshot). Reads run concurrently with each other
  // and with the writer (SQLite: a pool of read connections beside the one writer, in WAL mode); Execute in
  // it throws StorageError. REST handlers that only read use this (Query and QueryEach below do it for a
  // single SELECT). The default runs an ordinary transaction.
  virtual void InReadTransaction(const std::function<void(Transaction&)>& work) { InTransaction(work); }

  // One statement in its own transaction.
  std::size_t Execute(std::string_view sql, const SqlParams& params = {}) {
    std::size_t n = 0;
    InTransaction([&](Transaction& tx) { n = tx.Execute(sql, params); });
    return n;
  }
  // One statement in its own transaction: a read-only one when the statement is a SELECT.
  SqlResult Query(std::string_view sql, const SqlParams& params = {}) {
    SqlResult r;
    auto work = [&](Transaction& tx) { r = tx.Query(sql, params); };
    IsSelect(sql) ? InReadTransaction(work) : InTransaction(work);
    return r;
  }
  void QueryEach(std::string_view sql, const SqlParams& params, const std::function<void(const SqlRow&)>& row) {
    auto work = [&](Transaction& tx) { tx.QueryEach(sql, params, row); };
    IsSelect(sql) ? InReadTransaction(work) : InTransaction(work);
  }

  // Whether `sql` starts with the keyword SELECT (after blanks and opening parentheses).
  static bool IsSelect(std::string_view sql) {
    std::size_t i = 0;
    while (i < sql.size() && (sql[i] == ' ' || sql[i] == '\n' || sql[i] == '\t' || sql[i] == '\r' || sql[i] == '(')) ++i;
    static constexpr std::string_view kSelect = "select";
    if (sql.size() - i < kSelect.size() + 1) return false;
    for (std::size_t k = 0; k < kSelect.size(); ++k) {
      if ((sql[i + k] | 0x20) != kSelect[k]) return false;
    }
    const char next = sql[i + kSelect.size()];
    return next == ' ' || next == '\n' || next == '\t' || next == '\r' || next == '(' || next == '*';
  }
};

inline std::int64_t SqlRow::Int(std::size_t i) const {
  const auto& v = values.at(i);
  if (auto p = std::get_if<std::int64_t>(&v)) return *p;
  if (auto p = std::get_if<bool>(&v)) return *p ? 1 : 0;
  if (auto p = std::get_if<double>(&v)) return static_cast<std::int64_t>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stoll(*p);
  throw StorageError("column " + std::to_string(i) + " is NULL");
}
inline double SqlRow::Double(std::size_t i) const {
  const auto& v = values.at(i);
  if (auto p = std::get_if<double>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return static_cast<double>(*p);
  if (auto p = std::get_if<std::string>(&v)) return std::stod(*p);
  if (auto p = std::get_if<bool>(&v)) return *p ? 1.0 : 0.0;
  throw StorageError("column " + std::to_string(i) + " is NULL");
}
inline std::string SqlRow::String(std::size_t i) const {
  const auto& v = values.at(i);
  if (auto p = std::get_if<std::string>(&v)) return *p;
  if (auto p = std::get_if<std::int64_t>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<double>(&v)) return std::to_string(*p);
  if (auto p = std::get_if<bool>(&v)) return *p ? "true" : "false";
  return {};
}
inline std::size_t SqlResult::Index(std::string_view column) const {
  for (std::size_t i = 0; i < columns.size(); ++i)
    if (columns[i] == column) return i;
  throw StorageError("no column '" + std::string(column) + "' in result");
}

}  // namespace v1
}  // namespace tessie::sdk
