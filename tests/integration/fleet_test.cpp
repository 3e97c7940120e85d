// The host's Fleet API client against the simulator over real HTTP, driven through the fleet_probe test
// plugin and the auth/sync routes: tokens and rotation, crashes mid-rotation, 401/408/421/429/5xx,
// timeouts, malformed bodies, cost counters, budget, cache, and Sign in with Tesla.
#include <Poco/JSON/Array.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "host_process.hpp"
#include "sim_process.hpp"

namespace tessie::testing {
namespace {

const std::string kPassword = "fleet-test-password";
const std::int64_t kCommuter = 1492932717794313;  // sim/scenarios/test.yaml
const std::string kCommuterVin = "LRW3F7EK4NC000001";
const std::int64_t kSite = 123456;

class FleetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    sim_ = std::make_unique<SimProcess>(dir_);
    ASSERT_TRUE(sim_->Start()) << sim_->Log();
  }

  std::string Config(const std::string& tesla_extra = "", const std::string& host = "127.0.0.1") const {
    const std::string base = "http://" + host + ":" + std::to_string(sim_->Port());
    return "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir_ / "data").string() +
           "\nplugin_dir: " + TestPluginDir().string() +
           "\nplugins:\n  example:\n    enabled: false\n  listener:\n    enabled: false\n  throws_job:\n    enabled: "
           "false\n"
           "tesla:\n  base_url: " +
           base + "\n  auth_url: " + base + "/oauth2/v3/token\n  authorize_url: " + base +
           "/oauth2/v3/authorize\n  client_id: tessie-stats\n  redirect_uri: http://127.0.0.1/api/auth/tesla/callback\n"
           "  cache_ttl: 0s\n  request_timeout: 2s\n" +
           tesla_extra;
  }

  void StartHost(const std::string& tesla_extra = "", std::map<std::string, std::string> env = {},
                 const std::string& host = "127.0.0.1") {
    env["TESSIE_ADMIN_PASSWORD"] = kPassword;
    host_ = std::make_unique<HostProcess>(dir_, Config(tesla_extra, host), env);
    ASSERT_TRUE(host_->Start()) << host_->Log();
    token_ = host_->Login(kPassword);
  }

  // Stores a fresh refresh token from the simulator; returns it.
  std::string Connect() {
    const auto rt = sim_->NewRefreshToken();
    const auto r = host_->Post("/api/auth/token", "{\"refresh_token\": \"" + rt + "\"}", token_);
    EXPECT_EQ(r.status, 201) << r.body;
    EXPECT_EQ(r.body.find(rt), std::string::npos) << "the token came back in the response";
    return rt;
  }

  HttpResult Probe(const std::string& path) { return host_->Get("/api/probe" + path, token_); }
  std::string ProbeError(const std::string& path) {
    const auto r = Probe(path);
    return r.status == 200 ? "" : r.Json()->getValue<std::string>("error");
  }
  Poco::JSON::Object::Ptr AuthStatus() { return host_->Get("/api/auth/status", token_).Json(); }

  std::filesystem::path dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<HostProcess> host_;
  std::string token_;
};

TEST_F(FleetTest, AStoredTokenIsVerifiedRotatedAndNeverShown) {
  StartHost();
  EXPECT_FALSE(AuthStatus()->getValue<bool>("connected"));
  EXPECT_EQ(ProbeError("/products"), "not_connected");
  const auto rt = Connect();
  const auto status = AuthStatus();
  EXPECT_TRUE(status->getValue<bool>("connected"));
  EXPECT_EQ(status->getValue<std::string>("region"), "eu");
  EXPECT_GT(status->getArray("scopes")->size(), 0u);
  EXPECT_FALSE(status->isNull("access_token_expires_at"));
  const auto products = Probe("/products");
  ASSERT_EQ(products.status, 200) << products.body;
  auto vehicles = products.Json()->getArray("vehicles");
  ASSERT_EQ(vehicles->size(), 2u);
  EXPECT_EQ(vehicles->getObject(0)->getValue<std::int64_t>("id"), kCommuter);  // beyond 32 bits, exact
  EXPECT_EQ(products.Json()->getArray("energy_sites")->getElement<std::int64_t>(0), kSite);
  EXPECT_EQ(host_->Stop(), 0);
  const auto log = host_->Log();
  EXPECT_EQ(log.find(rt), std::string::npos);
  // Nothing in the database is readable without the key.
  std::ifstream db(dir_ / "data" / "tessie.db", std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(db)), std::istreambuf_iterator<char>());
  std::ifstream wal(dir_ / "data" / "tessie.db-wal", std::ios::binary);
  bytes.append((std::istreambuf_iterator<char>(wal)), std::istreambuf_iterator<char>());
  EXPECT_EQ(bytes.find("EU_"), std::string::npos) << "a refresh token is stored in clear text";
}

