#include "storage.hpp"

#include <Poco/Data/RecordSet.h>
#include <Poco/Data/SQLite/Connector.h>
#include <Poco/Data/SQLite/Utility.h>
#include <Poco/Data/Statement.h>
#include <Poco/URI.h>
#include <boost/dll/shared_library.hpp>

#include <chrono>
#include <mutex>
#include <unordered_map>
#include <optional>
#include <stdexcept>

#include <sqlite3.h>
#include <sys/stat.h>

namespace tessie::core {

using namespace Poco::Data::Keywords;
using sdk::Backend;
using sdk::StorageError;

std::string ToPostgresPlaceholders(std::string_view sql) {
  std::string out;
  out.reserve(sql.size() + 8);
  int n = 0;
  char quote = 0;
  for (char c : sql) {
    if (quote) {
      if (c == quote) quote = 0;
      out += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      out += c;
    } else if (c == '?') {
      out += '$' + std::to_string(++n);
    } else {
      out += c;
    }
  }
  return out;
}

std::string ExpandDialect(std::string_view sql, Backend backend) {
  const bool pg = backend == Backend::kPostgres;
  const std::pair<const char*, const char*> tokens[] = {
      {"{{pk}}", pg ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"},
      {"{{json}}", pg ? "JSONB" : "TEXT"},
      {"{{real}}", pg ? "DOUBLE PRECISION" : "REAL"},
      {"{{blob}}", pg ? "BYTEA" : "BLOB"},
  };
  std::string out(sql);
  for (const auto& [token, type] : tokens) {
    for (auto pos = out.find(token); pos != std::string::npos; pos = out.find(token, pos)) {
      out.replace(pos, std::string_view(token).size(), type);
    }
  }
  return out;
}

std::vector<std::string> SplitStatements(std::string_view script) {
  std::vector<std::string> out;
  std::string current;
  char quote = 0;
  auto flush = [&] {
    const auto first = current.find_first_not_of(" \t\r\n");
    if (first != std::string::npos) out.push_back(current.substr(first));
    current.clear();
  };
  for (char c : script) {
    if (quote) {
      if (c == quote) quote = 0;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ';') {
      flush();
      continue;
    }
    current += c;
  }
  flush();
  return out;
}

std::string PostgresConnectionString(const std::string& url) {
  Poco::URI uri;
  try {
    uri = Poco::URI(url);
  } catch (const Poco::Exception&) {
    throw std::invalid_argument(
        "storage.url is not a valid URL (expected postgresql://user:password@host:port/database)");
  }
  if (uri.getScheme() != "postgresql" && uri.getScheme() != "postgres")
    throw std::invalid_argument("storage.url must start with postgresql://");
  auto quote = [](const std::string& v) {
    std::string q = "'";
    for (char c : v) {
      if (c == '\'' || c == '\\') q += '\\';
      q += c;
    }
    return q + "'";
  };
  std::string conn;
  auto add = [&](const std::string& key, const std::string& value) {
    if (!value.empty()) conn += (conn.empty() ? "" : " ") + key + "=" + quote(value);
  };
  add("host", uri.getHost().empty() ? "localhost" : uri.getHost());
  add("port", std::to_string(uri.getPort() ? uri.getPort() : 5432));
  std::string db = uri.getPath();
  if (!db.empty() && db[0] == '/') db.erase(0, 1);
  if (db.empty())
    throw std::invalid_argument("storage.url names no database (postgresql://user:password@host:port/DATABASE)");
  add("dbname", db);
  const std::string info = uri.getUserInfo();
  const auto colon = info.find(':');
  std::string user, password;
  Poco::URI::decode(info.substr(0, colon), user);
  if (colon != std::string::npos) Poco::URI::decode(info.substr(colon + 1), password);
  add("user", user);
  add("password", password);
  for (const auto& [key, value] : uri.getQueryParameters()) {
    if (key == "sslmode" || key == "connect_timeout" || key == "application_name")
      add(key, value);
    else
      throw std::invalid_argument("storage.url: unsupported parameter '" + key + "'");
  }
  if (conn.find("connect_timeout") == std::string::npos) add("connect_timeout", "5");
  return conn;
}

namespace {

// PostgreSQL: one migrator at a time on a database, across hosts and processes; held until the transaction ends.
// Two hosts starting at once on a fresh database otherwise both run CREATE TABLE IF NOT EXISTS (one fails on
// pg_type's unique index: "type ... already exists") or both apply the same migration. SQLite has one writer.
void LockMigrations(sdk::Transaction& tx, Backend backend) {
  constexpr std::int64_t kMigrationLockKey = 0x7465737369650001;  // "tessie" + 1
  if (backend == Backend::kPostgres)
    tx.Query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(?)) AS migration_lock", {kMigrationLockKey});
}

// Loads lib/tessie-stats/libtessie_storage_postgresql.so next to the executable once and registers
// Poco's PostgreSQL connector. Kept loaded until exit. Returns the module's streaming query.
PostgresQueryEachFn* LoadPostgresModule() {
  static std::once_flag once;
  static std::string error;
  static PostgresQueryEachFn* query_each = nullptr;
  // Never unloaded: Poco's connector registry still refers to its code at exit. Held here, not dropped, so the
  // library stays reachable for the whole run (LeakSanitizer reported the dropped pointer as a leak).
  static boost::dll::shared_library* library = nullptr;
  std::call_once(once, [] {
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    const auto module =
        (exe.parent_path() / ".." / "lib" / "tessie-stats" / "libtessie_storage_postgresql.so").lexically_normal();
    try {
      library = new boost::dll::shared_library(module.string(),
                                               boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_global);
      library->get<RegisterPostgresFn>(kRegisterPostgres)();
      query_each = &library->get<PostgresQueryEachFn>(kPostgresQueryEach);
    } catch (const std::exception& e) {
      error = "PostgreSQL support is not installed (" + module.string() + "): " + e.what();
    }
  });
  if (!error.empty()) throw std::invalid_argument(error);
  return query_each;
}

sdk::SqlValue FromVar(const Poco::Dynamic::Var& v) {
  if (v.isEmpty()) return std::monostate{};
  const auto& t = v.type();
  if (t == typeid(bool)) return v.extract<bool>();
  if (v.isInteger()) return v.convert<Poco::Int64>();
  if (v.isNumeric()) return v.convert<double>();
  if (t == typeid(Poco::Data::BLOB)) {
    const auto& blob = v.extract<Poco::Data::BLOB>();
    return std::string(blob.rawContent() ? reinterpret_cast<const char*>(blob.rawContent()) : "", blob.size());
  }
  return v.convert<std::string>();
}

}  // namespace

// Prepared statements of one SQLite read connection, by SQL text, kept for reuse (a REST read then costs no
// parse). Bounded: past kMax distinct statements the cache is emptied. Used by one transaction at a time.
class StatementCache {
 public:
  static constexpr std::size_t kMax = 128;
  ~StatementCache() { Clear(); }
  // The statement for `sql`, reset and without bindings; nullptr with the error in sqlite3_errmsg(db).
  sqlite3_stmt* Get(sqlite3* db, std::string_view sql) {
    if (auto it = statements_.find(std::string(sql)); it != statements_.end()) return it->second;
    if (statements_.size() >= kMax) Clear();
    sqlite3_stmt* raw = nullptr;
    if (sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &raw, nullptr) !=
        SQLITE_OK) {
      return nullptr;
    }
    statements_.emplace(std::string(sql), raw);
    return raw;
  }
  void Clear() {
    for (auto& [sql, stmt] : statements_) sqlite3_finalize(stmt);
    statements_.clear();
  }

