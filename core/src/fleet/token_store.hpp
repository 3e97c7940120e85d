#pragma once
#include <cstdint>
#include <optional>
#include <string>

#include "fleet/secret_box.hpp"
#include "storage.hpp"

namespace tessie::core::fleet {

// The Tesla tokens at rest: one row in the core table tesla_auth, refresh and access token sealed with
// AES-256-GCM. Every write is one transaction, so a crash leaves either the old or the new tokens.
// Thread-safe (the database serialises).
class TokenStore {
 public:
  struct State {
    bool has_token = false;
    std::string refresh_token;
    std::string access_token;
    std::int64_t access_expires_ms = 0;
    std::string base_url;  // after a 421 redirect; "" = the configured one
    std::int64_t last_refresh_ms = 0;
    std::int64_t updated_ms = 0;
    bool broken = false;  // login_required: stop calling until a new token is stored
    std::string last_error;
  };

  TokenStore(Storage& storage, SecretBox box);
  // Creates the core's tables (idempotent migrations under owner "core").
  void Migrate();
  // Throws SecretBoxError when the stored tokens cannot be decrypted with this key.
  State Load() const;
  // A token from the user (POST /api/auth/token or the sign-in callback): replaces everything, clears
  // the broken mark and the access token unless one is given.
  void StoreNew(const std::string& refresh_token, const std::string& access_token, std::int64_t access_expires_ms,
                std::int64_t now_ms);
  // After a successful refresh: the rotated refresh token and its access token, in one transaction.
  void StoreRefreshed(const std::string& refresh_token, const std::string& access_token, std::int64_t access_expires_ms,
                      std::int64_t now_ms);
  void MarkBroken(const std::string& error, std::int64_t now_ms);
  void SetLastError(const std::string& error);
  void SetBaseUrl(const std::string& base_url);
  void Clear();

 private:
  Storage& storage_;
  SecretBox box_;
};

}  // namespace tessie::core::fleet
