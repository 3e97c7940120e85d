#pragma once
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace tessie::core {

// "pbkdf2-sha256$ITERATIONS$SALT_HEX$HASH_HEX". The host keeps only this form of the admin password.
std::string HashPassword(const std::string& password, int iterations = 120'000);
bool IsPasswordHash(const std::string& text);
// Constant-time comparison. A malformed hash never matches.
bool VerifyPassword(const std::string& password, const std::string& hash);

// Reads a hex secret from `file`, or creates the file (mode 0600) with `bytes` random bytes.
// Throws std::runtime_error when the file exists but is not a valid key, or cannot be written.
std::string LoadOrCreateHexKey(const std::filesystem::path& file, std::size_t bytes);
std::string RandomHex(std::size_t bytes);

// Issues and checks the HS256 login tokens (Poco::JWT). Thread-safe (immutable after construction).
class TokenIssuer {
 public:
  TokenIssuer(std::string secret, std::chrono::milliseconds ttl) : secret_(std::move(secret)), ttl_(ttl) {}
  std::string Issue(const std::string& subject, std::chrono::system_clock::time_point now) const;
  // The subject of a valid, unexpired token; nullopt for anything else.
  std::optional<std::string> Verify(const std::string& token, std::chrono::system_clock::time_point now) const;
  std::chrono::milliseconds Ttl() const { return ttl_; }

 private:
  std::string secret_;
  std::chrono::milliseconds ttl_;
};

// Slows down password guessing per client address: after `free_attempts` failures each further failure
// doubles a wait (1 s, 2 s, 4 s ... up to 5 min) during which logins are refused. Thread-safe.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LoginThrottle(int free_attempts = 3) : free_attempts_(free_attempts) {}
  // Seconds the client must still wait, or 0.
  int RetryAfterSeconds(const std::string& client, Clock::time_point now) const;
  void Failure(const std::string& client, Clock::time_point now);
  void Success(const std::string& client);

 private:
  struct Entry {
    int failures = 0;
    Clock::time_point blocked_until{};
  };
  int free_attempts_;
  mutable std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace tessie::core
