#include "simulator.h"

#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>
#include <Poco/URI.h>

#include <cmath>

#include "test_support.h"

namespace tessie::sim {
namespace {

using testing::kCommuterVin;
using testing::ParseObject;
using testing::SimFixture;

const std::string kCommuterData = std::string("/api/1/vehicles/") + kCommuterVin + "/vehicle_data";
const std::string kWake = std::string("/api/1/vehicles/") + kCommuterVin + "/wake_up";

std::string Header(const HttpResponse& response, const std::string& name) {
  for (const auto& [key, value] : response.headers) {
    if (key == name) return value;
  }
  return "";
}

TEST(SimulatorTest, RequiresAValidBearerToken) {
  SimFixture sim;
  const HttpResponse none = sim.Call("GET", "/api/1/products");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(ParseObject(none.body)->getValue<std::string>("error"), "invalid bearer token");
  sim.Call("POST", "/sim/clock", {}, R"({"advance_s": 28800})");
  const HttpResponse expired = sim.Api("/api/1/products");
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(ParseObject(expired.body)->getValue<std::string>("error"), "token expired (401)");
}

TEST(SimulatorTest, MissingScopeIs403) {
  SimFixture sim;
  const auto grant =
      ParseObject(sim.Call("POST", "/sim/tokens", {}, R"({"scopes":["openid","vehicle_device_data"]})").body);
  const HttpResponse response =
      sim.Call("GET", "/api/1/energy_sites/123456/live_status", {}, "", grant->getValue<std::string>("access_token"));
  EXPECT_EQ(response.status, 403);
  EXPECT_EQ(ParseObject(response.body)->getValue<std::string>("error"), "Unauthorized missing scopes");
}

TEST(SimulatorTest, AsleepCarAnswers408UntilWokenAndIsBilledForIt) {
  SimFixture sim;
  sim.AdvanceTo("2026-06-01T03:00:00Z");  // parked since 00:00, idle 15 min -> asleep
  EXPECT_EQ(ParseObject(sim.Api(std::string("/api/1/vehicles/") + kCommuterVin).body)
                ->getObject("response")
                ->getValue<std::string>("state"),
            "asleep");
  const HttpResponse asleep = sim.Api(kCommuterData);
  EXPECT_EQ(asleep.status, 408);
  EXPECT_EQ(ParseObject(asleep.body)->getValue<std::string>("error"),
            "vehicle unavailable: vehicle is offline or asleep");

  const HttpResponse wake = sim.Call("POST", kWake, {}, "", sim.AccessToken());
  EXPECT_EQ(wake.status, 200);
  EXPECT_EQ(ParseObject(wake.body)->getObject("response")->getValue<std::string>("state"), "asleep");
  sim.Call("POST", "/sim/clock", {}, R"({"advance_s": 15})");
  EXPECT_EQ(sim.Api(kCommuterData).status, 200);

  const auto billing = ParseObject(sim.Call("GET", "/sim/billing").body);
  const auto day = billing->getArray("days")->getObject(0);
  EXPECT_EQ(day->getValue<std::string>("vin"), kCommuterVin);
  EXPECT_EQ(day->getValue<int>("data"), 2);  // the 408 and the 200
  EXPECT_EQ(day->getValue<int>("wakes"), 1);
}

TEST(SimulatorTest, DataRequestsKeepTheCarAwake) {
  SimFixture sim;
  for (int i = 0; i < 6; ++i) {
    EXPECT_EQ(sim.Api(kCommuterData).status, 200) << i;
    sim.Call("POST", "/sim/clock", {}, R"({"advance_s": 600})");
  }
  sim.Call("POST", "/sim/clock", {}, R"({"advance_s": 600})");  // 20 min since the last request
  EXPECT_EQ(sim.Api(kCommuterData).status, 408);
}

TEST(SimulatorTest, RateLimitAnswers429WithRetryAfter) {
  SimFixture sim;
  for (int i = 0; i < 3; ++i) EXPECT_EQ(sim.Call("POST", kWake, {}, "", sim.AccessToken()).status, 200);
  const HttpResponse limited = sim.Call("POST", kWake, {}, "", sim.AccessToken());
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Header(limited, "Retry-After"), "60");
}

TEST(SimulatorTest, InjectedFaults) {
  SimFixture sim;
  sim.Call("POST", "/sim/faults", {}, R"({"kind":"rate_limit","category":"data","retry_after_s":120})");
  const HttpResponse limited = sim.Api(kCommuterData);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(Header(limited, "Retry-After"), "120");
  EXPECT_EQ(sim.Api(kCommuterData).status, 200);  // count 1 by default

  sim.Call("POST", "/sim/faults", {}, R"({"kind":"region","base_url":"https://fleet-api.prd.eu.vn.cloud.tesla.com"})");
  const HttpResponse region = sim.Api("/api/1/users/region");
  EXPECT_EQ(region.status, 421);
  EXPECT_NE(region.body.find("use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com"), std::string::npos);

  sim.Call("POST", "/sim/faults", {}, R"({"kind":"status","status":503,"vehicle":"LRW3F7EK4NC000001","count":2})");
  EXPECT_EQ(sim.Api("/api/1/vehicles/7SAYGDEE1PA000002").status, 200);  // other vehicle unaffected
  EXPECT_EQ(sim.Api(kCommuterData).status, 503);
  EXPECT_EQ(sim.Api(kCommuterData).status, 503);
  EXPECT_EQ(sim.Api(kCommuterData).status, 200);

  sim.Call("POST", "/sim/faults", {}, R"({"kind":"malformed","path_contains":"/products"})");
  EXPECT_THROW(ParseObject(sim.Api("/api/1/products").body), std::exception);

  sim.Call("POST", "/sim/faults", {}, R"({"kind":"timeout","delay_ms":5000})");
  EXPECT_EQ(sim.Api("/api/1/products").delay_ms, 5000);

  sim.Call("POST", "/sim/faults", {}, R"({"kind":"offline","vehicle":"LRW3F7EK4NC000001","duration_s":600})");
  EXPECT_EQ(sim.Api(kCommuterData).status, 408);
  sim.Call("POST", "/sim/clock", {}, R"({"advance_s": 600})");
  EXPECT_EQ(sim.Api(kCommuterData).status, 200);

  // Data requests: 429, 200, 503, 503, 200, 408, 200 -> the two 503s are free.
  const auto day = ParseObject(sim.Call("GET", "/sim/billing").body)->getArray("days")->getObject(0);
  EXPECT_EQ(day->getValue<int>("data"), 5);
}

TEST(SimulatorTest, TokenEndpointRotatesAndRejectsReuse) {
  SimFixture sim;
  const std::string form = "grant_type=refresh_token&client_id=tessie-stats&refresh_token=";
  const HttpResponse first = sim.Call("POST", "/oauth2/v3/token", {}, form + sim.RefreshToken());
  ASSERT_EQ(first.status, 200) << first.body;
  const auto grant = ParseObject(first.body);
  EXPECT_EQ(grant->getValue<std::string>("token_type"), "Bearer");
  EXPECT_EQ(grant->getValue<int>("expires_in"), 28800);
  const std::string next = grant->getValue<std::string>("refresh_token");
  EXPECT_EQ(sim.Call("GET", "/api/1/products", {}, "", grant->getValue<std::string>("access_token")).status, 200);
  ASSERT_EQ(sim.Call("POST", "/oauth2/v3/token", {}, form + next).status, 200);
  const HttpResponse reuse = sim.Call("POST", "/oauth2/v3/token", {}, form + sim.RefreshToken());
  EXPECT_EQ(reuse.status, 401);
  EXPECT_EQ(ParseObject(reuse.body)->getValue<std::string>("error"), "login_required");

  sim.Call("POST", "/sim/faults", {}, R"({"kind":"login_required"})");
  const auto fresh = ParseObject(sim.Call("POST", "/sim/tokens").body)->getValue<std::string>("refresh_token");
  EXPECT_EQ(sim.Call("POST", "/oauth2/v3/token", {}, form + fresh).status, 401);
  EXPECT_EQ(sim.Call("POST", "/oauth2/v3/token", {}, form + fresh).status, 200);  // the fault did not use it up
}

TEST(SimulatorTest, AuthorizeRedirectsWithACodeThatExchangesOnce) {
  SimFixture sim;
  const HttpResponse redirect = sim.Call("GET", "/oauth2/v3/authorize",
                                         {{"response_type", "code"},
                                          {"client_id", "tessie-stats"},
                                          {"redirect_uri", "http://localhost:8080/cb"},
                                          {"scope", "openid offline_access vehicle_device_data"},
                                          {"state", "s1"},
                                          {"code_challenge", "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"},
                                          {"code_challenge_method", "S256"}});
  ASSERT_EQ(redirect.status, 302) << redirect.body;
  const Poco::URI location(Header(redirect, "Location"));
  EXPECT_EQ(location.getPath(), "/cb");
  std::string code;
  for (const auto& [key, value] : location.getQueryParameters()) {
    if (key == "code") code = value;
  }
  EXPECT_EQ(code.rfind("EU_", 0), 0u);  // the test scenario's region is eu
  const std::string form =
      "grant_type=authorization_code&client_id=tessie-stats&client_secret=x"
      "&redirect_uri=http%3A%2F%2Flocalhost%3A8080%2Fcb"
      "&code_verifier=dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk&code=" +
      code;
  const HttpResponse token = sim.Call("POST", "/oauth2/v3/token", {}, form);
  ASSERT_EQ(token.status, 200) << token.body;
  EXPECT_EQ(ParseObject(token.body)->getValue<std::string>("state"), "s1");
  EXPECT_EQ(sim.Call("POST", "/oauth2/v3/token", {}, form).status, 400);
}

TEST(SimulatorTest, CalendarHistoryAddsUpToTheGroundTruth) {
  SimFixture sim;
  sim.AdvanceTo("2026-06-03T00:00:00Z");
  const auto history =
      ParseObject(sim.Api("/api/1/energy_sites/123456/calendar_history", {{"kind", "energy"},
                                                                          {"period", "month"},
                                                                          {"start_date", "2026-06-01T00:00:00+01:00"},
                                                                          {"end_date", "2026-06-30T23:59:59+01:00"}})
                      .body)
          ->getObject("response");
  const auto rows = history->getArray("time_series");
  ASSERT_EQ(rows->size(), 3u);  // local days 1 and 2 June and 3 June's first hour (00:00Z = 01:00 BST)
  EXPECT_EQ(rows->getObject(0)->getValue<std::string>("timestamp"), "2026-06-01T00:00:00+01:00");

  const auto truth = ParseObject(sim.Call("GET", "/sim/truth").body);
  const auto site = truth->getArray("energy_sites")->getObject(0);
  // The scenario starts at 00:00Z = 01:00 local, so local 1 June is the first truth day.
  const auto day = site->getArray("days")->getObject(0);
  EXPECT_EQ(day->getValue<std::string>("date"), "2026-06-01");
  const auto row = rows->getObject(0);
  EXPECT_NEAR(row->getValue<double>("total_home_usage"), day->getValue<double>("home_wh"), 1e-6);
  EXPECT_NEAR(row->getValue<double>("solar_energy_exported"), day->getValue<double>("solar_wh"), 1e-6);
  EXPECT_NEAR(row->getValue<double>("grid_energy_imported"), day->getValue<double>("grid_imported_wh"), 1e-6);

  const auto backup =
      ParseObject(sim.Api("/api/1/energy_sites/123456/calendar_history", {{"kind", "backup"},
                                                                          {"start_date", "2026-06-01T00:00:00+01:00"},
                                                                          {"end_date", "2026-06-02T00:00:00+01:00"}})
                      .body)
          ->getObject("response");
  EXPECT_EQ(backup->getValue<int>("total_events"), 1);
  EXPECT_EQ(backup->getArray("events")->getObject(0)->getValue<int>("duration"), 3600);
  EXPECT_EQ(backup->getArray("events")->getObject(0)->getValue<std::string>("timestamp"), "2026-06-01T21:00:00+01:00");
}

TEST(SimulatorTest, TruthListsCompletedDrivesAndCharges) {
  SimFixture sim;
  sim.AdvanceTo("2026-06-01T17:15:00Z");  // during the commuter's drive home
  const auto commuter = ParseObject(sim.Call("GET", "/sim/truth").body)->getArray("vehicles")->getObject(0);
  EXPECT_EQ(commuter->getArray("drives")->size(), 1u);
  EXPECT_EQ(commuter->getArray("charges")->size(), 0u);
  EXPECT_EQ(commuter->getObject("in_progress")->getValue<std::string>("type"), "drive");
  EXPECT_DOUBLE_EQ(commuter->getArray("drives")->getObject(0)->getValue<double>("distance_km"), 20);
  // Half-way through the drive's time is not exactly half its distance (speed profile).
  const double odometer_km = commuter->getValue<double>("odometer_km");
  EXPECT_NEAR(odometer_km, 20030, 2);
  const auto in_progress = commuter->getObject("in_progress");
  EXPECT_DOUBLE_EQ(in_progress->getValue<double>("end_odometer_km"), odometer_km);

  const auto data =
      ParseObject(sim.Api(kCommuterData, {{"endpoints", testing::kAllSections}}).body)->getObject("response");
  EXPECT_EQ(data->getObject("drive_state")->getValue<std::string>("shift_state"), "D");
  EXPECT_NEAR(data->getObject("vehicle_state")->getValue<double>("odometer"), odometer_km / 1.609344, 1e-5);
}

Poco::JSON::Object::Ptr VehicleData(SimFixture& sim, const std::string& vin) {
  const HttpResponse response =
      sim.Api(std::string("/api/1/vehicles/") + vin + "/vehicle_data", {{"endpoints", testing::kAllSections}});
  EXPECT_EQ(response.status, 200) << response.body;
  return ParseObject(response.body)->getObject("response");
}

TEST(SimulatorTest, DriveStateFollowsTheDrive) {
  SimFixture sim;
  sim.AdvanceTo("2026-06-01T07:00:00Z");  // the commute starts
  auto drive = VehicleData(sim, kCommuterVin)->getObject("drive_state");
  EXPECT_EQ(drive->getValue<std::string>("shift_state"), "D");
  EXPECT_EQ(drive->getValue<int>("speed"), 0);
  EXPECT_NEAR(drive->getValue<double>("latitude"), 51.5, 1e-4);

  sim.AdvanceTo("2026-06-01T07:15:00Z");
  drive = VehicleData(sim, kCommuterVin)->getObject("drive_state");
  EXPECT_GT(drive->getValue<int>("speed"), 10);  // mph; the average is 40 km/h
  EXPECT_NE(drive->getValue<int>("power"), 0);
  EXPECT_GT(drive->getValue<double>("active_route_miles_to_arrival"), 0);

  sim.AdvanceTo("2026-06-01T07:35:00Z");  // arrived 5 min ago: parked and awake
  drive = VehicleData(sim, kCommuterVin)->getObject("drive_state");
  EXPECT_EQ(drive->getValue<std::string>("shift_state"), "P");
  EXPECT_TRUE(drive->isNull("speed"));
  EXPECT_EQ(drive->getValue<int>("power"), 0);
  EXPECT_NEAR(drive->getValue<double>("latitude"), 51.52, 1e-6);
  EXPECT_NEAR(drive->getValue<double>("longitude"), -0.08, 1e-6);

  const auto truth = ParseObject(sim.Call("GET", "/sim/truth").body)->getArray("vehicles")->getObject(0);
  const auto done = truth->getArray("drives")->getObject(0);
  EXPECT_DOUBLE_EQ(done->getValue<double>("distance_km"), 20);
  EXPECT_DOUBLE_EQ(done->getValue<double>("duration_s"), 1800);
  EXPECT_DOUBLE_EQ(done->getValue<double>("avg_speed_kmh"), 40);
  EXPECT_GT(done->getValue<double>("max_speed_kmh"), 40);
  EXPECT_NEAR(done->getValue<double>("energy_used_kwh"), 3, 1e-12);
  EXPECT_EQ(done->getArray("path")->size(), 6u);
  EXPECT_GT(truth->getValue<double>("drain_kwh"), 0);
}

TEST(SimulatorTest, AcAndDcChargingReportTheirElectrics) {
  SimFixture sim;
  sim.AdvanceTo("2026-06-01T12:10:00Z");  // the Tripper at a Supercharger since 12:00
  auto charge = VehicleData(sim, "7SAYGDEE1PA000002")->getObject("charge_state");
  EXPECT_EQ(charge->getValue<std::string>("charging_state"), "Charging");
  EXPECT_TRUE(charge->getValue<bool>("fast_charger_present"));
  EXPECT_EQ(charge->getValue<std::string>("fast_charger_type"), "Supercharger");
  EXPECT_EQ(charge->getValue<std::string>("fast_charger_brand"), "Tesla");
  EXPECT_GE(charge->getValue<int>("charger_voltage"), 350);
  EXPECT_LE(charge->getValue<int>("charger_voltage"), 400);
  const int dc_kw = charge->getValue<int>("charger_power");
  EXPECT_GT(dc_kw, 50);
  EXPECT_LE(dc_kw, 150);

  sim.AdvanceTo("2026-06-01T18:30:00Z");  // the Commuter (EU) on its 11 kW wall connector since 18:00
  charge = VehicleData(sim, kCommuterVin)->getObject("charge_state");
  EXPECT_EQ(charge->getValue<int>("charger_power"), 11);
  EXPECT_EQ(charge->getValue<int>("charger_voltage"), 230);
  EXPECT_EQ(charge->getValue<int>("charger_phases"), 3);
  EXPECT_EQ(charge->getValue<int>("charger_actual_current"), 16);
  EXPECT_FALSE(charge->getValue<bool>("fast_charger_present"));
  EXPECT_EQ(charge->getValue<std::string>("conn_charge_cable"), "IEC");

  sim.AdvanceTo("2026-06-02T06:00:00Z");
  const auto truth = ParseObject(sim.Call("GET", "/sim/truth").body)->getArray("vehicles");
  const auto ac = truth->getObject(0)->getArray("charges")->getObject(0);
  EXPECT_EQ(ac->getValue<std::string>("kind"), "AC");
  EXPECT_DOUBLE_EQ(ac->getValue<double>("max_power_kw"), 11);
  EXPECT_LT(ac->getValue<double>("avg_power_kw"), 11);
  EXPECT_NEAR(ac->getValue<double>("end_soc_pct"), 90, 1e-9);
  const double added_kwh = (90 - ac->getValue<double>("start_soc_pct")) / 100 * 75;
  EXPECT_NEAR(ac->getValue<double>("energy_added_kwh"), added_kwh, 1e-9);
  EXPECT_NEAR(ac->getValue<double>("avg_power_kw") * ac->getValue<double>("duration_s") / 3600, added_kwh, 1e-9);
  const auto dc = truth->getObject(1)->getArray("charges")->getObject(0);
  EXPECT_EQ(dc->getValue<std::string>("kind"), "DC");
  EXPECT_DOUBLE_EQ(dc->getValue<double>("max_power_kw"), 150);
  EXPECT_LT(dc->getValue<double>("avg_power_kw"), 120);

  // The wall connector carried exactly the AC session's energy (site steps are 5 minutes, both within the day).
  const auto day = ParseObject(sim.Call("GET", "/sim/truth").body)
                       ->getArray("energy_sites")
                       ->getObject(0)
                       ->getArray("days")
                       ->getObject(0);
  EXPECT_GT(day->getValue<double>("home_wh"), added_kwh * 1000);
}

TEST(SimulatorTest, TruthHasTheSolarShareOfWallConnectorCharges) {
  SimFixture sim;
  sim.AdvanceTo("2026-06-02T15:00:00Z");
  const auto vehicles = ParseObject(sim.Call("GET", "/sim/truth").body)->getArray("vehicles");
  const auto commuter = vehicles->getObject(0)->getArray("charges");
  ASSERT_EQ(commuter->size(), 2u);
  // 1 June 19:00 local: evening sun and the battery cover part of the 11 kW charge.
  const double evening = commuter->getObject(0)->getValue<double>("solar_share_pct");
  EXPECT_GE(evening, 0);
  EXPECT_LT(evening, 100);
  // 2 June 12:00 local, 7 kW under a clear sky with a 2-battery Powerwall: almost all solar.
  const auto noon = commuter->getObject(1);
  EXPECT_EQ(noon->getValue<std::string>("start"), "2026-06-02T11:00:00Z");
  EXPECT_GT(noon->getValue<double>("energy_added_kwh"), 5);
  EXPECT_GT(noon->getValue<double>("solar_share_pct"), 90);
  // A Supercharger session is not on the site's wall connector.
  EXPECT_TRUE(vehicles->getObject(1)->getArray("charges")->getObject(0)->isNull("solar_share_pct"));
}

TEST(SimulatorTest, IdleDrainShowsInBatteryLevelAndTruth) {
  SimFixture sim;
  sim.AdvanceTo("2026-06-01T06:59:00Z");  // parked since the start: 15 min awake, then asleep
  const auto truth = ParseObject(sim.Call("GET", "/sim/truth").body)->getArray("vehicles")->getObject(0);
  const double drain_kwh = (400 * 0.25 + 40 * (6 + 59.0 / 60 - 0.25)) / 1000;
  EXPECT_NEAR(truth->getValue<double>("drain_kwh"), drain_kwh, 1e-9);
  EXPECT_NEAR(truth->getValue<double>("soc_pct"), 70 - drain_kwh / 75 * 100, 1e-9);
  // Woken up, the car reports the drained battery (the wake itself adds no drain: see the model).
  sim.Call("POST", kWake, {}, "", sim.AccessToken());
  sim.Call("POST", "/sim/clock", {}, R"({"advance_s": 20})");
  const auto charge = VehicleData(sim, kCommuterVin)->getObject("charge_state");
  const double later_kwh = drain_kwh + 40 * 20 / 3.6e6;
  EXPECT_NEAR(charge->getValue<double>("energy_remaining"), 0.7 * 75 - later_kwh, 0.005);
  EXPECT_EQ(charge->getValue<int>("battery_level"), std::lround(70 - later_kwh / 75 * 100));
}

TEST(SimulatorTest, RequestLogAndReset) {
  SimFixture sim;
  sim.Api("/api/1/products");
  sim.Api(kCommuterData);
  const auto log = ParseObject(sim.Call("GET", "/sim/requests").body)->getArray("requests");
  ASSERT_EQ(log->size(), 2u);
  EXPECT_EQ(log->getObject(1)->getValue<std::string>("category"), "data");
  EXPECT_EQ(log->getObject(1)->getValue<std::string>("vehicle"), kCommuterVin);
  EXPECT_TRUE(log->getObject(1)->getValue<bool>("billed"));
  sim.Call("POST", "/sim/clock", {}, R"({"advance_s": 3600})");
  sim.Call("POST", "/sim/reset");
  EXPECT_EQ(ParseObject(sim.Call("GET", "/sim/requests").body)->getArray("requests")->size(), 0u);
  EXPECT_EQ(ParseObject(sim.Call("GET", "/sim/clock").body)->getValue<std::string>("now"), "2026-06-01T00:00:00Z");
}

TEST(SimulatorTest, VehicleListIsPaged) {
  SimFixture sim;
  const auto page = ParseObject(sim.Api("/api/1/vehicles", {{"per_page", "1"}, {"page", "2"}}).body);
  EXPECT_EQ(page->getArray("response")->size(), 1u);
  EXPECT_EQ(page->getValue<int>("count"), 2);
  const auto pagination = page->getObject("pagination");
  EXPECT_EQ(pagination->getValue<int>("previous"), 1);
  EXPECT_TRUE(pagination->isNull("next"));
  EXPECT_EQ(pagination->getValue<int>("pages"), 2);
}

TEST(SimulatorTest, DemoScenarioLoadsAndRunsAWeek) {
  Simulator sim(LoadScenario(std::string(TESSIE_SIM_SCENARIOS_DIR) + "/demo.yaml"), "http://sim.test", 0);
  sim.Clock().Advance(7 * 86400);
  const HttpResponse truth = sim.Handle({"GET", "/sim/truth", {}, "", ""});
  ASSERT_EQ(truth.status, 200);
  const auto vehicles = ParseObject(truth.body)->getArray("vehicles");
  ASSERT_EQ(vehicles->size(), 2u);
  EXPECT_GE(vehicles->getObject(0)->getArray("drives")->size(), 10u);
  EXPECT_GE(vehicles->getObject(0)->getArray("charges")->size(), 3u);
  EXPECT_EQ(ParseObject(truth.body)->getArray("energy_sites")->getObject(0)->getArray("days")->size(), 8u);
}

}  // namespace
}  // namespace tessie::sim
