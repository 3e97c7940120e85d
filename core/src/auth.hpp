#pragma once
#include <chrono>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>

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

// Revoked login token ids (POST /api/auth/logout), each kept until its token would have expired anyway.
// With a file, the list survives a restart: it is rewritten (mode 0600, temp file + rename) on every
// revocation and read at construction; expired ids are dropped then. Thread-safe: Contains runs on every
// authenticated request and takes a shared lock; Revoke is rare and takes the exclusive one.
class RevokedTokens {
 public:
  // An empty `file` keeps the list in memory only. Throws std::runtime_error when the file exists but
  // cannot be read. Lines that do not parse are dropped.
  explicit RevokedTokens(std::filesystem::path file = {}, std::int64_t now_s = 0);
  // Throws std::runtime_error when the file cannot be written (the id is then still revoked in memory).
  void Revoke(const std::string& id, std::int64_t expires_s, std::int64_t now_s);
  bool Contains(const std::string& id) const;
  std::size_t Size() const;

 private:
  void PruneLocked(std::int64_t now_s);
  void SaveLocked() const;

  std::filesystem::path file_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::int64_t> expires_s_;  // id → exp (epoch seconds)
};

class HmacKey;  // auth.cpp

// The claims of a valid login token.
struct TokenClaims {
  std::string subject;
  std::string id;  // jti
  std::int64_t issued_s = 0;
  std::int64_t expires_s = 0;
};

// Issues and checks the HS256 login tokens (compact JWS, RFC 7515/7519), with OpenSSL's one-shot HMAC and no
// per-call crypto objects (Poco::JWT's per-call DigestEngine broke OpenSSL's init refcount under load).
// Thread-safe: the key and settings are immutable after construction; a cache of verified tokens is guarded.
//
// The signing key is HMAC-SHA256(secret, "tessie-stats token key v1\n" + key_epoch). The host passes the admin
// password (its stored hash, or the configured plain text) as `key_epoch`, so changing the password changes the
// key and every token issued before stops verifying. An empty `key_epoch` signs with `secret` itself (the
// format Poco::JWT::Signer(secret) produces and checks).
class TokenIssuer {
 public:
  static constexpr const char* kIssuer = "tessie-stats";
  static constexpr const char* kSubject = "admin";  // the only user

  TokenIssuer(std::string secret, std::chrono::milliseconds ttl, const std::string& key_epoch = {},
              const RevokedTokens* revoked = nullptr);
  std::string Issue(const std::string& subject, std::chrono::system_clock::time_point now) const;
  // The subject of a valid, unexpired, unrevoked token; nullopt for anything else.
  std::optional<std::string> Verify(const std::string& token, std::chrono::system_clock::time_point now) const;
  // The same checks, with the claims: header {"alg":"HS256"} (typ JWT if present, no crit), a signature
  // compared in constant time, iss kIssuer, sub kSubject, a jti, exp after `now`, nbf (if present) not after
  // `now`, iat present, not in the future (60 s of clock skew) and not before exp minus the TTL.
  std::optional<TokenClaims> VerifyClaims(const std::string& token, std::chrono::system_clock::time_point now) const;
  std::chrono::milliseconds Ttl() const { return ttl_; }

 private:
  std::string key_;
  std::shared_ptr<const HmacKey> mac_;  // key_, keyed once
  std::chrono::milliseconds ttl_;
  const RevokedTokens* revoked_;
  // Tokens that passed every check, by their text: a client sends the same token with every request, and
  // a repeat is then checked only for expiry, nbf and revocation. Bounded (emptied when full).
  struct VerifiedToken {
    TokenClaims claims;
    std::int64_t not_before_s = 0;
  };
  static constexpr std::size_t kMaxVerified = 256;
  mutable std::shared_mutex verified_mutex_;
  mutable std::unordered_map<std::string, VerifiedToken> verified_;
};

// Slows down password guessing (a PBKDF2 check costs ~50 ms of CPU):
// - per client (an IPv4 address, or the /64 of an IPv6 address, which one subscriber usually holds whole):
//   after `free_attempts` failures each further failure doubles a wait (1 s, 2 s, 4 s ... up to 5 min) during
//   which logins are refused;
// - for everyone together: at most `global_per_minute` password checks in any 60 s.
// Reserve counts an attempt before the password is checked (check and count in one step under one lock), so
// parallel requests cannot slip past the limit; the caller then reports Success, Failure or Cancel exactly once.
// Thread-safe.
class LoginThrottle {
 public:
  using Clock = std::chrono::steady_clock;
  explicit LoginThrottle(int free_attempts = 3, int global_per_minute = 30)
      : free_attempts_(free_attempts), global_per_minute_(global_per_minute) {}

  // 0 when the attempt may go ahead (and is now counted), else the seconds to wait (nothing counted).
  int Reserve(const std::string& client, Clock::time_point now);
  void Failure(const std::string& client, Clock::time_point now);
  void Success(const std::string& client);
  void Cancel(const std::string& client);  // the reserved attempt never checked a password

  // The key a client address is throttled under: IPv4 as is, IPv4-mapped IPv6 as the IPv4 address, other
  // IPv6 addresses as their /64 ("2001:db8:1:2::/64"); anything else unchanged.
  static std::string ClientKey(const std::string& address);

 private:
  struct Entry {
    int failures = 0;
    int in_flight = 0;
    Clock::time_point blocked_until{};
  };
  int free_attempts_;
  int global_per_minute_;
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
  std::deque<Clock::time_point> recent_checks_;  // password checks in the last 60 s, oldest first
};

}  // namespace tessie::core
