#include "token_store.h"

#include <Poco/Base64Encoder.h>
#include <Poco/DigestEngine.h>
#include <Poco/JSON/Array.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/RandomStream.h>
#include <Poco/SHA2Engine.h>
#include <Poco/StringTokenizer.h>

#include <algorithm>
#include <sstream>

namespace tessie::sim {
namespace {

constexpr double kRefreshLifetimeS = 90 * 86400.0;
constexpr double kRefreshGraceS = 86400;
constexpr double kCodeLifetimeS = 600;

std::string RandomHex(size_t bytes) {
  Poco::RandomInputStream random;
  std::string raw(bytes, '\0');
  random.read(raw.data(), static_cast<std::streamsize>(bytes));
  return Poco::DigestEngine::digestToHex(Poco::DigestEngine::Digest(raw.begin(), raw.end()));
}

Poco::Timestamp ToTimestamp(double t_s) { return Poco::Timestamp(static_cast<Poco::Timestamp::TimeVal>(t_s * 1e6)); }

std::string PkceS256(const std::string& verifier) {
  Poco::SHA2Engine sha(Poco::SHA2Engine::SHA_256);
  sha.update(verifier);
  const auto& digest = sha.digest();
  std::ostringstream out;
  Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
  encoder.close();
  return out.str();
}

OAuthError LoginRequired() { return {401, "login_required", "Login required"}; }

}  // namespace

bool AccessCheck::HasScope(const std::string& scope) const {
  return std::find(scopes.begin(), scopes.end(), scope) != scopes.end();
}

TokenStore::TokenStore(Options options) : options_(std::move(options)), secret_(RandomHex(32)) {}

std::variant<std::string, OAuthError> TokenStore::Authorize(const AuthorizeParams& params, double now_s) {
  if (params.response_type != "code") return OAuthError{400, "unsupported_response_type", "response_type must be code"};
  if (params.client_id != options_.client_id) {
    return OAuthError{401, "unauthorized_client", "We don't recognize this client_id"};
  }
  if (params.redirect_uri.empty()) return OAuthError{400, "invalid_redirect_url", "redirect_uri is required"};
  if (params.scope.find("openid") == std::string::npos)
    return OAuthError{400, "invalid_scope", "scope must include openid"};
  if (!params.code_challenge.empty() && params.code_challenge_method != "S256" &&
      params.code_challenge_method != "plain") {
    return OAuthError{400, "invalid_request", "code_challenge_method must be S256 or plain"};
  }
  const std::string code = options_.region_prefix + "_" + RandomHex(24);
  codes_[code] = {params, now_s};
  return code;
}

TokenResult TokenStore::ExchangeCode(const std::string& code, const std::string& client_id,
                                     const std::string& redirect_uri, const std::string& code_verifier, double now_s) {
  const auto it = codes_.find(code);
  if (it == codes_.end() || now_s > it->second.issued_s + kCodeLifetimeS) {
    return OAuthError{400, "invalid_auth_code", "The authorization code is invalid, used or expired"};
  }
  const CodeRecord record = it->second;
  codes_.erase(it);
  if (client_id != record.params.client_id)
    return OAuthError{401, "unauthorized_client", "client_id does not match the code"};
  if (redirect_uri != record.params.redirect_uri) {
    return OAuthError{400, "invalid_redirect_url", "redirect_uri does not match the authorize request"};
  }
  if (!record.params.code_challenge.empty()) {
    const std::string expected =
        record.params.code_challenge_method == "plain" ? code_verifier : PkceS256(code_verifier);
    if (code_verifier.empty() || expected != record.params.code_challenge) {
      return OAuthError{400, "invalid_grant", "code_verifier does not match the code_challenge"};
    }
  }
  std::vector<std::string> scopes;
  for (const auto& scope : Poco::StringTokenizer(record.params.scope, " ", Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
    scopes.push_back(scope);
  }
  chains_.push_back({scopes, 0, now_s, "", 0, false});
  TokenGrant grant = Issue(chains_.size() - 1, now_s);
  grant.state = record.params.state;
  return grant;
}

TokenResult TokenStore::Refresh(const std::string& refresh_token, const std::string& client_id, double now_s) {
  if (client_id != options_.client_id)
    return OAuthError{401, "unauthorized_client", "We don't recognize this client_id"};
  const auto it = refresh_tokens_.find(refresh_token);
  if (it == refresh_tokens_.end() || now_s > it->second.issued_s + kRefreshLifetimeS) return LoginRequired();
  Chain& chain = chains_[it->second.chain];
  const bool unused = it->second.generation == chain.generation;
  const bool in_grace = refresh_token == chain.last_used_refresh && now_s <= chain.last_used_s + kRefreshGraceS;
  if (chain.revoked || (!unused && !in_grace)) return LoginRequired();
  if (unused) {
    chain.last_used_refresh = refresh_token;
    chain.last_used_s = now_s;
  }
  ++chain.generation;
  return Issue(it->second.chain, now_s);
}

TokenGrant TokenStore::IssueGrant(const std::vector<std::string>& scopes, double now_s) {
  chains_.push_back({scopes, 0, now_s, "", 0, false});
  return Issue(chains_.size() - 1, now_s);
}

TokenGrant TokenStore::Issue(size_t chain_index, double now_s) {
  const Chain& chain = chains_[chain_index];
  Poco::JWT::Signer signer(secret_);
  Poco::JWT::Token access;
  access.setType("JWT");
  access.setIssuer(options_.issuer_base_url + "/oauth2/v3/nts");
  access.setSubject(options_.user_id);
  access.setAudience(std::vector<std::string>{options_.audience, options_.issuer_base_url + "/oauth2/v3/userinfo"});
  access.setIssuedAt(ToTimestamp(now_s));
  access.setExpiration(ToTimestamp(now_s + options_.access_lifetime_s));
  const std::string jti = RandomHex(16);
  access.setId(jti);
  Poco::JSON::Array::Ptr scp = new Poco::JSON::Array;
  for (const auto& scope : chain.scopes) scp->add(scope);
  Poco::JSON::Array::Ptr amr = new Poco::JSON::Array;
  for (const char* method : {"pwd", "mfa", "otp"}) amr->add(std::string(method));
  access.payload().set("azp", options_.client_id);
  access.payload().set("scp", scp);
  access.payload().set("amr", amr);
  access.payload().set("auth_time", static_cast<Poco::Int64>(chain.auth_time_s));
  access.payload().set("ou_code", options_.region_prefix);
  access.payload().set("locale", std::string("en-US"));
  access_tokens_[jti] = {chain_index, chain.generation};

  Poco::JWT::Token id;
  id.setType("JWT");
  id.setIssuer(options_.issuer_base_url + "/oauth2/v3");
  id.setSubject(options_.user_id);
  id.setAudience(options_.client_id);
  id.setIssuedAt(ToTimestamp(now_s));
  id.setExpiration(ToTimestamp(now_s + options_.access_lifetime_s));

  TokenGrant grant;
  grant.access_token = signer.sign(access, Poco::JWT::Signer::ALGO_HS256);
  grant.id_token = signer.sign(id, Poco::JWT::Signer::ALGO_HS256);
  grant.expires_in_s = options_.access_lifetime_s;
  if (std::find(chain.scopes.begin(), chain.scopes.end(), "offline_access") != chain.scopes.end()) {
    grant.refresh_token = options_.region_prefix + "_" + RandomHex(32);
    refresh_tokens_[grant.refresh_token] = {chain_index, chain.generation, now_s};
  }
  return grant;
}

AccessCheck TokenStore::Verify(const std::string& access_token, double now_s) const {
  AccessCheck check;
  Poco::JWT::Token token;
  try {
    if (!Poco::JWT::Signer(secret_).tryVerify(access_token, token)) return check;
  } catch (const Poco::Exception&) {  // not a JWT at all
    return check;
  }
  const auto it = access_tokens_.find(token.getId());
  if (it == access_tokens_.end()) return check;
  const Chain& chain = chains_[it->second.first];
  if (chain.revoked || chain.generation != it->second.second) return check;
  if (token.getExpiration() <= ToTimestamp(now_s)) {
    check.result = AccessCheck::Result::kExpired;
    return check;
  }
  check.result = AccessCheck::Result::kOk;
  check.scopes = chain.scopes;
  return check;
}

void TokenStore::RevokeAll() {
  for (Chain& chain : chains_) chain.revoked = true;
}

}  // namespace tessie::sim