 private:
  std::unordered_map<std::string, sqlite3_stmt*> statements_;
};

struct Storage::Reader {
  std::unique_ptr<Poco::Data::Session> session;
  StatementCache statements;  // declared after the session: finalized before the connection closes
  ~Reader() { statements.Clear(); }
};

class Storage::Tx final : public sdk::Transaction {
 public:
  Tx(Poco::Data::Session& session, Backend backend, PostgresQueryEachFn* postgres_each, bool read_only = false,
     StatementCache* cache = nullptr)
      : session_(session), backend_(backend), postgres_each_(postgres_each), read_only_(read_only), cache_(cache) {}

  std::size_t Execute(std::string_view sql, const sdk::SqlParams& params) override {
    if (read_only_) throw StorageError(Describe(sql, "a read-only transaction cannot write (use InTransaction)"));
    auto stmt = Prepare(sql, params);
    try {
      return stmt.execute();
    } catch (const Poco::Exception& e) {
      throw StorageError(Describe(sql, e));
    }
  }

  void QueryEach(std::string_view sql, const sdk::SqlParams& params,
                 const std::function<void(const sdk::SqlRow&)>& row) override {
    if (backend_ == Backend::kSqlite) {
      SqliteEach(sql, params, row);
      return;
    }
    try {
      postgres_each_(session_, ToPostgresPlaceholders(sql), params, row);
    } catch (const StorageError& e) {
      throw StorageError(Describe(sql, e.what()));
    }
  }

