#pragma once
#include <Poco/Data/Session.h>
#include <Poco/Data/SessionPool.h>

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>

#include "logger.hpp"
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
  void Migrate(const std::string& owner, const std::vector<sdk::Migration>& migrations);
  // One statement in its own transaction.
  std::size_t Execute(std::string_view sql, const sdk::SqlParams& params = {});
  sdk::SqlResult Query(std::string_view sql, const sdk::SqlParams& params = {});
  // A cheap round trip; false when the database is unreachable.
  bool Ping();

 private:
  class Tx;
  sdk::Backend backend_;
  std::string description_;
  LogSink& log_;
  std::unique_ptr<Poco::Data::SessionPool> pool_;  // PostgreSQL
  std::unique_ptr<Poco::Data::Session> sqlite_;    // SQLite
  std::mutex sqlite_mutex_;
};

// The sdk::Database a plugin sees: the host's storage with the plugin's name on its migrations.
class PluginDatabase final : public sdk::Database {
 public:
  PluginDatabase(Storage& storage, std::string owner) : storage_(storage), owner_(std::move(owner)) {}
  sdk::Backend Kind() const override { return storage_.Kind(); }
  void Migrate(const std::vector<sdk::Migration>& migrations) override { storage_.Migrate(owner_, migrations); }
  void InTransaction(const std::function<void(sdk::Transaction&)>& work) override { storage_.InTransaction(work); }

 private:
  Storage& storage_;
  std::string owner_;
};

}  // namespace tessie::core