TEST_F(FleetTest, RotationSurvivesARestart) {
  StartHost();
  const auto original = Connect();  // verified: refreshed once, the rotated token stored
  ASSERT_EQ(host_->Stop(), 0);
  sim_->Advance(9 * 3600);  // the access token has expired
  ASSERT_TRUE(host_->Start()) << host_->Log();
  token_ = host_->Login(kPassword);
  const int refreshes = sim_->CountRequests("/oauth2/v3/token");
  EXPECT_EQ(Probe("/products").status, 200) << host_->Log();
  EXPECT_EQ(sim_->CountRequests("/oauth2/v3/token"), refreshes + 1);
  // The token the user pasted was used up by the first rotation.
  const auto reuse = HttpCall(sim_->Port(), "POST", "/oauth2/v3/token",
                              "grant_type=refresh_token&client_id=tessie-stats&refresh_token=" + original,
                              {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(reuse.status, 401);
}

TEST_F(FleetTest, ACrashBetweenReceivingAndStoringANewTokenDoesNotLockTheUserOut) {
  StartHost();
  Connect();
  ASSERT_EQ(host_->Stop(), 0);
  sim_->Advance(9 * 3600);
  host_ =
      std::make_unique<HostProcess>(dir_, Config(),
                                    std::map<std::string, std::string>{{"TESSIE_ADMIN_PASSWORD", kPassword},
                                                                       {"TESSIE_TEST_CRASH_AFTER_TOKEN_REFRESH", "1"}});
  ASSERT_TRUE(host_->Start()) << host_->Log();
  token_ = host_->Login(kPassword);
  EXPECT_ANY_THROW(Probe("/products"));  // the host dies mid-request
  EXPECT_TRUE(Eventually([&] { return !host_->Running(); }));
  EXPECT_EQ(host_->ExitCode(), 86);
  // Restart normally: the old refresh token is still in its grace period, so access is not lost.
  host_ = std::make_unique<HostProcess>(dir_, Config(),
                                        std::map<std::string, std::string>{{"TESSIE_ADMIN_PASSWORD", kPassword}});
  ASSERT_TRUE(host_->Start()) << host_->Log();
  token_ = host_->Login(kPassword);
  EXPECT_EQ(Probe("/products").status, 200) << host_->Log();
  EXPECT_TRUE(AuthStatus()->getValue<bool>("connected"));
}

TEST_F(FleetTest, LoginRequiredStopsCallsUntilANewTokenIsStored) {
  StartHost();
  Connect();
  sim_->Post("/sim/tokens/revoke");  // the user changed their password
  sim_->Advance(9 * 3600);
  EXPECT_EQ(ProbeError("/products"), "not_connected");
  const auto status = AuthStatus();
  EXPECT_FALSE(status->getValue<bool>("connected"));
  EXPECT_TRUE(status->getValue<bool>("broken"));
  EXPECT_EQ(status->getValue<std::string>("last_error"), "login_required");
  EXPECT_NE(host_->Log().find("API calls stop until a new token is stored"), std::string::npos);
  const int before = sim_->CountRequests("/");
  EXPECT_EQ(ProbeError("/products"), "not_connected");
  EXPECT_EQ(ProbeError("/vehicles/" + std::to_string(kCommuter) + "/data"), "not_connected");
  EXPECT_EQ(sim_->CountRequests("/"), before) << "calls went out while auth was broken";
  Connect();
  EXPECT_EQ(Probe("/products").status, 200);
  EXPECT_FALSE(AuthStatus()->getValue<bool>("broken"));
}

TEST_F(FleetTest, TheLastRequestOfARateLimitWindowHoldsTheNextInsteadOfPayingForA429) {
  StartHost("  daily_budget_usd: 0\n");
  Connect();
  const std::string data = "/vehicles/" + std::to_string(kCommuter) + "/data";
  // The simulator allows 60 data requests per vehicle and minute, and says in RateLimit-* headers what is left.
  const int before = sim_->CountRequests("/vehicle_data");
  for (int i = 0; i < 60; ++i) EXPECT_NE(ProbeError(data), "rate_limited") << "request " << i + 1;
  EXPECT_EQ(sim_->CountRequests("/vehicle_data"), before + 60);
  // The 60th answer said none is left: the 61st waits for the window instead of going out for a 429.
  const auto held = Probe(data).Json();
  EXPECT_EQ(held->getValue<std::string>("error"), "rate_limited");
  EXPECT_GT(held->getValue<int>("retry_after_s"), 0);
  EXPECT_LE(held->getValue<int>("retry_after_s"), 60);
  EXPECT_EQ(sim_->CountRequests("/vehicle_data"), before + 60) << "a request went out into a 429";
  const auto requests = sim_->Get("/sim/requests?limit=1000").Json()->getArray("requests");
  for (std::size_t i = 0; i < requests->size(); ++i) {
    EXPECT_NE(requests->getObject(static_cast<unsigned>(i))->getValue<int>("status"), 429);
  }
  EXPECT_NE(host_->Log().find("until its rate-limit window resets"), std::string::npos);
  // Other vehicles are not held.
  EXPECT_NE(ProbeError("/vehicles/1492932717794314/data"), "rate_limited");
}

TEST_F(FleetTest, A429IsHonouredPerVehicleAndCategory) {
  StartHost();
  Connect();
  const std::string data = "/vehicles/" + std::to_string(kCommuter) + "/data";
  sim_->Fault(R"({"kind":"rate_limit","category":"data","retry_after_s":2,"count":1})");
  const auto limited = Probe(data).Json();
  EXPECT_EQ(limited->getValue<std::string>("error"), "rate_limited");
  EXPECT_EQ(limited->getValue<int>("retry_after_s"), 2);
  const int served = sim_->CountRequests("/vehicle_data");
  EXPECT_EQ(ProbeError(data), "rate_limited");
  EXPECT_EQ(sim_->CountRequests("/vehicle_data"), served) << "a request went out before Retry-After";
  // Other categories and vehicles are not held.
  EXPECT_EQ(Probe("/vehicles/" + std::to_string(kCommuter)).status, 200);
  EXPECT_EQ(Probe("/vehicles/1492932717794314/data").status, 200);
  const auto sync = host_->Get("/api/sync/status", token_).Json()->getArray("targets");
  bool held = false;
  for (std::size_t i = 0; i < sync->size(); ++i) {
    auto t = sync->getObject(static_cast<unsigned>(i));
    if (t->getValue<std::string>("target") == "vehicle:" + std::to_string(kCommuter)) held = !t->isNull("hold_until");
  }
  EXPECT_TRUE(held);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  EXPECT_EQ(Probe(data).status, 200);
}

TEST_F(FleetTest, TheAccountsRegionIsLookedUpWhenATokenIsStored) {
  StartHost("", {}, "localhost");
  Connect();  // users/region answers with the simulator's 127.0.0.1 URL
  EXPECT_EQ(AuthStatus()->getValue<std::string>("base_url"), sim_->Url());
  EXPECT_NE(host_->Log().find("this Tesla account lives at " + sim_->Url()), std::string::npos);
  EXPECT_EQ(Probe("/products").status, 200);
}

TEST_F(FleetTest, A421SwitchesToTheRegionTheErrorNames) {
  StartHost();
  Connect();
  const std::string other = "http://localhost:" + std::to_string(sim_->Port());
  sim_->Fault(R"({"kind":"region","base_url":")" + other + R"(","count":1,"path_contains":"/products"})");
  EXPECT_EQ(Probe("/products").status, 200) << host_->Log();
  EXPECT_EQ(AuthStatus()->getValue<std::string>("base_url"), other);
  EXPECT_NE(host_->Log().find("switching the Fleet API base URL to " + other), std::string::npos);
  // Kept across a restart.
  ASSERT_EQ(host_->Stop(), 0);
  ASSERT_TRUE(host_->Start());
  token_ = host_->Login(kPassword);
  EXPECT_EQ(AuthStatus()->getValue<std::string>("base_url"), other);
  EXPECT_EQ(Probe("/products").status, 200);
}

TEST_F(FleetTest, AnUntrustedRegionRedirectIsNotFollowed) {
  StartHost();
  Connect();
  sim_->Fault(R"({"kind":"region","base_url":"https://evil.example","count":1,"path_contains":"/products"})");
  EXPECT_EQ(ProbeError("/products"), "other");
  EXPECT_EQ(AuthStatus()->getValue<std::string>("base_url"), sim_->Url());
}

TEST_F(FleetTest, AnAsleepCarIsReportedAndNeverWokenOnItsOwn) {
  StartHost();
  Connect();
  sim_->Advance(30 * 60);  // parked, idle: asleep after 15 minutes
  EXPECT_EQ(Probe("/vehicles/" + std::to_string(kCommuter)).Json()->getValue<std::string>("state"), "asleep");
  EXPECT_EQ(ProbeError("/vehicles/" + std::to_string(kCommuter) + "/data"), "asleep");
  EXPECT_EQ(sim_->CountRequests("/wake_up"), 0);
  // Waking is the user's explicit call.
  EXPECT_EQ(host_->Post("/api/probe/vehicles/" + std::to_string(kCommuter) + "/wake", "", token_).status, 200);
  EXPECT_EQ(sim_->CountRequests("/wake_up"), 1);
}

TEST_F(FleetTest, ServerErrorsAndTimeoutsAreRetriedWithBackoff) {
  StartHost();
  Connect();
  sim_->Fault(R"({"kind":"status","status":503,"count":2,"path_contains":"/products"})");
  int before = sim_->CountRequests("/products");
  EXPECT_EQ(Probe("/products").status, 200);
  EXPECT_EQ(sim_->CountRequests("/products"), before + 3);
  sim_->Fault(R"({"kind":"status","status":500,"count":3,"path_contains":"/products"})");  // = max attempts
  EXPECT_EQ(ProbeError("/products"), "server");
  sim_->Fault(R"({"kind":"timeout","delay_ms":3000,"count":1,"path_contains":"/products"})");
  EXPECT_EQ(Probe("/products").status, 200);
  EXPECT_EQ(host_->Get("/api/health").status, 200);
}

TEST_F(FleetTest, AMalformedResponseIsLoggedAndSkipped) {
  StartHost();
  Connect();
  sim_->Fault(R"({"kind":"malformed","count":1,"path_contains":"/live_status"})");
  EXPECT_EQ(ProbeError("/sites/" + std::to_string(kSite) + "/live"), "malformed");
  EXPECT_NE(host_->Log().find("malformed live_status response skipped"), std::string::npos);
  EXPECT_EQ(Probe("/sites/" + std::to_string(kSite) + "/live").status, 200);
}

TEST_F(FleetTest, CostCountersEqualTheSimulatorsBilling) {
  StartHost();
  Connect();
  const auto id = std::to_string(kCommuter);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Probe("/vehicles/" + id + "/data").status, 200);
  host_->Post("/api/probe/vehicles/" + id + "/wake", "", token_);
  sim_->Fault(R"({"kind":"status","status":503,"count":1,"category":"data"})");
  Probe("/vehicles/" + id + "/data");  // one free 503, then billed
  sim_->Advance(30 * 60);
  EXPECT_EQ(ProbeError("/vehicles/" + id + "/data"), "asleep");  // a 408 is billed too
  Probe("/vehicles/" + id);                                      // free

  std::int64_t sim_data = 0, sim_wakes = 0;
  auto days = sim_->Get("/sim/billing").Json()->getArray("days");
  for (std::size_t i = 0; i < days->size(); ++i) {
    auto d = days->getObject(static_cast<unsigned>(i));
    if (d->getValue<std::string>("vin") != kCommuterVin) continue;
    sim_data += d->getValue<std::int64_t>("data");
    sim_wakes += d->getValue<std::int64_t>("wakes");
  }
  auto targets = host_->Get("/api/sync/status", token_).Json()->getArray("targets");
  Poco::JSON::Object::Ptr mine;
  for (std::size_t i = 0; i < targets->size(); ++i)
    if (targets->getObject(static_cast<unsigned>(i))->getValue<std::string>("target") == "vehicle:" + id)
      mine = targets->getObject(static_cast<unsigned>(i));
  ASSERT_TRUE(mine);
  const auto counts = mine->getObject("requests_today");
  EXPECT_EQ(sim_data, 5);
  EXPECT_EQ(counts->getValue<std::int64_t>("data"), sim_data);
  EXPECT_EQ(counts->getValue<std::int64_t>("wakes"), sim_wakes);
  EXPECT_EQ(counts->getValue<std::int64_t>("not_billed_5xx"), 1);
  EXPECT_NEAR(mine->getValue<double>("cost_today_usd"), 5 * 0.002 + 0.02, 1e-9);
}

TEST_F(FleetTest, TheDailyBudgetStopsDataCalls) {
  StartHost("  daily_budget_usd: 0.006\n");
  Connect();
  const std::string data = "/vehicles/" + std::to_string(kCommuter) + "/data";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Probe(data).status, 200);
  const int served = sim_->CountRequests("/vehicle_data");
  EXPECT_EQ(ProbeError(data), "budget");
  EXPECT_EQ(sim_->CountRequests("/vehicle_data"), served);
  EXPECT_EQ(Probe("/vehicles/1492932717794314/data").status, 200);  // per vehicle
}

TEST_F(FleetTest, LiveDataIsCachedAndConcurrentCallsShareOneRequest) {
  StartHost("  cache_ttl: 60s\n");
  Connect();
  const std::string data = "/vehicles/" + std::to_string(kCommuter) + "/data";
  std::vector<std::thread> threads;
  for (int i = 0; i < 6; ++i) threads.emplace_back([&] { EXPECT_EQ(Probe(data).status, 200); });
  for (auto& t : threads) t.join();
  EXPECT_EQ(Probe(data).status, 200);
  EXPECT_EQ(sim_->CountRequests("/vehicle_data"), 1);
}

TEST_F(FleetTest, SignInWithTeslaStoresTheTokens) {
  StartHost();
  const auto login = host_->Get("/api/auth/tesla/login", token_);
  ASSERT_EQ(login.status, 200) << login.body;
  const Poco::URI authorize(login.Json()->getValue<std::string>("url"));
  std::map<std::string, std::string> q;
  for (const auto& [k, v] : authorize.getQueryParameters()) q[k] = v;
  EXPECT_EQ(q["code_challenge_method"], "S256");
  EXPECT_FALSE(q["state"].empty());
  // The browser's round trip through Tesla's login.
  const auto redirect = HttpCall(authorize.getPort(), "GET", authorize.getPathAndQuery());
  ASSERT_EQ(redirect.status, 302) << redirect.body;
  const Poco::URI back(redirect.headers.at("Location"));
  std::map<std::string, std::string> cb;
  for (const auto& [k, v] : back.getQueryParameters()) cb[k] = v;
  EXPECT_EQ(host_->Get("/api/auth/tesla/callback?code=" + cb["code"] + "&state=wrong").status, 400);
  const auto done = host_->Get("/api/auth/tesla/callback?code=" + cb["code"] + "&state=" + cb["state"]);
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("connected"), std::string::npos);
  EXPECT_TRUE(AuthStatus()->getValue<bool>("connected"));
  EXPECT_EQ(Probe("/products").status, 200);
  // The state is single use.
  EXPECT_EQ(host_->Get("/api/auth/tesla/callback?code=" + cb["code"] + "&state=" + cb["state"]).status, 400);
}

