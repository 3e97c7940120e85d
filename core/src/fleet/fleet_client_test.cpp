#include "fleet/fleet_client.hpp"

#include <Poco/Exception.h>
#include <gtest/gtest.h>

#include "fleet/fleet_test_support.hpp"

namespace tessie::core::fleet {
namespace {

using testing::Json;

const std::string kTokenAnswer =
    R"({"access_token":"access-one-secret","refresh_token":"refresh-two-secret","expires_in":28800})";
const std::string kVehicleData = R"({"response":{"id":1001,"vehicle_id":77,"vin":"5YJ3E1EA7KF000001","state":"online",)"
                                 R"("charge_state":{"battery_level":81,"timestamp":1795000000000}}})";

class FleetClientTest : public ::testing::Test {
 protected:
  // A connected client whose first request is the token refresh (already answered).
  std::unique_ptr<FleetClient> Client(TokenKeeper::RefreshReceivedHook hook = {}) {
    auto config = testing::TestConfig();
    config.daily_budget_usd = budget_usd_;
    auto scripted = std::make_unique<testing::ScriptedTransport>();
    transport_ = scripted.get();
    FleetSeams seams;
    seams.transport = std::move(scripted);
    seams.on_refresh_received = std::move(hook);
    auto client =
        std::make_unique<FleetClient>(config, env_.tokens(), env_.storage(), env_.log(), clock_, std::move(seams));
    client->StoreRefreshToken("refresh-one-secret");
    transport_->Push(Json(200, kTokenAnswer));
    return client;
  }
  std::size_t ApiRequests() const {
    std::size_t n = 0;
    for (const auto& r : transport_->Sent()) n += r.url.find("/oauth2/") == std::string::npos;
    return n;
  }
  sdk::FleetErrorKind KindOf(const std::function<void()>& f) {
    try {
      f();
    } catch (const sdk::FleetError& e) {
      return e.Kind();
    }
    ADD_FAILURE() << "no FleetError";
    return sdk::FleetErrorKind::kOther;
  }

  testing::FleetTestEnv env_;
  testing::ManualClock clock_;
  testing::ScriptedTransport* transport_ = nullptr;
  double budget_usd_ = 0.01;  // 5 data requests
};

TEST_F(FleetClientTest, VehicleDataIsFetchedOnceWithinTheCacheTtlAndCountedOnce) {
  auto client = Client();
  transport_->Push(Json(200, kVehicleData));
  const auto first = client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation);
  const auto second = client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation);
  EXPECT_EQ(first.battery_level, 81);
  EXPECT_EQ(second.battery_level, 81);
  EXPECT_EQ(ApiRequests(), 1u);
  EXPECT_EQ(client->UsageOn(UtcDay(clock_.NowMs())).at(0).billable.at(BillingCategory::kData), 1);
  EXPECT_EQ(transport_->Sent().back().bearer_token, "access-one-secret");
  clock_.Advance(std::chrono::seconds(61));
  transport_->Push(Json(200, kVehicleData));
  client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation);
  EXPECT_EQ(ApiRequests(), 2u) << "expired";
}

TEST_F(FleetClientTest, AMalformedAnswerIsLoggedAndNotReused) {
  auto client = Client();
  transport_->Push(Json(200, "<html>not json</html>"));
  EXPECT_EQ(KindOf([&] { client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation); }),
            sdk::FleetErrorKind::kMalformed);
  EXPECT_NE(env_.LogText().find("malformed vehicle_data response skipped"), std::string::npos);
  transport_->Push(Json(200, kVehicleData));
  EXPECT_EQ(client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation).battery_level, 81);
  EXPECT_EQ(ApiRequests(), 2u);
}

TEST_F(FleetClientTest, A429HoldsThatVehicleAndCategoryUntilRetryAfterWithoutSending) {
  auto client = Client();
  transport_->Push(Json(429, R"({"error":"too many requests"})", {{"retry-after", "30"}}));
  EXPECT_EQ(KindOf([&] { client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation); }),
            sdk::FleetErrorKind::kRateLimited);
  clock_.Advance(std::chrono::seconds(29));
  EXPECT_EQ(KindOf([&] { client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation); }),
            sdk::FleetErrorKind::kRateLimited);
  EXPECT_EQ(ApiRequests(), 1u) << "held: nothing sent";
  EXPECT_EQ(client->Targets().at(0).hold_until_ms, clock_.NowMs() + 1000);
  transport_->Push(Json(200, R"({"response":{"id":1001,"state":"online"}})"));
  client->GetVehicle(1001);  // another category (free) was never held
  clock_.Advance(std::chrono::seconds(1));
  transport_->Push(Json(200, kVehicleData));
  EXPECT_EQ(client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation).battery_level, 81);
}

