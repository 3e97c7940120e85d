#pragma once

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace tessie::sim {

// An OAuth error as the token endpoint answers it: {"error": ..., "error_description": ...}.
struct OAuthError {
  int status = 400;
  std::string error;
  std::string description;
};

struct TokenGrant {
  std::string access_token;   // JWT (HS256)
  std::string refresh_token;  // empty without the offline_access scope
  std::string id_token;
  double expires_in_s = 0;
  std::string state;  // echoed from /authorize on code exchange
};

using TokenResult = std::variant<TokenGrant, OAuthError>;

struct AuthorizeParams {
  std::string response_type;
  std::string client_id;
  std::string redirect_uri;
  std::string scope;  // space-separated
  std::string state;
  std::string code_challenge;
  std::string code_challenge_method;  // S256 or plain
};

struct AccessCheck {
  enum class Result { kOk, kInvalid, kExpired };
  Result result = Result::kInvalid;
  std::vector<std::string> scopes;
  bool HasScope(const std::string& scope) const;
};

// Tesla-style tokens on the simulated clock: access tokens are JWTs with Tesla's claims and a configurable
// lifetime; refresh tokens are region-prefixed, single use and rotating. Each refresh issues a new refresh
// token and invalidates the previous refresh token's access tokens; the most recently used refresh token
// stays usable for 24 h; any other reuse, a token older than 3 months or a revoked grant -> 401 login_required.
// Auth codes are single use, live 10 minutes and check PKCE when /authorize was given a code_challenge.
// Not thread-safe: the owner serialises calls.
class TokenStore {
 public:
  struct Options {
    std::string issuer_base_url;  // the simulator's own URL
    std::string audience;         // the Fleet API base URL (users/region answer)
    std::string region_prefix = "NA";
    std::string user_id;
    std::string client_id;  // the only client_id accepted
    double access_lifetime_s = 28800;
  };

  explicit TokenStore(Options options);

  std::variant<std::string, OAuthError> Authorize(const AuthorizeParams& params, double now_s);
  TokenResult ExchangeCode(const std::string& code, const std::string& client_id, const std::string& redirect_uri,
                           const std::string& code_verifier, double now_s);
  TokenResult Refresh(const std::string& refresh_token, const std::string& client_id, double now_s);
  // A fresh grant without the browser step, for tests.
  TokenGrant IssueGrant(const std::vector<std::string>& scopes, double now_s);
  AccessCheck Verify(const std::string& access_token, double now_s) const;
  // As if the user reset their password: every refresh and access token stops working.
  void RevokeAll();

 private:
  struct Chain {
    std::vector<std::string> scopes;
    int generation = 0;
    double auth_time_s = 0;
    std::string last_used_refresh;
    double last_used_s = 0;
    bool revoked = false;
  };
  struct RefreshRecord {
    size_t chain = 0;
    int generation = 0;
    double issued_s = 0;
  };
  struct CodeRecord {
    AuthorizeParams params;
    double issued_s = 0;
  };
  TokenGrant Issue(size_t chain, double now_s);

  Options options_;
  std::string secret_;
  std::vector<Chain> chains_;
  std::map<std::string, RefreshRecord> refresh_tokens_;
  std::map<std::string, std::pair<size_t, int>> access_tokens_;  // jti -> (chain, generation)
  std::map<std::string, CodeRecord> codes_;
};

}  // namespace tessie::sim