TEST_F(FleetTest, DeletingTheTokenDisconnects) {
  StartHost();
  Connect();
  EXPECT_EQ(host_->Request("DELETE", "/api/auth/token", "", token_).status, 204);
  EXPECT_FALSE(AuthStatus()->getValue<bool>("connected"));
  EXPECT_EQ(ProbeError("/products"), "not_connected");
  EXPECT_EQ(host_->Post("/api/auth/token", "{\"refresh_token\": \"\"}", token_).status, 400);
  EXPECT_EQ(host_->Post("/api/auth/token", "{\"refresh_token\": \"EU_not_a_real_token\"}", token_).status, 400);
}

TEST_F(FleetTest, AWrongEncryptionKeyIsAClearErrorNotGarbage) {
  StartHost();
  Connect();
  ASSERT_EQ(host_->Stop(), 0);
  host_ = std::make_unique<HostProcess>(
      dir_, Config(),
      std::map<std::string, std::string>{{"TESSIE_ADMIN_PASSWORD", kPassword},
                                         {"TESSIE_ENCRYPTION_KEY", std::string(64, 'f')}});
  EXPECT_FALSE(host_->Start());
  EXPECT_EQ(host_->ExitCode(), 1);
  EXPECT_NE(host_->Log().find("encryption key is not the one it was stored with"), std::string::npos) << host_->Log();
}

}  // namespace
}  // namespace tessie::testing