  sdk::SqlResult Query(std::string_view sql, const sdk::SqlParams& params) override {
    if (cache_) {  // a SQLite read connection: straight from SQLite, the statement reused
      sdk::SqlResult result;
      SqliteEach(sql, params, [&](const sdk::SqlRow& row) { result.rows.push_back(row); }, &result.columns);
      return result;
    }
    auto stmt = Prepare(sql, params);
    sdk::SqlResult result;
    try {
      stmt.execute();
      Poco::Data::RecordSet rs(stmt);
      const std::size_t cols = rs.columnCount();
      for (std::size_t c = 0; c < cols; ++c) result.columns.push_back(rs.columnName(c));
      const std::size_t rows = rs.rowCount();
      result.rows.reserve(rows);
      for (std::size_t r = 0; r < rows; ++r) {
        sdk::SqlRow row;
        row.values.reserve(cols);
        for (std::size_t c = 0; c < cols; ++c) row.values.push_back(FromVar(rs.value(c, r)));
        result.rows.push_back(std::move(row));
      }
    } catch (const Poco::Exception& e) {
      throw StorageError(Describe(sql, e));
    }
    return result;
  }

 private:
  Poco::Data::Statement Prepare(std::string_view sql, const sdk::SqlParams& params) {
    Poco::Data::Statement stmt(session_);
    stmt << (backend_ == Backend::kPostgres ? ToPostgresPlaceholders(sql) : std::string(sql));
    for (const auto& p : params) {
      std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              stmt.addBind(use(Poco::Data::Keywords::null));
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              stmt.addBind(bind(static_cast<Poco::Int64>(v)));
            } else {
              stmt.addBind(bind(v));
            }
          },
          p);
    }
    return stmt;
  }

  static std::string Describe(std::string_view sql, const std::string& error) {
    std::string s(sql.substr(0, 120));
    return "SQL failed: " + error + " [" + s + (sql.size() > 120 ? "..." : "") + "]";
  }
  static std::string Describe(std::string_view sql, const Poco::Exception& e) { return Describe(sql, e.displayText()); }

  // Steps through the rows on the session's own connection (inside its transaction), one row in memory at
  // a time, reading each value straight from SQLite.
  // `columns`, when given, receives the result's column names.
  void SqliteEach(std::string_view sql, const sdk::SqlParams& params,
                  const std::function<void(const sdk::SqlRow&)>& each, std::vector<std::string>* columns = nullptr) {
    sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(session_);
    sqlite3_stmt* raw = nullptr;
    if (cache_) {
      raw = cache_->Get(db, sql);
      if (!raw) throw StorageError(Describe(sql, sqlite3_errmsg(db)));
    } else if (sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr) != SQLITE_OK) {
      throw StorageError(Describe(sql, sqlite3_errmsg(db)));
    }
    // A cached statement is reset for its next use, any other finalized, however this call ends.
    const auto release = [cached = cache_ != nullptr](sqlite3_stmt* stmt) {
      if (!cached) return sqlite3_finalize(stmt);
      sqlite3_reset(stmt);
      return sqlite3_clear_bindings(stmt);
    };
    const std::unique_ptr<sqlite3_stmt, decltype(release)> stmt(raw, release);
    if (static_cast<std::size_t>(sqlite3_bind_parameter_count(raw)) != params.size()) {
      throw StorageError(Describe(sql, std::to_string(params.size()) + " parameter(s) for " +
                                           std::to_string(sqlite3_bind_parameter_count(raw)) + " placeholder(s)"));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int n = static_cast<int>(i) + 1;
      const int rc = std::visit(
          [&](const auto& v) {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) {
              return sqlite3_bind_null(raw, n);
            } else if constexpr (std::is_same_v<T, bool>) {
              return sqlite3_bind_int(raw, n, v ? 1 : 0);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sqlite3_bind_int64(raw, n, v);
            } else if constexpr (std::is_same_v<T, double>) {
              return sqlite3_bind_double(raw, n, v);
            } else {
              return sqlite3_bind_text(raw, n, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
            }
          },
          params[i]);
      if (rc != SQLITE_OK) throw StorageError(Describe(sql, sqlite3_errmsg(db)));
    }
    const int cols = sqlite3_column_count(raw);
    if (columns) {
      for (int c = 0; c < cols; ++c) columns->emplace_back(sqlite3_column_name(raw, c));
    }
    sdk::SqlRow row;
    row.values.resize(static_cast<std::size_t>(cols));
    for (;;) {
      const int rc = sqlite3_step(raw);
      if (rc == SQLITE_DONE) return;
      if (rc != SQLITE_ROW) throw StorageError(Describe(sql, sqlite3_errmsg(db)));
      for (int c = 0; c < cols; ++c) {
        auto& value = row.values[static_cast<std::size_t>(c)];
        switch (sqlite3_column_type(raw, c)) {
          case SQLITE_INTEGER:
            value = static_cast<std::int64_t>(sqlite3_column_int64(raw, c));
            break;
          case SQLITE_FLOAT:
            value = sqlite3_column_double(raw, c);
            break;
          case SQLITE_NULL:
            value = std::monostate{};
            break;
          default: {  // TEXT or BLOB: reuse the row's string
            const auto* data = static_cast<const char*>(sqlite3_column_blob(raw, c));
            const auto size = static_cast<std::size_t>(sqlite3_column_bytes(raw, c));
            if (auto* s = std::get_if<std::string>(&value)) {
              s->assign(data ? data : "", size);
            } else {
              value = std::string(data ? data : "", size);
            }
          }
        }
      }
      each(row);
    }
  }

  Poco::Data::Session& session_;
  Backend backend_;
  PostgresQueryEachFn* postgres_each_;
  bool read_only_;
  StatementCache* cache_;
};

