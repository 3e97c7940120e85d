#pragma once
// Runs build/bin/tessie-fleet-sim as a child process (stepped clock by default) for the host to talk to.
#include <Poco/Process.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "host_process.hpp"

namespace tessie::testing {

std::filesystem::path SimBinary();
// sim/scenarios/<name>.yaml, or `name` itself when it is a path (contains a '/').
std::filesystem::path SimScenario(const std::string& name);

// Any HTTP call to 127.0.0.1:port (no redirects followed).
HttpResult HttpCall(int port, const std::string& method, const std::string& path, const std::string& body = "",
                    const std::map<std::string, std::string>& headers = {});

class SimProcess {
 public:
  SimProcess(std::filesystem::path dir, std::string scenario = "test", double speed = 0);
  ~SimProcess();
  bool Start();
  int Port() const { return port_; }
  std::string Url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  HttpResult Get(const std::string& path) { return HttpCall(port_, "GET", path); }
  HttpResult Post(const std::string& path, const std::string& json = "{}") {
    return HttpCall(port_, "POST", path, json);
  }
  // A fresh grant's refresh token (POST /sim/tokens).
  std::string NewRefreshToken();
  void Advance(int seconds);
  void Fault(const std::string& json);
  // Requests the simulator served whose path contains `fragment`.
  int CountRequests(const std::string& fragment);
  std::string Log() const;

 private:
  std::filesystem::path dir_;
  std::string scenario_;
  double speed_;
  std::optional<Poco::ProcessHandle> handle_;
  int port_ = 0;
};

}  // namespace tessie::testing
