// GET /metrics and the health routes of a running host, after real activity against the simulator: what a
// Prometheus user would chart must equal what happened (the simulator's billing, the requests made).
#include <Poco/JSON/Array.h>
#include <Poco/String.h>
#include <gtest/gtest.h>

#include <sstream>

#include "host_process.hpp"
#include "sim_process.hpp"

namespace tessie::testing {
namespace {

const std::string kPassword = "metrics-test-password";
const std::int64_t kCommuter = 1492932717794313;  // sim/scenarios/test.yaml
const std::string kCommuterVin = "LRW3F7EK4NC000001";

// "name{labels}" → value.
std::map<std::string, double> Samples(const std::string& text) {
  std::map<std::string, double> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    const auto space = line.rfind(' ');
    out[line.substr(0, space)] = std::stod(line.substr(space + 1));
  }
  return out;
}

double Sum(const std::map<std::string, double>& samples, const std::string& name,
           const std::vector<std::string>& fragments = {}) {
  double sum = 0;
  for (const auto& [key, value] : samples) {
    if (key != name && key.rfind(name + "{", 0) != 0) continue;
    bool ok = true;
    for (const auto& f : fragments) ok = ok && key.find(f) != std::string::npos;
    if (ok) sum += value;
  }
  return sum;
}

class Metrics : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = FreshTestDir();
    sim_ = std::make_unique<SimProcess>(dir_);
    ASSERT_TRUE(sim_->Start()) << sim_->Log();
  }
  void StartHost(const std::string& extra = "") {
    const std::string base = sim_->Url();
    host_ = std::make_unique<HostProcess>(
        dir_,
        "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir_ / "data").string() +
            "\nplugin_dir: " + TestPluginDir().string() +
            "\nplugins:\n  example:\n    enabled: false\n  listener:\n    enabled: false\n"
            "tesla:\n  base_url: " +
            base + "\n  auth_url: " + base + "/oauth2/v3/token\n  client_id: tessie-stats\n  cache_ttl: 0s\n" + extra,
        std::map<std::string, std::string>{{"TESSIE_ADMIN_PASSWORD", kPassword}});
    ASSERT_TRUE(host_->Start()) << host_->Log();
    token_ = host_->Login(kPassword);
  }
  std::filesystem::path dir_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<HostProcess> host_;
  std::string token_;
};

