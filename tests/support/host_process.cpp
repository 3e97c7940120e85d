#include "host_process.hpp"

#include "sim_process.hpp"

#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <random>
#include <regex>
#include <sstream>
#include <thread>

namespace tessie::testing {

Poco::Dynamic::Var HttpResult::Parsed() const {
  Poco::JSON::Parser parser;
  return parser.parse(body);
}

Poco::JSON::Object::Ptr HttpResult::Json() const { return Parsed().extract<Poco::JSON::Object::Ptr>(); }

std::filesystem::path HostBinary() { return TESSIE_BIN_DIR "/tessie-stats"; }

namespace {
// tessie-stats-seams (tests/CMakeLists.txt) when the environment asks for a fault only it can inject.
std::filesystem::path HostBinaryFor(const std::map<std::string, std::string>& env) {
  if (env.count("TESSIE_TEST_CRASH_AFTER_TOKEN_REFRESH")) return TESSIE_BIN_DIR "/tessie-stats-seams";
  return HostBinary();
}
}  // namespace
std::filesystem::path PluginDir() { return TESSIE_PLUGIN_DIR; }
std::filesystem::path TestPluginDir() { return TESSIE_TEST_PLUGIN_DIR; }

std::string RandomSuffix() {
  static std::mt19937_64 rng{std::random_device{}()};
  std::ostringstream out;
  out << std::hex << rng();
  return out.str().substr(0, 8);
}

std::filesystem::path FreshTestDir() {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = info ? std::string(info->test_suite_name()) + "." + info->name() : "test";
  for (auto& c : name)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '.') c = '_';
  const auto dir = std::filesystem::path(TESSIE_TEST_RUN_DIR) / name;
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

HostProcess::HostProcess(std::filesystem::path dir, std::string config_yaml, std::map<std::string, std::string> env)
    : dir_(std::move(dir)), config_(std::move(config_yaml)), env_(std::move(env)) {
  WriteConfig();
}

HostProcess::~HostProcess() {
  if (handle_ && !exit_code_) {
    ::kill(handle_->id(), SIGKILL);
    int status = 0;
    ::waitpid(handle_->id(), &status, 0);
  }
}

void HostProcess::WriteConfig() { std::ofstream(ConfigFile()) << config_; }

int HostProcess::RunToExit(const std::vector<std::string>& args, std::chrono::seconds limit) {
  std::string command = "exec '" + HostBinaryFor(env_).string() + "'";
  for (const auto& a : args) command += " '" + a + "'";
  command += " >> '" + (dir_ / "host.log").string() + "' 2>&1";
  Poco::Process::Env env(env_.begin(), env_.end());
  handle_.emplace(Poco::Process::launch("/bin/sh", {"-c", command}, dir_.string(), nullptr, nullptr, nullptr, env));
  exit_code_.reset();
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (!Running()) return *exit_code_;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  Stop(SIGKILL);
  return -1;
}

bool HostProcess::Running() {
  if (!handle_ || exit_code_) return false;
  int status = 0;
  const pid_t r = ::waitpid(handle_->id(), &status, WNOHANG);
  if (r == 0) return true;
  exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return false;
}

bool HostProcess::Start(std::chrono::seconds limit) {
  std::string command = "exec '" + HostBinaryFor(env_).string() + "' --config '" + ConfigFile().string() + "' >> '" +
                        (dir_ / "host.log").string() + "' 2>&1";
  Poco::Process::Env env(env_.begin(), env_.end());
  exit_code_.reset();
  port_ = 0;
  const auto log_size_before = Log().size();
  handle_.emplace(Poco::Process::launch("/bin/sh", {"-c", command}, dir_.string(), nullptr, nullptr, nullptr, env));
  const std::regex listening("listening on http://[^:]+:([0-9]+)");
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (!Running()) return false;
    if (!port_) {
      const auto log = Log().substr(log_size_before);
      std::smatch m;
      if (std::regex_search(log, m, listening)) port_ = std::stoi(m[1]);
    }
    if (port_) {
      try {
        const auto health = Get("/api/health");
        if (health.status == 200) return true;
      } catch (const std::exception&) {
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

int HostProcess::Stop(int signal, std::chrono::seconds limit) {
  if (!handle_) return -1;
  if (exit_code_) return *exit_code_;
  ::kill(handle_->id(), signal);
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (!Running()) return *exit_code_;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  ::kill(handle_->id(), SIGKILL);
  ::waitpid(handle_->id(), nullptr, 0);
  exit_code_ = -1;
  return -1;
}

std::string HostProcess::Log() const {
  std::ifstream in(dir_ / "host.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

HttpResult HostProcess::Request(const std::string& method, const std::string& path, const std::string& body,
                                const std::string& token, const std::map<std::string, std::string>& headers) {
  auto all = headers;
  if (!token.empty()) all["Authorization"] = "Bearer " + token;
  return HttpCall(port_, method, path, body, all);
}

std::string HostProcess::Login(const std::string& password) {
  const auto r = Post("/api/auth/login", "{\"password\": \"" + password + "\"}");
  if (r.status != 200) return "";
  return r.Json()->getValue<std::string>("token");
}

}  // namespace tessie::testing
