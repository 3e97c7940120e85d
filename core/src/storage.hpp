#pragma once
#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "logger.hpp"
#include "metrics.hpp"
#include "postgresql_module.hpp"
#include "tessie/sdk/storage.hpp"

namespace tessie::core {

// "?" placeholders → "$1, $2, ..." outside quoted strings and identifiers (PostgreSQL's syntax).
std::string ToPostgresPlaceholders(std::string_view sql);
// {{pk}}, {{json}}, {{real}}, {{blob}} → the backend's types.
std::string ExpandDialect(std::string_view sql, sdk::Backend backend);
// Splits a script on ';' outside quotes; drops empty statements.
std::vector<std::string> SplitStatements(std::string_view script);
// postgresql://user:pass@host:port/db?sslmode=x → libpq key=value string. Throws std::invalid_argument
// with a message that never contains the password.
std::string PostgresConnectionString(const std::string& url);
// Opens one PostgreSQL session to `url` and runs SELECT 1, changing nothing (for --check-config). Throws
// StorageError naming host, port and database and what failed, never the password.
void ProbePostgres(const std::string& url);

// The database cannot be reached (PostgreSQL stopped, network gone). The HTTP server answers 503.
class StorageUnavailable : public sdk::StorageError {
 public:
  using sdk::StorageError::StorageError;
};

// One write transaction recorded while the database was unreachable: its statements, in order.
struct BufferedWrite {
  std::string owner;
  std::vector<std::pair<std::string, sdk::SqlParams>> statements;
};

// A bounded FIFO of buffered write transactions. The bound counts statements ("rows"); a write that
// does not fit is dropped whole (never a part of a transaction) and counted. Plain logic, not thread-safe
// (Storage guards it).
class WriteBuffer {
 public:
  explicit WriteBuffer(std::size_t max_rows = 10000) : max_rows_(max_rows) {}
  void SetMaxRows(std::size_t max_rows) { max_rows_ = max_rows; }
  std::size_t MaxRows() const { return max_rows_; }
  // False when it would exceed the bound: the write is dropped and its rows counted in Dropped().
  bool Push(BufferedWrite write);
  bool Empty() const { return writes_.empty(); }
  std::size_t Rows() const { return rows_; }
  std::size_t Writes() const { return writes_.size(); }
  std::uint64_t Dropped() const { return dropped_; }
  const BufferedWrite& Front() const { return writes_.front(); }
  void Pop();
  // Counts a buffered write that failed on replay as dropped (and removes it).
  void DropFront();

 private:
  std::size_t max_rows_;
  std::deque<BufferedWrite> writes_;
  std::size_t rows_ = 0;
  std::uint64_t dropped_ = 0;
};

// The host's storage: one SQLite file (serialised through one connection) or a PostgreSQL pool.
// Thread-safe. Records applied migrations per owner in schema_migrations.
class Storage {
 public:
  // url empty → SQLite at data_dir/tessie.db. Throws sdk::StorageError when the database cannot be opened.
  Storage(const std::string& url, const std::filesystem::path& data_dir, int pool_size, LogSink& log);
  ~Storage();

  sdk::Backend Kind() const { return backend_; }
  std::string Describe() const { return description_; }  // "sqlite:/path" or "postgresql://host:port/db" (no password)
  void InTransaction(const std::function<void(sdk::Transaction&)>& work);
  // A read-only transaction. SQLite: on one of a pool of read connections (WAL: concurrent with each other
  // and with the writer); PostgreSQL: as InTransaction.
  void InReadTransaction(const std::function<void(sdk::Transaction&)>& work);
  void Migrate(const std::string& owner, const std::vector<sdk::Migration>& migrations);
  // One statement in its own transaction.
  std::size_t Execute(std::string_view sql, const sdk::SqlParams& params = {});
  sdk::SqlResult Query(std::string_view sql, const sdk::SqlParams& params = {});
  // A cheap round trip; false when the database is unreachable.
  bool Ping();

  // A write from a sync job (plugin jobs, API usage counters). Runs `work` in a transaction like
  // InTransaction, but when PostgreSQL is unreachable — or writes are still buffered from an outage — the
  // statements `work` executes are recorded and queued instead (in memory, bounded by buffer_max_rows),
  // and written in order, each queued transaction in its own transaction, when the database is back.
  // While recording, Execute returns 1 and a Query throws StorageUnavailable (a transaction that reads
  // cannot be buffered: nothing of it is queued, and the caller's job fails and is retried later).
  // `work` may therefore run twice (once against the dead connection, once recording). SQLite: same as
  // InTransaction.
  void InTransactionBuffered(const std::string& owner, const std::function<void(sdk::Transaction&)>& work);
  // Buffer bound in statements (storage.buffer_max_rows); 0 disables buffering.
  void SetBufferMaxRows(std::size_t max_rows);
  // Storage metrics (tessie_storage_*). Set once, before use.
  void SetMetrics(MetricsRegistry* metrics);
  // False while PostgreSQL was found unreachable and has not answered since.
  bool Available() const { return available_; }
  std::size_t BufferedRows() const;
  std::uint64_t DroppedRows() const;