TEST_F(Metrics, ScrapedAfterActivityTheyEqualTheSimulatorsBillingAndTheRequestsMade) {
  StartHost();
  const auto stored =
      host_->Post("/api/auth/token", "{\"refresh_token\": \"" + sim_->NewRefreshToken() + "\"}", token_);
  ASSERT_EQ(stored.status, 201) << stored.body;
  const auto id = std::to_string(kCommuter);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(host_->Get("/api/probe/vehicles/" + id + "/data", token_).status, 200);
  host_->Post("/api/probe/vehicles/" + id + "/wake", "", token_);
  sim_->Fault(R"({"kind":"status","status":503,"count":1,"category":"data"})");
  host_->Get("/api/probe/vehicles/" + id + "/data", token_);  // one free 503, then billed
  sim_->Fault(R"({"kind":"rate_limit","retry_after_s":30,"count":1,"category":"data"})");
  host_->Get("/api/probe/vehicles/" + id + "/data", token_);  // a billed 429; the vehicle is held
  EXPECT_EQ(host_->Get("/api/nothing-here", token_).status, 404);
  // The broken test plugin's job throws every time.
  ASSERT_TRUE(Eventually([&] {
    return Sum(Samples(host_->Get("/metrics", token_).body), "tessie_job_failures_total", {"plugin=\"throws_job\""}) >=
           2;
  }));

  // Not public by default: a login token is needed.
  EXPECT_EQ(host_->Get("/metrics").status, 401);
  const auto r = host_->Get("/metrics", token_);
  ASSERT_EQ(r.status, 200);
  std::string content_type;
  for (const auto& [name, value] : r.headers)
    if (Poco::icompare(name, "content-type") == 0) content_type = value;
  EXPECT_EQ(content_type, "text/plain; version=0.0.4; charset=utf-8");
  const auto m = Samples(r.body);

  // Fleet API: billable requests and cost equal the simulator's billing counters.
  double sim_data = 0, sim_wakes = 0, sim_cost = 0;
  auto days = sim_->Get("/sim/billing").Json()->getArray("days");
  for (std::size_t i = 0; i < days->size(); ++i) {
    auto d = days->getObject(static_cast<unsigned>(i));
    sim_data += d->getValue<double>("data");
    sim_wakes += d->getValue<double>("wakes");
    sim_cost += d->getValue<double>("cost_usd");
  }
  EXPECT_EQ(sim_data, 5);
  EXPECT_EQ(Sum(m, "tessie_fleet_billable_requests_total", {"category=\"data\""}), sim_data);
  EXPECT_EQ(Sum(m, "tessie_fleet_billable_requests_total", {"category=\"wakes\""}), sim_wakes);
  EXPECT_NEAR(Sum(m, "tessie_fleet_estimated_cost_usd_total"), sim_cost, 1e-9);
  EXPECT_NEAR(Sum(m, "tessie_fleet_cost_today_usd", {"target=\"vehicle:" + id + "\""}), sim_cost, 1e-9);
  const std::string data_endpoint = "endpoint=\"GET /api/1/vehicles/{id}/vehicle_data\"";
  EXPECT_EQ(Sum(m, "tessie_fleet_requests_total", {data_endpoint, "status=\"200\""}), 4);
  EXPECT_EQ(Sum(m, "tessie_fleet_requests_total", {data_endpoint, "status=\"503\""}), 1);
  EXPECT_EQ(Sum(m, "tessie_fleet_requests_total", {data_endpoint, "status=\"429\""}), 1);
  EXPECT_GT(Sum(m, "tessie_fleet_hold_until_timestamp_seconds", {"target=\"vehicle:" + id + "\""}), 0);
  EXPECT_GT(Sum(m, "tessie_fleet_last_success_timestamp_seconds", {"target=\"vehicle:" + id + "\""}), 0);
  EXPECT_EQ(r.body.find(id + "/"), std::string::npos) << "a raw vehicle id in an endpoint label";

  // HTTP: by route pattern, never the raw path.
  // 3 + the one whose 503 was retried; the 429 is the probe's 502.
  EXPECT_EQ(Sum(m, "tessie_http_requests_total", {"route=\"/api/probe/vehicles/:id/data\"", "status=\"200\""}), 4);
  EXPECT_EQ(Sum(m, "tessie_http_requests_total", {"route=\"/api/probe/vehicles/:id/data\"", "status=\"502\""}), 1);
  EXPECT_EQ(Sum(m, "tessie_http_requests_total", {"route=\"(unmatched)\"", "status=\"404\""}), 1);
  EXPECT_EQ(r.body.find("/api/nothing-here"), std::string::npos);
  EXPECT_GE(Sum(m, "tessie_http_requests_total", {"route=\"/metrics\"", "status=\"401\""}), 1);

  // Jobs, storage, MQTT, readiness.
  const double failures = Sum(m, "tessie_job_failures_total", {"plugin=\"throws_job\"", "job=\"work\""});
  EXPECT_GE(failures, 2);
  // (A run may end between the updates of the three families.)
  EXPECT_NEAR(Sum(m, "tessie_job_runs_total", {"plugin=\"throws_job\"", "job=\"work\""}), failures, 1);
  EXPECT_NEAR(Sum(m, "tessie_job_duration_seconds_count", {"plugin=\"throws_job\""}), failures, 1);
  EXPECT_EQ(Sum(m, "tessie_storage_available"), 1);
  EXPECT_EQ(Sum(m, "tessie_storage_buffered_rows"), 0);
  EXPECT_EQ(Sum(m, "tessie_mqtt_enabled"), 0);
  EXPECT_EQ(Sum(m, "tessie_ready"), 1);
  EXPECT_EQ(Sum(m, "tessie_up"), 1);
  for (const auto* family : {"tessie_fleet_requests_total", "tessie_job_duration_seconds", "tessie_http_requests_total",
                             "tessie_storage_buffered_rows", "tessie_mqtt_connected"}) {
    EXPECT_NE(r.body.find(std::string("# HELP ") + family + " "), std::string::npos) << family;
    EXPECT_NE(r.body.find(std::string("# TYPE ") + family + " "), std::string::npos) << family;
  }
  EXPECT_EQ(r.body.find(token_), std::string::npos);
  EXPECT_EQ(host_->Stop(), 0);
}