void ProbePostgres(const std::string& url) {
  const Poco::URI uri(url);
  const std::string where = uri.getHost() + ":" + std::to_string(uri.getPort() ? uri.getPort() : 5432) + uri.getPath();
  try {
    const std::string conn = PostgresConnectionString(url);
    LoadPostgresModule();
    Poco::Data::Session session("PostgreSQL", conn);
    int one = 0;
    session << "SELECT 1", Poco::Data::Keywords::into(one), Poco::Data::Keywords::now;
  } catch (const std::invalid_argument& e) {
    throw StorageError(e.what());
  } catch (const Poco::Exception& e) {
    // libpq messages can echo connection parameters: the first line only, the password masked.
    std::string msg = e.displayText();
    msg = msg.substr(0, msg.find('\n'));
    const std::string info = uri.getUserInfo();
    if (const auto colon = info.find(':'); colon != std::string::npos) {
      std::string password;
      Poco::URI::decode(info.substr(colon + 1), password);
      for (const std::string& secret : {password, info.substr(colon + 1)}) {
        if (secret.empty()) continue;
        for (auto at = msg.find(secret); at != std::string::npos; at = msg.find(secret, at + 3))
          msg.replace(at, secret.size(), "***");
      }
    }
    throw StorageError("cannot connect to PostgreSQL at " + where + ": " + msg);
  }
}

Storage::Storage(const std::string& url, const std::filesystem::path& data_dir, int pool_size, LogSink& log)
    : log_(log) {
  try {
    if (url.empty() || url.rfind("sqlite://", 0) == 0) {
      backend_ = Backend::kSqlite;
      std::filesystem::path file = url.empty() ? data_dir / "tessie.db" : std::filesystem::path(url.substr(9));
      std::filesystem::create_directories(file.parent_path());
      // Owner-only, also for a database an older version created 0644. SQLite creates -wal and -shm with the
      // database file's mode, so tightening the database tightens them too.
      for (const char* suffix : {"", "-wal", "-shm"}) {
        const std::string name = file.string() + suffix;
        struct stat st {};
        if (::stat(name.c_str(), &st) == 0 && (st.st_mode & 077) != 0) ::chmod(name.c_str(), st.st_mode & 0700);
      }
      Poco::Data::SQLite::Connector::registerConnector();
      sqlite_ = std::make_unique<Poco::Data::Session>("SQLite", file.string());
      // WAL: readers don't block the writer, and a crash loses no committed transaction.
      *sqlite_ << "PRAGMA journal_mode=WAL", now;
      *sqlite_ << "PRAGMA synchronous=NORMAL", now;
      *sqlite_ << "PRAGMA foreign_keys=ON", now;
      sqlite_file_ = file;
      description_ = "sqlite:" + file.string();
    } else {
      backend_ = Backend::kPostgres;
      const std::string conn = PostgresConnectionString(url);
      Poco::URI uri(url);
      description_ = "postgresql://" + uri.getHost() + ":" + std::to_string(uri.getPort()) + uri.getPath();
      postgres_each_ = LoadPostgresModule();
      pool_ = std::make_unique<Poco::Data::SessionPool>("PostgreSQL", conn, 1, std::max(1, pool_size), 60);
      auto session = pool_->get();  // fail early with a clear error
    }
    InTransaction([this](sdk::Transaction& tx) {
      LockMigrations(tx, backend_);
      tx.Execute(
          "CREATE TABLE IF NOT EXISTS schema_migrations (owner TEXT NOT NULL, version INTEGER NOT NULL, "
          "name TEXT NOT NULL, applied_at_ms BIGINT NOT NULL, PRIMARY KEY (owner, version))");
    });
  } catch (const std::invalid_argument& e) {
    throw StorageError(e.what());
  } catch (const Poco::Exception& e) {
    std::string msg = e.displayText();
    if (backend_ == Backend::kPostgres) {
      // libpq messages can echo connection parameters; keep only the first line and mask the password.
      msg = msg.substr(0, msg.find('\n'));
      msg = log_.Redact(msg);
    }
    throw StorageError("cannot open the database " + description_ + ": " + msg);
  }
  if (pool_) flusher_ = std::thread([this] { FlushLoop(); });
  if (sqlite_) OpenReaders(std::max(2, pool_size));
}

