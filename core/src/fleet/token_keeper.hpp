#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "fleet/fleet_config.hpp"
#include "fleet/fleet_transport.hpp"
#include "fleet/token_store.hpp"
#include "logger.hpp"

namespace tessie::core::fleet {

// What /api/auth/status shows. Never holds a token.
struct AuthStatus {
  bool connected = false;
  bool broken = false;
  std::vector<std::string> scopes;
  std::int64_t access_expires_ms = 0;
  std::string region;
  std::string base_url;
  std::int64_t last_refresh_ms = 0;
  std::string last_error;
};

// The Tesla account's tokens: loaded from the vault at start, the access token refreshed when it is within
// a minute of expiry (single-flight: concurrent callers share one refresh), the rotated refresh token stored
// before the new access token is used, login_required marking the account broken until a new token is
// stored, and Sign in with Tesla (PKCE S256). Every token it sees joins the log mask before anything could
// print it; no error it throws names a token. Thread-safe.
class TokenKeeper {
 public:
  // Called after a refresh answered with new tokens and before they are stored: the seam through which a
  // test stops the process at the worst moment. Not set in production.
  using RefreshReceivedHook = std::function<void()>;

  // Uses the config's token and sign-in endpoints, client, scopes, region and base URL. Throws
  // SecretBoxError when the stored tokens cannot be decrypted (the host reports it). `now_ms` is the host clock (the
  // simulator's in demo/test mode), which token expiry follows.
  TokenKeeper(FleetConfig config, TokenStore& store, HttpTransport& transport, LogSink& log,
              std::function<std::int64_t()> now_ms, RefreshReceivedHook on_refresh_received = {});

  // A valid access token, refreshed first when it is about to expire or `force_refresh` (after a 401).
  // Throws sdk::FleetError kNotConnected without a usable refresh token.
  std::string AccessToken(bool force_refresh);
  bool Connected() const;
  // The Fleet API base URL: the stored region redirect, else the configured one.
  std::string BaseUrl() const;
  // Switches (and stores) the base URL after a region redirect.
  void SetBaseUrl(const std::string& base_url);

  void StoreRefreshToken(const std::string& refresh_token);
  void Disconnect();
  AuthStatus Status() const;
  bool SignInConfigured() const { return !config_.client_id.empty() && !config_.redirect_uri.empty(); }
  // The authorize URL (with state and PKCE challenge), and the exchange of the code it sends back.
  std::string BeginSignIn();
  void CompleteSignIn(const std::string& code, const std::string& state);

 private:
  // Posts a grant to the token endpoint and stores the result; caller holds refresh_mutex_.
  void ExchangeToken(const std::string& form, bool is_refresh);
  // A refused grant: remembers why (and marks the account broken when the refresh token is dead); throws.
  [[noreturn]] void Refused(const HttpAnswer& answer, bool is_refresh);

  const FleetConfig config_;
  TokenStore& store_;
  HttpTransport& transport_;
  LogSink& log_;
  ComponentLogger logger_;
  const std::function<std::int64_t()> now_ms_;
  const RefreshReceivedHook on_refresh_received_;

  mutable std::mutex mutex_;  // guards the fields below
  std::string access_token_;
  std::int64_t access_expires_ms_ = 0;
  std::string refresh_token_;
  bool has_token_ = false;
  bool broken_ = false;
  std::string base_url_override_;
  std::int64_t last_refresh_ms_ = 0;
  std::string last_error_;
  std::uint64_t generation_ = 0;                                          // bumped by every token change
  std::map<std::string, std::pair<std::string, std::int64_t>> sign_ins_;  // state → (verifier, expires)

  std::mutex refresh_mutex_;  // single-flight refresh; taken before mutex_
};

// application/x-www-form-urlencoded.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

}  // namespace tessie::core::fleet
