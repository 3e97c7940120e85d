#include "token_store.h"

#include <gtest/gtest.h>

#include <Poco/Base64Encoder.h>
#include <Poco/JWT/Token.h>
#include <Poco/SHA2Engine.h>

#include <sstream>

namespace tessie::sim {
namespace {

constexpr double kNow = 1780272000;
const std::vector<std::string> kScopes = {"openid", "offline_access", "vehicle_device_data"};

TokenStore Store() { return TokenStore({"http://sim.test", "http://sim.test", "NA", "user-1", "client-1", 28800}); }

const TokenGrant& Grant(const TokenResult& result) {
  if (const auto* error = std::get_if<OAuthError>(&result)) ADD_FAILURE() << error->error << ": " << error->description;
  return std::get<TokenGrant>(result);
}

std::string ErrorOf(const TokenResult& result) {
  const auto* error = std::get_if<OAuthError>(&result);
  return error ? error->error : "none";
}

TEST(TokenStoreTest, AccessTokenIsAJwtWithTeslaClaims) {
  TokenStore store = Store();
  const TokenGrant grant = store.IssueGrant(kScopes, kNow);
  EXPECT_EQ(grant.expires_in_s, 28800);
  EXPECT_EQ(grant.refresh_token.rfind("NA_", 0), 0u);
  const Poco::JWT::Token token(grant.access_token);
  EXPECT_EQ(token.getSubject(), "user-1");
  EXPECT_EQ(token.payload().getValue<std::string>("ou_code"), "NA");
  EXPECT_EQ(token.payload().getArray("scp")->size(), 3u);
  EXPECT_EQ(token.getExpiration().epochTime(), static_cast<std::time_t>(kNow + 28800));
  EXPECT_EQ(store.Verify(grant.access_token, kNow + 100).result, AccessCheck::Result::kOk);
  EXPECT_EQ(store.Verify(grant.access_token, kNow + 28800).result, AccessCheck::Result::kExpired);
  EXPECT_EQ(store.Verify(grant.access_token + "x", kNow).result, AccessCheck::Result::kInvalid);
}

TEST(TokenStoreTest, RefreshTokensRotateAndAreSingleUse) {
  TokenStore store = Store();
  const TokenGrant first = store.IssueGrant(kScopes, kNow);
  const TokenGrant second = Grant(store.Refresh(first.refresh_token, "client-1", kNow + 60));
  EXPECT_NE(second.refresh_token, first.refresh_token);
  // The refresh invalidated the previous refresh token's access tokens.
  EXPECT_EQ(store.Verify(first.access_token, kNow + 61).result, AccessCheck::Result::kInvalid);
  EXPECT_EQ(store.Verify(second.access_token, kNow + 61).result, AccessCheck::Result::kOk);
  const TokenGrant third = Grant(store.Refresh(second.refresh_token, "client-1", kNow + 120));
  // first is neither unused nor the most recently used one any more.
  EXPECT_EQ(ErrorOf(store.Refresh(first.refresh_token, "client-1", kNow + 180)), "login_required");
  EXPECT_EQ(ErrorOf(store.Refresh("NA_unknown", "client-1", kNow)), "login_required");
  EXPECT_EQ(ErrorOf(store.Refresh(third.refresh_token, "other-client", kNow)), "unauthorized_client");
}

TEST(TokenStoreTest, MostRecentlyUsedRefreshTokenWorksFor24Hours) {
  TokenStore store = Store();
  const TokenGrant first = store.IssueGrant(kScopes, kNow);
  const TokenGrant lost = Grant(store.Refresh(first.refresh_token, "client-1", kNow));  // the app failed to save it
  const TokenGrant again = Grant(store.Refresh(first.refresh_token, "client-1", kNow + 3600));
  EXPECT_EQ(store.Verify(lost.access_token, kNow + 3601).result, AccessCheck::Result::kInvalid);
  EXPECT_EQ(ErrorOf(store.Refresh(lost.refresh_token, "client-1", kNow + 3602)), "login_required");
  EXPECT_EQ(ErrorOf(store.Refresh(first.refresh_token, "client-1", kNow + 86401)), "login_required");
  Grant(store.Refresh(again.refresh_token, "client-1", kNow + 86402));
}

TEST(TokenStoreTest, RevokeAllRequiresANewLogin) {
  TokenStore store = Store();
  const TokenGrant grant = store.IssueGrant(kScopes, kNow);
  store.RevokeAll();
  EXPECT_EQ(store.Verify(grant.access_token, kNow).result, AccessCheck::Result::kInvalid);
  EXPECT_EQ(ErrorOf(store.Refresh(grant.refresh_token, "client-1", kNow)), "login_required");
}

TEST(TokenStoreTest, AuthorizationCodeWithPkce) {
  TokenStore store = Store();
  const std::string verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
  const std::string challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";  // RFC 7636 appendix B
  AuthorizeParams params{
      "code", "client-1", "https://app.test/cb", "openid offline_access vehicle_device_data", "xyz", challenge, "S256"};
  const auto code = std::get<std::string>(store.Authorize(params, kNow));
  EXPECT_EQ(code.rfind("NA_", 0), 0u);
  EXPECT_EQ(ErrorOf(store.ExchangeCode(code, "client-1", "https://app.test/cb", "wrong", kNow)), "invalid_grant");
  // A failed exchange used the code up.
  EXPECT_EQ(ErrorOf(store.ExchangeCode(code, "client-1", "https://app.test/cb", verifier, kNow)), "invalid_auth_code");

  const auto code2 = std::get<std::string>(store.Authorize(params, kNow));
  const TokenGrant grant = Grant(store.ExchangeCode(code2, "client-1", "https://app.test/cb", verifier, kNow + 10));
  EXPECT_EQ(grant.state, "xyz");
  EXPECT_FALSE(grant.refresh_token.empty());
  EXPECT_EQ(store.Verify(grant.access_token, kNow + 20).result, AccessCheck::Result::kOk);

  const auto late = std::get<std::string>(store.Authorize(params, kNow));
  EXPECT_EQ(ErrorOf(store.ExchangeCode(late, "client-1", "https://app.test/cb", verifier, kNow + 601)),
            "invalid_auth_code");
  params.client_id = "nobody";
  EXPECT_TRUE(std::holds_alternative<OAuthError>(store.Authorize(params, kNow)));
}

}  // namespace
}  // namespace tessie::sim