void Storage::OpenReaders(int count) {
  try {
    for (int i = 0; i < count; ++i) {
      auto reader = std::make_unique<Reader>();
      reader->session = std::make_unique<Poco::Data::Session>("SQLite", sqlite_file_.string());
      *reader->session << "PRAGMA query_only=ON", now;
      *reader->session << "PRAGMA busy_timeout=5000", now;
      free_readers_.push_back(reader.get());
      readers_.push_back(std::move(reader));
    }
  } catch (const Poco::Exception& e) {
    throw StorageError("cannot open a read connection to " + description_ + ": " + e.displayText());
  }
}

void Storage::InReadTransaction(const std::function<void(sdk::Transaction&)>& work) {
  if (!sqlite_ || readers_.empty()) {
    InTransaction([&](sdk::Transaction& tx) {
      ReadOnlyTx view(tx);
      work(view);
    });
    return;
  }
  Reader* reader = nullptr;
  {
    std::unique_lock lock(readers_mutex_);
    readers_free_.wait(lock, [this] { return !free_readers_.empty(); });
    reader = free_readers_.back();
    free_readers_.pop_back();
  }
  struct Release {
    Storage* self;
    Reader* reader;
    ~Release() {
      {
        std::lock_guard lock(self->readers_mutex_);
        self->free_readers_.push_back(reader);
      }
      self->readers_free_.notify_one();
    }
  } release{this, reader};
  Poco::Data::Session* session = reader->session.get();
  // BEGIN, COMMIT and ROLLBACK as statements of the reader's cache: Poco's Session::begin and commit build a
  // statement object each time, which cost as much as the read itself. Poco never learns of this
  // transaction; nothing else uses a reader's session.
  sqlite3* db = Poco::Data::SQLite::Utility::dbHandle(*session);
  const auto run = [&](std::string_view sql) {
    sqlite3_stmt* stmt = reader->statements.Get(db, sql);
    const int rc = stmt ? sqlite3_step(stmt) : sqlite3_errcode(db);
    if (stmt) sqlite3_reset(stmt);
    if (rc != SQLITE_DONE) throw StorageError("database error: " + std::string(sql) + ": " + sqlite3_errmsg(db));
  };
  try {
    run("BEGIN");  // a deferred transaction: one snapshot for every read in `work`
    Tx tx(*session, backend_, nullptr, true, &reader->statements);
    try {
      work(tx);
      run("COMMIT");
    } catch (...) {
      if (!sqlite3_get_autocommit(db)) {
        try {
          run("ROLLBACK");
        } catch (const StorageError&) {
        }
      }
      throw;
    }
  } catch (const StorageError&) {
    throw;
  } catch (const Poco::Exception& e) {
    throw StorageError("database error: " + e.displayText());
  }
}

Storage::~Storage() {
  {
    std::lock_guard lock(buffer_mutex_);
    stop_flusher_ = true;
  }
  flush_wake_.notify_all();
  if (flusher_.joinable()) flusher_.join();
  {
    std::lock_guard lock(buffer_mutex_);
    if (!buffer_.Empty()) {
      next_probe_ = {};
      if (!FlushLocked()) {
        log_.Write(sdk::LogLevel::kError, "storage",
                   std::to_string(buffer_.Rows()) +
                       " buffered row(s) could not be written: the database is still unreachable at shutdown");
      }
    }
  }
  if (pool_) pool_->shutdown();
}

std::size_t ReadOnlyTx::Execute(std::string_view sql, const sdk::SqlParams&) {
  throw StorageError("in '" + std::string(sql.substr(0, 80)) +
                     "': a read-only transaction cannot write (use InTransaction)");
}