// A 401 is not billed by Tesla; the persisted day counters used to count it as billable, so the cost shown
// (and the budget) grew after a restart.
TEST_F(Metrics, AnUnbilled401StaysUnbilledAfterARestart) {
  StartHost();
  host_->Post("/api/auth/token", "{\"refresh_token\": \"" + sim_->NewRefreshToken() + "\"}", token_);
  const auto id = std::to_string(kCommuter);
  sim_->Fault(R"({"kind":"status","status":401,"count":1,"category":"data"})");
  ASSERT_EQ(host_->Get("/api/probe/vehicles/" + id + "/data", token_).status, 200);  // refresh, retry
  auto cost = [&] {
    const auto targets = host_->Get("/api/sync/status", token_).Json()->getArray("targets");
    for (std::size_t i = 0; i < targets->size(); ++i)
      if (targets->getObject(static_cast<unsigned>(i))->getValue<std::string>("target") == "vehicle:" + id)
        return targets->getObject(static_cast<unsigned>(i))->getValue<double>("cost_today_usd");
    return -1.0;
  };
  EXPECT_NEAR(cost(), 0.002, 1e-9);
  ASSERT_EQ(host_->Stop(), 0);
  ASSERT_TRUE(host_->Start()) << host_->Log();
  token_ = host_->Login(kPassword);
  EXPECT_NEAR(cost(), 0.002, 1e-9) << "the 401 was billed after the restart";
  EXPECT_EQ(host_->Stop(), 0);
}

TEST_F(Metrics, PublicWhenConfiguredSo) {
  StartHost("metrics:\n  public: true\n");
  const auto r = host_->Get("/metrics");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("tessie_up 1"), std::string::npos);
  EXPECT_EQ(host_->Stop(), 0);
}

TEST_F(Metrics, HealthTellsLiveFromReadyAndShowsTheLastSync) {
  StartHost();
  EXPECT_EQ(host_->Get("/api/health/live").status, 200);
  const auto ready = host_->Get("/api/health/ready");
  EXPECT_EQ(ready.status, 200) << ready.body;
  EXPECT_TRUE(ready.Json()->getValue<bool>("ready"));
  auto health = host_->Get("/api/health").Json();
  EXPECT_TRUE(health->getValue<bool>("live"));
  EXPECT_TRUE(health->getValue<bool>("plugins_started"));
  EXPECT_TRUE(health->getObject("sync")->isNull("last_success"));  // nothing synced yet

  host_->Post("/api/auth/token", "{\"refresh_token\": \"" + sim_->NewRefreshToken() + "\"}", token_);
  ASSERT_EQ(host_->Get("/api/probe/vehicles/" + std::to_string(kCommuter) + "/data", token_).status, 200);
  health = host_->Get("/api/health").Json();
  EXPECT_FALSE(health->getObject("sync")->isNull("last_success"));
  EXPECT_FALSE(health->getObject("sync")->has("targets")) << "vehicle ids shown to anonymous callers";
  const auto with_token = host_->Get("/api/health", token_).Json()->getObject("sync")->getArray("targets");
  bool found = false;
  for (std::size_t i = 0; i < with_token->size(); ++i) {
    const auto t = with_token->getObject(static_cast<unsigned>(i));
    if (t->getValue<std::string>("target") == "vehicle:" + std::to_string(kCommuter)) {
      found = true;
      EXPECT_FALSE(t->isNull("last_success"));
      EXPECT_EQ(t->getValue<int>("last_status"), 200);
    }
  }
  EXPECT_TRUE(found);
  EXPECT_EQ(host_->Stop(), 0);
}

}  // namespace
}  // namespace tessie::testing