 private:
  class Tx;
  class RecordingTx;
  void InTransactionRaw(const std::function<void(sdk::Transaction&)>& work);
  // Writes buffered transactions in order; true when the buffer is empty afterwards. Caller holds
  // buffer_mutex_.
  bool FlushLocked();
  void Buffer(const std::string& owner, const std::function<void(sdk::Transaction&)>& work);
  void FlushLoop();
  void MarkUnavailable(const std::string& why);
  void UpdateGauges();
  sdk::Backend backend_;
  std::string description_;
  LogSink& log_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;  // PostgreSQL
  PostgresQueryEachFn* postgres_each_ = nullptr;   // from the PostgreSQL module
  std::unique_ptr<Poco::Data::Session> sqlite_;    // SQLite: the one writer
  std::mutex sqlite_mutex_;
  std::filesystem::path sqlite_file_;
  void OpenReaders(int count);
  struct Reader;                                  // a read-only connection and its prepared statements
  std::vector<std::unique_ptr<Reader>> readers_;  // SQLite
  std::vector<Reader*> free_readers_;
  std::mutex readers_mutex_;
  std::condition_variable readers_free_;

  MetricsRegistry* metrics_ = nullptr;
  std::atomic<bool> available_{true};
  // The buffer; held while flushing, so buffered writes stay in order. Recursive: a flush writes through
  // InTransaction, which marks the database unreachable under it.
  mutable std::recursive_mutex buffer_mutex_;
  WriteBuffer buffer_;
  std::uint64_t flushed_rows_ = 0;       // written since the outage began (for the log line)
  std::uint64_t dropped_at_outage_ = 0;  // Dropped() when the outage began
  std::chrono::steady_clock::time_point next_probe_{};
  std::condition_variable_any flush_wake_;
  bool stop_flusher_ = false;
  std::thread flusher_;  // PostgreSQL only: retries the buffer every second
};

// A transaction seen read-only: Execute throws StorageError, reads pass through. Used for PostgreSQL's read
// transactions (SQLite's run on read connections instead).
class ReadOnlyTx final : public sdk::Transaction {
 public:
  explicit ReadOnlyTx(sdk::Transaction& tx) : tx_(tx) {}
  std::size_t Execute(std::string_view sql, const sdk::SqlParams& params) override;
  sdk::SqlResult Query(std::string_view sql, const sdk::SqlParams& params) override { return tx_.Query(sql, params); }
  void QueryEach(std::string_view sql, const sdk::SqlParams& params,
                 const std::function<void(const sdk::SqlRow&)>& row) override {
    tx_.QueryEach(sql, params, row);
  }

 private:
  sdk::Transaction& tx_;
};

// Declares, on the current thread for its lifetime, that the writes made through a PluginDatabase are a sync
// job's: while PostgreSQL is unreachable they are buffered (Storage::InTransactionBuffered) instead of failing.
// The host opens one around every job run (JobScheduler::SetRunHook), which covers the event subscribers the
// job publishes to; REST handlers, Configure and Start run without one, so their writes fail with
// StorageUnavailable. Scopes nest. Storage knows nothing of the scheduler: whoever runs the work says so.
class BufferedWriteScope {
 public:
  BufferedWriteScope();
  ~BufferedWriteScope();
  BufferedWriteScope(const BufferedWriteScope&) = delete;
  BufferedWriteScope& operator=(const BufferedWriteScope&) = delete;
  // Whether a scope is open on this thread.
  static bool Active();

 private:
  bool previous_;
};

// The sdk::Database a plugin sees: the host's storage with the plugin's name on its migrations.
class PluginDatabase final : public sdk::Database {
 public:
  PluginDatabase(Storage& storage, std::string owner) : storage_(storage), owner_(std::move(owner)) {}
  sdk::Backend Kind() const override { return storage_.Kind(); }
  void Migrate(const std::vector<sdk::Migration>& migrations) override { storage_.Migrate(owner_, migrations); }
  // Writes inside a BufferedWriteScope (a job and the event subscribers it runs) are buffered while PostgreSQL
  // is unreachable; everything else (REST handlers, Configure/Start) fails with StorageUnavailable.
  void InTransaction(const std::function<void(sdk::Transaction&)>& work) override {
    if (BufferedWriteScope::Active())
      storage_.InTransactionBuffered(owner_, work);
    else
      storage_.InTransaction(work);
  }
  // SQLite: a read connection. PostgreSQL: the pool, as InTransaction (a job's read during an outage fails as
  // before: a read cannot be buffered).
  void InReadTransaction(const std::function<void(sdk::Transaction&)>& work) override {
    if (storage_.Kind() == sdk::Backend::kSqlite) {
      storage_.InReadTransaction(work);
    } else {
      InTransaction([&](sdk::Transaction& tx) {
        ReadOnlyTx view(tx);
        work(view);
      });
    }
  }

 private:
  Storage& storage_;
  std::string owner_;
};

}  // namespace tessie::core