TEST_F(FleetClientTest, TheLastRequestOfARateLimitWindowHoldsTheNext) {
  auto client = Client();
  transport_->Push(Json(200, kVehicleData, {{"ratelimit-remaining", "0"}, {"ratelimit-reset", "20"}}));
  EXPECT_EQ(client->GetVehicleData(1001, sdk::VehicleDataScope::kWithLocation).battery_level, 81);
  EXPECT_EQ(KindOf([&] { client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation); }),
            sdk::FleetErrorKind::kRateLimited);
  EXPECT_EQ(ApiRequests(), 1u);
}

TEST_F(FleetClientTest, A401RefreshesTheTokenOnceAndRetries) {
  auto client = Client();
  transport_->Push(Json(401, R"({"error":"invalid_token"})"));
  transport_->Push(
      Json(200, R"({"access_token":"access-two-secret","refresh_token":"refresh-three-secret","expires_in":28800})"));
  transport_->Push(Json(200, kVehicleData));
  EXPECT_EQ(client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation).battery_level, 81);
  EXPECT_EQ(transport_->Sent().back().bearer_token, "access-two-secret");
  transport_->Push(Json(401, R"({"error":"invalid_token"})"));
  transport_->Push(
      Json(200, R"({"access_token":"access-3-secret","refresh_token":"refresh-4-secret","expires_in":28800})"));
  transport_->Push(Json(401, R"({"error":"invalid_token"})"));
  EXPECT_EQ(KindOf([&] { client->GetVehicle(1001); }), sdk::FleetErrorKind::kUnauthorized) << "only once";
}

TEST_F(FleetClientTest, ServerErrorsAndTimeoutsAreRetriedOnReadsButAWakeIsSentOnce) {
  budget_usd_ = 1;  // room for a wake
  auto client = Client();
  transport_->Push(Json(503, R"({"error":"unavailable"})"));
  transport_->Push([](const HttpExchange&) -> HttpAnswer { throw Poco::TimeoutException("slow"); });
  transport_->Push(Json(200, kVehicleData));
  EXPECT_EQ(client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation).battery_level, 81);
  EXPECT_EQ(ApiRequests(), 3u);
  transport_->Push(Json(503, R"({"error":"unavailable"})"));
  EXPECT_EQ(KindOf([&] { client->WakeUp(1001); }), sdk::FleetErrorKind::kServer);
  EXPECT_EQ(ApiRequests(), 4u);
  const auto usage = client->UsageOn(UtcDay(clock_.NowMs()));
  std::int64_t free = 0;
  for (const auto& u : usage) free += u.free_responses;
  EXPECT_EQ(free, 3) << "5xx and no answer are not billed";
}

TEST_F(FleetClientTest, TheBudgetStopsBilledRequestsBeforeTheyAreSent) {
  auto client = Client();
  for (int i = 0; i < 5; ++i) {
    transport_->Push(Json(200, kVehicleData));
    client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation);
    clock_.Advance(std::chrono::seconds(61));
  }
  EXPECT_FALSE(client->WithinBudget(1001));
  EXPECT_EQ(KindOf([&] { client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation); }),
            sdk::FleetErrorKind::kBudget);
  EXPECT_EQ(ApiRequests(), 5u);
}

TEST_F(FleetClientTest, A421MovesTheAccountToTheRegionTheBodyNamesOnce) {
  auto client = Client();
  transport_->Push(
      Json(421, R"({"error":"user out of region, use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com"})"));
  transport_->Push(Json(200, R"({"response":{"id":1001,"state":"online"}})"));
  client->GetVehicle(1001);
  EXPECT_EQ(transport_->Sent().back().url, "https://fleet-api.prd.eu.vn.cloud.tesla.com/api/1/vehicles/1001");
  EXPECT_EQ(client->Status().base_url, "https://fleet-api.prd.eu.vn.cloud.tesla.com");
}

TEST_F(FleetClientTest, ANewRefreshTokenLiftsHoldsAndForgetsCachedAnswers) {
  auto client = Client();
  transport_->Push(Json(200, kVehicleData));
  client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation);
  transport_->Push(Json(429, "{}", {{"retry-after", "300"}}));
  EXPECT_EQ(KindOf([&] { client->GetVehicle(1001); }), sdk::FleetErrorKind::kRateLimited);
  client->StoreRefreshToken("refresh-new-secret");
  transport_->Push(Json(200, kTokenAnswer));
  transport_->Push(Json(200, R"({"response":{"id":1001,"state":"online"}})"));
  client->GetVehicle(1001);
  transport_->Push(Json(200, kVehicleData));
  client->GetVehicleData(1001, sdk::VehicleDataScope::kWithoutLocation);
  EXPECT_EQ(ApiRequests(), 4u);
}

TEST_F(FleetClientTest, TheRefreshSeamIsInstalledThroughTheConstructor) {
  int calls = 0;
  auto client = Client([&] { ++calls; });
  transport_->Push(Json(200, R"({"response":[]})"));
  client->GetProducts();
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace tessie::core::fleet
