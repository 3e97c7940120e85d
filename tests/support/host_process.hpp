#pragma once
// Runs the real tessie-stats binary as a child process and talks HTTP to it.
#include <Poco/JSON/Object.h>
#include <Poco/Process.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tessie::testing {

struct HttpResult {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;
  Poco::JSON::Object::Ptr Json() const;  // throws when the body is not a JSON object
  Poco::Dynamic::Var Parsed() const;
};

// Paths from the build (compile definitions).
std::filesystem::path HostBinary();
std::filesystem::path PluginDir();
std::filesystem::path TestPluginDir();
// A fresh directory under build/test-runs/<test name>; logs stay there for the secrets sweep.
std::filesystem::path FreshTestDir();
std::string RandomSuffix();

class HostProcess {
 public:
  // `config_yaml` is written to dir/config.yaml. `env` adds to (or overrides) the environment.
  HostProcess(std::filesystem::path dir, std::string config_yaml, std::map<std::string, std::string> env = {});
  ~HostProcess();

  // Starts the binary with --config and waits until it listens and /api/health answers, or it exits.
  // Returns false when it exited (ExitCode() then tells why; Log() has the output).
  bool Start(std::chrono::seconds limit = std::chrono::seconds(30));
  // Runs the binary with `args` to completion (e.g. --check-config) and returns its exit code.
  int RunToExit(const std::vector<std::string>& args, std::chrono::seconds limit = std::chrono::seconds(30));
  // Sends `signal` and waits for the exit; returns the exit code (128+n when killed).
  int Stop(int signal = 15, std::chrono::seconds limit = std::chrono::seconds(30));
  bool Running();
  std::optional<int> ExitCode() const { return exit_code_; }

  int Port() const { return port_; }
  // The host's process id (the shell execs it), 0 before Start.
  int Pid() const { return handle_ ? handle_->id() : 0; }
  std::string Log() const;
  std::filesystem::path Dir() const { return dir_; }
  std::filesystem::path ConfigFile() const { return dir_ / "config.yaml"; }

  HttpResult Request(const std::string& method, const std::string& path, const std::string& body = "",
                     const std::string& token = "", const std::map<std::string, std::string>& headers = {});
  HttpResult Get(const std::string& path, const std::string& token = "") { return Request("GET", path, "", token); }
  HttpResult Post(const std::string& path, const std::string& json, const std::string& token = "") {
    return Request("POST", path, json, token);
  }
  // Logs in with `password` and returns the Bearer token (empty on failure).
  std::string Login(const std::string& password);

 private:
  void WriteConfig();
  std::filesystem::path dir_;
  std::string config_;
  std::map<std::string, std::string> env_;
  std::optional<Poco::ProcessHandle> handle_;
  std::optional<int> exit_code_;
  int port_ = 0;
};

// Waits up to `limit` for `f` to hold (a liveness bound, not a timing assertion).
template <class F>
bool Eventually(F f, std::chrono::milliseconds limit = std::chrono::seconds(15)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (f()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return f();
}

}  // namespace tessie::testing