bool WriteBuffer::Push(BufferedWrite write) {
  const std::size_t rows = write.statements.size();
  if (rows == 0) return true;
  if (rows_ + rows > max_rows_) {
    dropped_ += rows;
    return false;
  }
  rows_ += rows;
  writes_.push_back(std::move(write));
  return true;
}

void WriteBuffer::Pop() {
  rows_ -= writes_.front().statements.size();
  writes_.pop_front();
}

void WriteBuffer::DropFront() {
  dropped_ += writes_.front().statements.size();
  Pop();
}

// Records what a transaction writes, for replay once the database is back.
class Storage::RecordingTx final : public sdk::Transaction {
 public:
  explicit RecordingTx(BufferedWrite& write) : write_(write) {}
  std::size_t Execute(std::string_view sql, const sdk::SqlParams& params) override {
    write_.statements.emplace_back(std::string(sql), params);
    return 1;
  }
  sdk::SqlResult Query(std::string_view, const sdk::SqlParams&) override { throw Unreadable(); }
  void QueryEach(std::string_view, const sdk::SqlParams&, const std::function<void(const sdk::SqlRow&)>&) override {
    throw Unreadable();
  }

 private:
  static StorageUnavailable Unreadable() {
    return StorageUnavailable(
        "the database is unreachable (writes are buffered, but this transaction reads; its job retries it later)");
  }
  BufferedWrite& write_;
};

namespace {
// A pooled PostgreSQL connection died (the server restarted) or none could be opened.
class ConnectionLost : public StorageError {
 public:
  ConnectionLost(const std::string& what, bool cannot_connect) : StorageError(what), cannot_connect_(cannot_connect) {}
  // No new connection could be opened (as opposed to a pooled one found dead): trying again is pointless.
  bool CannotConnect() const { return cannot_connect_; }

 private:
  bool cannot_connect_;
};
}  // namespace

void Storage::InTransactionRaw(const std::function<void(sdk::Transaction&)>& work) {
  auto run = [&](Poco::Data::Session& session) {
    session.begin();
    Tx tx(session, backend_, postgres_each_);
    try {
      work(tx);
      session.commit();
    } catch (...) {
      try {
        session.rollback();
      } catch (const Poco::Exception&) {
        // the connection is gone; the server rolled back
      }
      throw;
    }
  };
  try {
    if (sqlite_) {
      std::lock_guard lock(sqlite_mutex_);
      run(*sqlite_);
    } else {
      std::optional<Poco::Data::Session> session;
      try {
        session.emplace(pool_->get());
      } catch (const Poco::Exception& e) {
        throw ConnectionLost("cannot connect: " + log_.Redact(e.displayText().substr(0, e.displayText().find('\n'))),
                             true);
      }
      try {
        run(*session);
      } catch (const std::exception& e) {
        bool connected = false;
        try {
          connected = session->isConnected();
        } catch (...) {
        }
        if (!connected) {
          std::string msg = e.what();
          throw ConnectionLost("connection lost: " + log_.Redact(msg.substr(0, msg.find('\n'))), false);
        }
        throw;
      }
    }
  } catch (const StorageError&) {
    throw;
  } catch (const Poco::Exception& e) {
    std::string msg = e.displayText();
    if (backend_ == Backend::kPostgres) msg = log_.Redact(msg.substr(0, msg.find('\n')));
    throw StorageError("database error: " + msg);
  }
}

void Storage::InTransaction(const std::function<void(sdk::Transaction&)>& work) {
  // A connection that died with a server restart is discarded by the pool: try the others and a new one.
  const int attempts = pool_ ? static_cast<int>(pool_->capacity()) + 1 : 1;
  for (int attempt = 1;; ++attempt) {
    try {
      InTransactionRaw(work);
      if (backend_ == Backend::kPostgres && !available_) flush_wake_.notify_all();  // back: flush now
      return;
    } catch (const ConnectionLost& e) {
      if (attempt < attempts && !e.CannotConnect()) continue;
      {
        std::lock_guard lock(buffer_mutex_);
        MarkUnavailable(e.what());
      }
      throw StorageUnavailable("the database is unreachable (" + std::string(e.what()) + "); try again later");
    }
  }
}

namespace {
thread_local bool buffered_write_scope = false;
}  // namespace

BufferedWriteScope::BufferedWriteScope() : previous_(buffered_write_scope) { buffered_write_scope = true; }
BufferedWriteScope::~BufferedWriteScope() { buffered_write_scope = previous_; }
bool BufferedWriteScope::Active() { return buffered_write_scope; }

