#include "fleet/token_keeper.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "fleet/fleet_test_support.hpp"
#include "tessie/sdk/fleet.hpp"

namespace tessie::core::fleet {
namespace {

using testing::Json;

std::string TokenAnswer(const std::string& access, const std::string& refresh, int expires_in = 28800) {
  return R"({"access_token":")" + access + R"(","refresh_token":")" + refresh + R"(","expires_in":)" +
         std::to_string(expires_in) + "}";
}

class TokenKeeperTest : public ::testing::Test {
 protected:
  std::unique_ptr<TokenKeeper> Keeper(TokenKeeper::RefreshReceivedHook hook = {}) {
    return std::make_unique<TokenKeeper>(
        testing::TestConfig(), env_.tokens(), transport_, env_.log(), [this] { return clock_.NowMs(); },
        std::move(hook));
  }
  std::string Form(std::size_t i) const { return transport_.Sent().at(i).body; }

  testing::FleetTestEnv env_;
  testing::ScriptedTransport transport_;
  testing::ManualClock clock_;
};

TEST_F(TokenKeeperTest, WithoutATokenNothingIsSentAndTheUserIsToldWhatToDo) {
  auto keeper = Keeper();
  EXPECT_FALSE(keeper->Connected());
  try {
    keeper->AccessToken(false);
    FAIL();
  } catch (const sdk::FleetError& e) {
    EXPECT_EQ(e.Kind(), sdk::FleetErrorKind::kNotConnected);
    EXPECT_NE(std::string(e.what()).find("POST /api/auth/token"), std::string::npos);
  }
  EXPECT_EQ(transport_.Count(), 0u);
}

TEST_F(TokenKeeperTest, RefreshesOnceStoresTheRotatedTokenAndReusesTheAccessTokenUntilNearExpiry) {
  auto keeper = Keeper();
  keeper->StoreRefreshToken("refresh-one-secret");
  transport_.Push(Json(200, TokenAnswer("access-one-secret", "refresh-two-secret")));
  EXPECT_EQ(keeper->AccessToken(false), "access-one-secret");
  EXPECT_NE(Form(0).find("grant_type=refresh_token"), std::string::npos);
  EXPECT_NE(Form(0).find("refresh_token=refresh-one-secret"), std::string::npos);
  EXPECT_EQ(env_.tokens().Load().refresh_token, "refresh-two-secret") << "the rotated token is stored";
  clock_.Advance(std::chrono::hours(7));
  EXPECT_EQ(keeper->AccessToken(false), "access-one-secret");
  EXPECT_EQ(transport_.Count(), 1u);
  clock_.Advance(std::chrono::minutes(59));  // within a minute of expiry
  transport_.Push(Json(200, TokenAnswer("access-two-secret", "refresh-three-secret")));
  EXPECT_EQ(keeper->AccessToken(false), "access-two-secret");
  EXPECT_NE(Form(1).find("refresh_token=refresh-two-secret"), std::string::npos);
  EXPECT_TRUE(keeper->Status().connected);
}

TEST_F(TokenKeeperTest, ARestartUsesTheStoredTokensWithoutRefreshing) {
  Keeper()->StoreRefreshToken("refresh-one-secret");
  transport_.Push(Json(200, TokenAnswer("access-one-secret", "refresh-two-secret")));
  Keeper()->AccessToken(false);
  env_.Open();
  EXPECT_EQ(Keeper()->AccessToken(false), "access-one-secret");
  EXPECT_EQ(transport_.Count(), 1u);
}

TEST_F(TokenKeeperTest, TheSeamRunsAfterTheNewTokensArriveAndBeforeTheyAreStored) {
  auto keeper = Keeper([this] {
    EXPECT_EQ(env_.tokens().Load().refresh_token, "refresh-one-secret") << "nothing stored yet";
    throw std::runtime_error("the process dies here");
  });
  keeper->StoreRefreshToken("refresh-one-secret");
  transport_.Push(Json(200, TokenAnswer("access-one-secret", "refresh-two-secret")));
  EXPECT_THROW(keeper->AccessToken(false), std::runtime_error);
  keeper.reset();
  // After the "crash" the old refresh token is still the stored one, so the next start tries it again.
  env_.Open();
  transport_.Push(Json(200, TokenAnswer("access-two-secret", "refresh-three-secret")));
  EXPECT_EQ(Keeper()->AccessToken(false), "access-two-secret");
  EXPECT_NE(Form(1).find("refresh_token=refresh-one-secret"), std::string::npos);
}

TEST_F(TokenKeeperTest, LoginRequiredBreaksTheAccountUntilANewTokenIsStored) {
  auto keeper = Keeper();
  keeper->StoreRefreshToken("refresh-one-secret");
  transport_.Push(Json(401, R"({"error":"login_required"})"));
  EXPECT_THROW(keeper->AccessToken(false), sdk::FleetError);
  EXPECT_FALSE(keeper->Connected());
  EXPECT_TRUE(keeper->Status().broken);
  EXPECT_EQ(keeper->Status().last_error, "login_required");
  EXPECT_THROW(keeper->AccessToken(false), sdk::FleetError);
  EXPECT_EQ(transport_.Count(), 1u) << "a broken account sends nothing";
  EXPECT_TRUE(env_.tokens().Load().broken) << "and stays broken after a restart";
  keeper->StoreRefreshToken("refresh-new-secret");
  EXPECT_TRUE(keeper->Connected());
}

TEST_F(TokenKeeperTest, AServerErrorIsRememberedButDoesNotBreakTheAccount) {
  auto keeper = Keeper();
  keeper->StoreRefreshToken("refresh-one-secret");
  transport_.Push(Json(503, R"({"error":"unavailable"})"));
  try {
    keeper->AccessToken(false);
    FAIL();
  } catch (const sdk::FleetError& e) {
    EXPECT_EQ(e.Kind(), sdk::FleetErrorKind::kServer);
  }
  EXPECT_TRUE(keeper->Connected());
  EXPECT_EQ(keeper->Status().last_error, "unavailable");
}

TEST_F(TokenKeeperTest, ConcurrentCallersShareOneRefresh) {
  auto keeper = Keeper();
  keeper->StoreRefreshToken("refresh-one-secret");
  transport_.Push(Json(200, TokenAnswer("access-one-secret", "refresh-two-secret")));
  std::vector<std::thread> threads;
  std::vector<std::string> seen(6);
  for (int i = 0; i < 6; ++i) threads.emplace_back([&, i] { seen[i] = keeper->AccessToken(false); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(transport_.Count(), 1u);
  for (const auto& s : seen) EXPECT_EQ(s, "access-one-secret");
}

TEST_F(TokenKeeperTest, NoTokenOrClientSecretReachesTheLog) {
  auto e = testing::TestConfig();
  e.client_secret = "client-secret-value";
  auto keeper =
      std::make_unique<TokenKeeper>(e, env_.tokens(), transport_, env_.log(), [this] { return clock_.NowMs(); });
  keeper->StoreRefreshToken("refresh-one-secret");
  transport_.Push(Json(401, R"({"error":"login_required","error_description":"refresh-one-secret is dead"})"));
  try {
    keeper->AccessToken(false);
  } catch (const sdk::FleetError& e) {
    EXPECT_EQ(std::string(e.what()).find("refresh-one-secret"), std::string::npos);
  }
  env_.log().Write(sdk::LogLevel::kWarn, "test", "echo refresh-one-secret client-secret-value");
  EXPECT_EQ(env_.LogText().find("refresh-one-secret"), std::string::npos);
  EXPECT_EQ(env_.LogText().find("client-secret-value"), std::string::npos);
}

TEST_F(TokenKeeperTest, SignInExchangesTheCodeWithItsVerifierOnce) {
  auto keeper = Keeper();
  const auto url = keeper->BeginSignIn();
  EXPECT_NE(url.find("code_challenge_method=S256"), std::string::npos);
  const auto at = url.find("state=") + 6;
  const auto state = url.substr(at, url.find('&', at) - at);
  transport_.Push(Json(200, TokenAnswer("access-one-secret", "refresh-one-secret")));
  keeper->CompleteSignIn("the-code", state);
  EXPECT_NE(Form(0).find("grant_type=authorization_code"), std::string::npos);
  EXPECT_NE(Form(0).find("code_verifier="), std::string::npos);
  EXPECT_EQ(keeper->AccessToken(false), "access-one-secret");
  EXPECT_THROW(keeper->CompleteSignIn("the-code", state), sdk::FleetError) << "a state is good for one exchange";
}

TEST_F(TokenKeeperTest, ARegionSwitchIsStoredAndDisconnectForgetsIt) {
  auto keeper = Keeper();
  keeper->StoreRefreshToken("refresh-one-secret");
  keeper->SetBaseUrl("https://fleet-api.prd.eu.vn.cloud.tesla.com");
  EXPECT_EQ(keeper->BaseUrl(), "https://fleet-api.prd.eu.vn.cloud.tesla.com");
  keeper.reset();
  env_.Open();
  auto restarted = Keeper();
  EXPECT_EQ(restarted->Status().base_url, "https://fleet-api.prd.eu.vn.cloud.tesla.com");
  restarted->Disconnect();
  EXPECT_EQ(restarted->BaseUrl(), "http://fleet.test");
  EXPECT_FALSE(restarted->Connected());
}

}  // namespace
}  // namespace tessie::core::fleet
