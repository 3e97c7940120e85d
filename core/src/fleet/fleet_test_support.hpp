#pragma once
// Shared by the fleet unit tests (never by the product): a scripted transport, a hand-moved clock and a
// throw-away SQLite database with the core's tables.
#include <atomic>
#include <deque>
#include <filesystem>
#include <functional>
#include <mutex>
#include <sstream>
#include <vector>

#include "auth.hpp"
#include "fleet/fleet_config.hpp"
#include "fleet/fleet_transport.hpp"
#include "fleet/secret_box.hpp"
#include "fleet/token_store.hpp"
#include "logger.hpp"
#include "storage.hpp"
#include "tessie/sdk/clock.hpp"

namespace tessie::core::fleet::testing {

// Answers requests from a script, in order, and remembers what was sent. Thread-safe.
class ScriptedTransport final : public HttpTransport {
 public:
  // An answer, or (when `answer` is empty) a handler that may throw (e.g. Poco::TimeoutException).
  void Push(HttpAnswer answer) {
    std::lock_guard lock(mutex_);
    script_.push_back([answer](const HttpExchange&) { return answer; });
  }
  void Push(std::function<HttpAnswer(const HttpExchange&)> handler) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(handler));
  }
  HttpAnswer Send(const HttpExchange& request) override {
    std::function<HttpAnswer(const HttpExchange&)> next;
    {
      std::lock_guard lock(mutex_);
      sent_.push_back(request);
      if (script_.empty()) return {500, R"({"error":"nothing scripted"})", {}};
      next = std::move(script_.front());
      script_.pop_front();
    }
    return next(request);
  }
  std::vector<HttpExchange> Sent() const {
    std::lock_guard lock(mutex_);
    return sent_;
  }
  std::size_t Count() const {
    std::lock_guard lock(mutex_);
    return sent_.size();
  }

 private:
  mutable std::mutex mutex_;
  std::deque<std::function<HttpAnswer(const HttpExchange&)>> script_;
  std::vector<HttpExchange> sent_;
};

inline HttpAnswer Json(int status, std::string body, std::map<std::string, std::string> headers = {}) {
  return {status, std::move(body), std::move(headers)};
}

// The tesla section the tests use: no backoff waits, sign-in configured.
inline FleetConfig TestConfig() {
  FleetConfig c;
  c.base_url = "http://fleet.test";
  c.auth_url = "http://auth.test/oauth2/v3/token";
  c.authorize_url = "http://auth.test/oauth2/v3/authorize";
  c.client_id = "tessie-stats";
  c.redirect_uri = "http://localhost/api/auth/callback";
  c.scopes = "openid vehicle_device_data";
  c.backoff_base = std::chrono::milliseconds(0);
  return c;
}

class ManualClock final : public sdk::Clock {
 public:
  explicit ManualClock(std::int64_t now_ms = 1'795'000'000'000) : now_ms_(now_ms) {}
  std::chrono::system_clock::time_point Now() const override {
    return std::chrono::system_clock::time_point(std::chrono::milliseconds(now_ms_.load()));
  }
  std::int64_t NowMs() const { return now_ms_; }
  void Advance(std::chrono::milliseconds by) { now_ms_ += by.count(); }

 private:
  std::atomic<std::int64_t> now_ms_;
};

// A fresh SQLite database with the token vault's tables; `log_text` holds every line logged.
class FleetTestEnv {
 public:
  FleetTestEnv()
      : dir_(std::filesystem::temp_directory_path() / ("tessie-fleet-" + RandomHex(4))),
        log_(log_text_, sdk::LogLevel::kDebug) {
    Open();
  }
  ~FleetTestEnv() {
    tokens_.reset();
    storage_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Closes and reopens the database (a restart).
  void Open() {
    tokens_.reset();
    storage_.reset();
    storage_ = std::make_unique<Storage>("", dir_, 2, log_);
    tokens_ = std::make_unique<TokenStore>(*storage_, SecretBox(std::string(64, 'a')));
    tokens_->Migrate();
  }
  Storage& storage() { return *storage_; }
  TokenStore& tokens() { return *tokens_; }
  LogSink& log() { return log_; }
  std::string LogText() const { return log_text_.str(); }

 private:
  std::filesystem::path dir_;
  std::ostringstream log_text_;
  LogSink log_;
  std::unique_ptr<Storage> storage_;
  std::unique_ptr<TokenStore> tokens_;
};

}  // namespace tessie::core::fleet::testing