void Storage::InTransactionBuffered(const std::string& owner, const std::function<void(sdk::Transaction&)>& work) {
  if (backend_ != Backend::kPostgres) {
    const auto started = std::chrono::steady_clock::now();
    InTransaction(work);
    if (metrics_) {
      metrics_->Observe("tessie_storage_write_duration_seconds", {},
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
    }
    return;
  }
  {
    std::lock_guard lock(buffer_mutex_);
    if (buffer_.MaxRows() == 0) {
      // Buffering is off: fail like any other call.
    } else if ((!buffer_.Empty() || !available_) && !FlushLocked()) {
      Buffer(owner, work);
      return;
    }
  }
  const auto started = std::chrono::steady_clock::now();
  try {
    InTransaction(work);
  } catch (const StorageUnavailable&) {
    std::lock_guard lock(buffer_mutex_);
    if (buffer_.MaxRows() == 0) throw;
    Buffer(owner, work);
    return;
  }
  if (metrics_) {
    metrics_->Observe("tessie_storage_write_duration_seconds", {},
                      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count());
  }
}

void Storage::Buffer(const std::string& owner, const std::function<void(sdk::Transaction&)>& work) {
  BufferedWrite write;
  write.owner = owner;
  RecordingTx tx(write);
  work(tx);  // a Query throws StorageUnavailable: nothing is queued
  const std::size_t rows = write.statements.size();
  if (!buffer_.Push(std::move(write))) {
    const auto dropped = buffer_.Dropped() - dropped_at_outage_;
    // The first drop of an outage, then every 1000 rows.
    if (dropped == rows || (dropped / 1000) != ((dropped - rows) / 1000)) {
      log_.Write(sdk::LogLevel::kError, "storage",
                 "write buffer full (storage.buffer_max_rows = " + std::to_string(buffer_.MaxRows()) + "): dropped " +
                     std::to_string(dropped) + " row(s) from " + owner + " and others since the database went away");
    }
  }
  UpdateGauges();
}

void Storage::MarkUnavailable(const std::string& why) {
  next_probe_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
  if (!available_.exchange(false)) return;
  dropped_at_outage_ = buffer_.Dropped();
  flushed_rows_ = 0;
  log_.Write(sdk::LogLevel::kWarn, "storage",
             "the database is unreachable (" + why + "); buffering writes from sync jobs in memory (up to " +
                 std::to_string(buffer_.MaxRows()) + " rows, storage.buffer_max_rows) until it is back");
  UpdateGauges();
}

bool Storage::FlushLocked() {
  if (buffer_.Empty() && available_) return true;
  if (!available_) {
    if (std::chrono::steady_clock::now() < next_probe_) return false;
    if (!Ping()) {
      next_probe_ = std::chrono::steady_clock::now() + std::chrono::seconds(1);
      return false;
    }
  }
  while (!buffer_.Empty()) {
    const auto& write = buffer_.Front();
    try {
      InTransaction([&](sdk::Transaction& tx) {
        for (const auto& [sql, params] : write.statements) tx.Execute(sql, params);
      });
      flushed_rows_ += write.statements.size();
      buffer_.Pop();
    } catch (const StorageUnavailable&) {
      UpdateGauges();
      return false;  // gone again; the order is kept
    } catch (const std::exception& e) {
      log_.Write(sdk::LogLevel::kError, "storage",
                 "a buffered write of " + write.owner + " failed when written back and is dropped: " + e.what());
      buffer_.DropFront();
    }
  }
  if (!available_.exchange(true)) {
    log_.Write(sdk::LogLevel::kInfo, "storage",
               "the database is back: wrote " + std::to_string(flushed_rows_) + " buffered row(s) in order; " +
                   std::to_string(buffer_.Dropped() - dropped_at_outage_) + " row(s) were dropped while it was away");
  }
  UpdateGauges();
  return true;
}

void Storage::FlushLoop() {
  std::unique_lock lock(buffer_mutex_);
  while (!stop_flusher_) {
    flush_wake_.wait_for(lock, std::chrono::seconds(1));
    if (stop_flusher_) break;
    if (!buffer_.Empty() || !available_) FlushLocked();
  }
}

void Storage::SetBufferMaxRows(std::size_t max_rows) {
  std::lock_guard lock(buffer_mutex_);
  buffer_.SetMaxRows(max_rows);
  UpdateGauges();
}

void Storage::SetMetrics(MetricsRegistry* metrics) {
  metrics_ = metrics;
  if (!metrics_) return;
  metrics_->Describe("tessie_storage_write_duration_seconds", MetricType::kHistogram,
                     "Write transactions of sync jobs, from begin to commit, in seconds.");
  metrics_->Describe("tessie_storage_available", MetricType::kGauge,
                     "1 while the database answers, 0 while it is unreachable (writes are buffered).");
  metrics_->Describe("tessie_storage_buffered_rows", MetricType::kGauge,
                     "Rows (statements) waiting in memory for the database to come back.");
  metrics_->Describe("tessie_storage_buffer_max_rows", MetricType::kGauge, "The bound storage.buffer_max_rows.");
  metrics_->Describe("tessie_storage_dropped_rows_total", MetricType::kCounter,
                     "Rows dropped because the buffer was full (or failed when written back).");
  std::lock_guard lock(buffer_mutex_);
  UpdateGauges();
}

void Storage::UpdateGauges() {
  if (!metrics_) return;
  metrics_->Set("tessie_storage_available", {}, available_ ? 1 : 0);
  metrics_->Set("tessie_storage_buffered_rows", {}, static_cast<double>(buffer_.Rows()));
  metrics_->Set("tessie_storage_buffer_max_rows", {}, static_cast<double>(buffer_.MaxRows()));
  metrics_->Set("tessie_storage_dropped_rows_total", {}, static_cast<double>(buffer_.Dropped()));
}

std::size_t Storage::BufferedRows() const {
  std::lock_guard lock(buffer_mutex_);
  return buffer_.Rows();
}

std::uint64_t Storage::DroppedRows() const {
  std::lock_guard lock(buffer_mutex_);
  return buffer_.Dropped();
}

void Storage::Migrate(const std::string& owner, const std::vector<sdk::Migration>& migrations) {
  int applied = 0;
  {
    auto r = [&] {
      sdk::SqlResult res;
      InTransaction([&](sdk::Transaction& tx) {
        res = tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE owner = ?", {owner});
      });
      return res;
    }();
    applied = static_cast<int>(r.rows.at(0).Int(0));
  }
  int previous = 0;
  for (const auto& m : migrations) {
    if (m.version <= previous)
      throw StorageError(owner + ": migration versions must increase (" + std::to_string(m.version) + " after " +
                         std::to_string(previous) + ")");
    previous = m.version;
    if (m.version <= applied) continue;
    bool ran = false;
    try {
      InTransaction([&](sdk::Transaction& tx) {
        ran = false;
        LockMigrations(tx, backend_);
        // Another host on the same database may have applied it since the read above.
        const auto done = tx.Query("SELECT COALESCE(MAX(version), 0) FROM schema_migrations WHERE owner = ?", {owner});
        if (done.rows.at(0).Int(0) >= m.version) return;
        for (const auto& statement : SplitStatements(ExpandDialect(m.sql, backend_))) tx.Execute(statement);
        const auto now_ms =
            std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
                .count();
        tx.Execute("INSERT INTO schema_migrations (owner, version, name, applied_at_ms) VALUES (?, ?, ?, ?)",
                   {owner, static_cast<std::int64_t>(m.version), m.name, static_cast<std::int64_t>(now_ms)});
        ran = true;
      });
    } catch (const std::exception& e) {
      throw StorageError(owner + ": migration " + std::to_string(m.version) + " (" + m.name + ") failed: " + e.what());
    }
    if (!ran) continue;
    log_.Write(sdk::LogLevel::kInfo, owner, "applied migration " + std::to_string(m.version) + " (" + m.name + ")");
  }
}

std::size_t Storage::Execute(std::string_view sql, const sdk::SqlParams& params) {
  std::size_t n = 0;
  InTransaction([&](sdk::Transaction& tx) { n = tx.Execute(sql, params); });
  return n;
}

sdk::SqlResult Storage::Query(std::string_view sql, const sdk::SqlParams& params) {
  sdk::SqlResult r;
  InTransaction([&](sdk::Transaction& tx) { r = tx.Query(sql, params); });
  return r;
}

bool Storage::Ping() {
  // A pooled PostgreSQL session may be dead after a server restart (it is discarded when it fails):
  // try as many as the pool may hold, plus a fresh one; stop at the first connection that cannot be opened.
  const int attempts = pool_ ? pool_->capacity() + 1 : 1;
  for (int i = 0; i < attempts; ++i) {
    try {
      if (sqlite_) {
        std::lock_guard lock(sqlite_mutex_);
        *sqlite_ << "SELECT 1", now;
        return true;
      }
      std::optional<Poco::Data::Session> session;
      try {
        session.emplace(pool_->get());
      } catch (const std::exception&) {
        return false;  // no connection can be opened: one connect timeout at most
      }
      *session << "SELECT 1", now;
      return true;
    } catch (const Poco::Exception&) {
    } catch (const std::exception&) {
    }
  }
  return false;
}

}  // namespace tessie::core
