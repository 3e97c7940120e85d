#pragma once
// Helpers for the resilience tests: a private PostgreSQL + Mosquitto that a test may stop and start
// (tests/env/services.sh in the test's own directory, never the shared ones), a read-only look into a
// host's SQLite file, and /metrics parsing.
#include <Poco/JSON/Array.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "host_process.hpp"

namespace tessie::testing {

// Runs a shell command; returns its stdout (stderr goes to `log`).
inline std::string Shell(const std::string& command, int* status = nullptr) {
  std::string out;
  FILE* p = ::popen(command.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  std::size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) out.append(buf, n);
  const int rc = ::pclose(p);
  if (status) *status = rc;
  return out;
}

class PrivateServices {
 public:
  explicit PrivateServices(std::filesystem::path dir) : dir_(std::move(dir)) {}
  ~PrivateServices() { Run("stop"); }

  // Starts both servers; false (with the output in Log()) when they did not come up. The ports are searched
  // from a random start outside the range other test sets use: while a server is stopped, nobody else may
  // take its port.
  bool Start() {
    std::random_device random;
    prefix_ = "TESSIE_TEST_PG_FIRST_PORT=" + std::to_string(56000 + random() % 4000) +
              " TESSIE_TEST_MQTT_FIRST_PORT=" + std::to_string(52000 + random() % 3000) + " ";
    if (!Run("start")) return false;
    std::ifstream in(dir_ / "env");
    for (std::string line; std::getline(in, line);) {
      if (line.rfind("export ", 0) != 0) continue;
      const auto eq = line.find('=');
      env_[line.substr(7, eq - 7)] = line.substr(eq + 1);
    }
    return !PgUrl().empty() && !MqttUrl().empty();
  }
  bool Run(const std::string& command) {
    int status = 0;
    log_ += Shell(
        prefix_ + "bash '" TESSIE_SOURCE_DIR "/tests/env/services.sh' " + command + " '" + dir_.string() + "' 2>&1",
        &status);
    return status == 0;
  }
  std::string PgUrl(const std::string& database = "tessie_test") const {
    auto it = env_.find("TESSIE_TEST_PG_PORT");
    if (it == env_.end()) return "";
    return "postgresql://tessie:tessie@127.0.0.1:" + it->second + "/" + database;
  }
  std::string MqttUrl() const {
    auto it = env_.find("TESSIE_TEST_MQTT_URL");
    return it == env_.end() ? "" : it->second;
  }
  // One SQL statement through psql; the rows as "a|b" lines.
  std::string Psql(const std::string& sql, const std::string& database = "tessie_test") const {
    auto bin = env_.find("TESSIE_TEST_PG_BIN");
    const std::string psql = (bin == env_.end() ? std::string("/usr/lib/postgresql/15/bin") : bin->second) + "/psql";
    return Shell("'" + psql + "' '" + PgUrl(database) + "' -X -q -t -A -c \"" + sql + "\" 2>&1");
  }
  std::string Log() const { return log_; }

 private:
  std::filesystem::path dir_;
  std::map<std::string, std::string> env_;
  std::string log_;
  std::string prefix_;
};

// Samples of a Prometheus text exposition: "name{labels}" → value (lines as exposed).
inline std::map<std::string, double> ParseMetrics(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    try {
      out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    } catch (const std::exception&) {
    }
  }
  return out;
}

// The sum of every sample of `name` whose label text contains each of `fragments`.
inline double MetricSum(const std::map<std::string, double>& metrics, const std::string& name,
                        const std::vector<std::string>& fragments = {}) {
  double sum = 0;
  for (const auto& [key, value] : metrics) {
    if (key != name && key.rfind(name + "{", 0) != 0) continue;
    bool ok = true;
    for (const auto& f : fragments) ok = ok && key.find(f) != std::string::npos;
    if (ok) sum += value;
  }
  return sum;
}

}  // namespace tessie::testing
