#pragma once
#include <yaml-cpp/yaml.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "tessie/sdk/config.hpp"

namespace tessie::core {

// A config problem the user must fix: "FILE:LINE:COLUMN: KEY: what is wrong". Never contains a secret value.
class ConfigFileError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// "500ms", "30s", "5m", "2h", "1d" or a plain number of seconds. Throws std::invalid_argument.
std::chrono::milliseconds ParseDuration(const std::string& text);

// A parsed config file. YAML nodes keep their line and column so later checks can point at them.
class ConfigDocument {
 public:
  // Throws ConfigFileError for an unreadable file or malformed YAML (with line and column).
  static ConfigDocument Load(const std::filesystem::path& file);
  static ConfigDocument Parse(const std::string& text, const std::string& file_name);

  const std::string& FileName() const { return file_; }
  const YAML::Node& Root() const { return root_; }
  // The map under plugins.<name>, or a null node when absent.
  YAML::Node PluginSection(const std::string& name) const;
  std::vector<std::string> PluginNames() const;

  // Checks `node` against `schema` and returns the values with defaults filled in, keyed by the dotted
  // key. `key_prefix` ("plugins.vehicle") is used in messages. `ignored` keys are skipped (enabled, ...).
  // Throws ConfigFileError naming the first offending key.
  sdk::ConfigSection Validate(const YAML::Node& node, const sdk::ConfigSchema& schema, const std::string& key_prefix,
                              const std::vector<std::string>& ignored = {}) const;

  std::string Where(const YAML::Node& node) const;

 private:
  ConfigDocument(std::string file, YAML::Node root) : file_(std::move(file)), root_(std::move(root)) {}
  std::string file_;
  YAML::Node root_;
};

// The host's own settings (everything but plugins.<name>), validated, with environment overrides applied.
struct CoreConfig {
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::size_t max_body_bytes = 1 << 20;
  int http_threads = 8;
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_client = 64;
  std::filesystem::path data_dir;
  std::filesystem::path plugin_dir;  // empty: <exe>/../lib/tessie-stats/plugins
  std::string log_level = "info";
  std::string storage_url;  // empty: SQLite file in data_dir
  int storage_pool_size = 4;
  std::size_t storage_buffer_max_rows = 10000;  // sync-job writes buffered while PostgreSQL is away
  bool metrics_public = false;                  // GET /metrics without a login token
  std::string admin_password;                   // secret
  std::chrono::milliseconds token_ttl{std::chrono::hours(12)};
  int scheduler_threads = 2;
  std::string simulator_clock_url;  // demo/tests: follow tessie-fleet-sim's clock
  sdk::ConfigSection tesla;
  sdk::ConfigSection mqtt;
};

// The schema of the host's keys; plugins.* is handled per plugin.
const sdk::ConfigSchema& CoreSchema();

// The values of `schema`'s secret fields in `section` (a string list: each element), as text: what the log
// mask must hide once the section is validated. Fields without a value are skipped.
std::vector<std::string> SecretValues(const sdk::ConfigSection& section, const sdk::ConfigSchema& schema);

// Validates the host's keys and applies TESSIE_* environment overrides (env wins over the file).
// `config_dir` resolves a relative data_dir. Throws ConfigFileError.
CoreConfig ReadCoreConfig(const ConfigDocument& doc);

}  // namespace tessie::core
