// A new owner's first run, through the real host with the shipped plugins and the simulator (test.yaml):
// the host starts with no Tesla token, the owner connects the account, and the cars and the energy site
// must appear without "Sync now" (no waiting for the hourly discovery), with the progress said in words,
// nameless cars named, and numbers rounded the way a person reads them, in REST and in Home Assistant.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <cmath>
#include <cstdlib>
#include <mutex>

#include "host_process.hpp"
#include "sim_process.hpp"

namespace tessie::testing {
namespace {

const std::string kPassword = "first-run-password";
const std::int64_t kCommuter = 1492932717794313;  // sim/scenarios/test.yaml: named in the account's lists
const std::int64_t kTripper = 1492932717794314;   // unnamed in the lists; vehicle_state.vehicle_name "Tripper"
const std::string kTripperVin = "7SAYGDEE1PA000002";
const std::string kCommuterVin = "LRW3F7EK4NC000001";
const std::string kTripperFallback = "Model Y \u20260002";  // model from the VIN, its last four characters
constexpr std::int64_t kSite = 123456;

// Keeps the last message per topic under the filters.
class Retained {
 public:
  Retained(const std::string& url, const std::vector<std::string>& filters)
      : client_(url, "first-run-" + RandomSuffix(), mqtt::create_options(MQTTVERSION_3_1_1)) {
    client_.set_message_callback([this](mqtt::const_message_ptr m) {
      std::lock_guard lock(mutex_);
      last_[m->get_topic()] = m->to_string();
    });
    client_.connect()->wait();
    for (const auto& f : filters) client_.subscribe(f, 1)->wait();
  }
  ~Retained() {
    try {
      client_.disconnect()->wait();
    } catch (...) {
    }
  }
  std::optional<std::string> Last(const std::string& topic) {
    std::lock_guard lock(mutex_);
    auto it = last_.find(topic);
    return it == last_.end() ? std::nullopt : std::optional<std::string>(it->second);
  }

 private:
  mqtt::async_client client_;
  std::mutex mutex_;
  std::map<std::string, std::string> last_;
};

class FirstRun : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* url = std::getenv("TESSIE_TEST_MQTT_URL");
    if (!url && std::getenv("TESSIE_TEST_REQUIRE_MQTT")) FAIL() << "TESSIE_TEST_MQTT_URL is not set";
    mqtt_url_ = url ? url : "";
    dir_ = FreshTestDir();
    sim_ = std::make_unique<SimProcess>(dir_);  // stepped clock: time moves only when the test says
    ASSERT_TRUE(sim_->Start()) << sim_->Log();
    suffix_ = RandomSuffix();
    std::string config = "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir_ / "data").string() +
                         "\nplugin_dir: " + PluginDir().string() + "\nclock:\n  simulator_url: " + sim_->Url() +
                         "\ntesla:\n  base_url: " + sim_->Url() + "\n  auth_url: " + sim_->Url() +
                         "/oauth2/v3/token\n  client_id: tessie-stats\n  cache_ttl: 0s\n"
                         "plugins:\n  powerwall:\n    backfill_max_days: 3\n    backfill_delay: 100ms\n";
    if (!mqtt_url_.empty()) {
      config += "mqtt:\n  url: " + mqtt_url_ + "\n  client_id: host-" + suffix_ + "\n  base_topic: tessie_" + suffix_ +
                "\n  discovery_prefix: ha_" + suffix_ + "\n";
      mqtt_ = std::make_unique<Retained>(mqtt_url_,
                                         std::vector<std::string>{"tessie_" + suffix_ + "/#", "ha_" + suffix_ + "/#"});
    }
    host_ = std::make_unique<HostProcess>(dir_, config,
                                          std::map<std::string, std::string>{{"TESSIE_ADMIN_PASSWORD", kPassword}});
    ASSERT_TRUE(host_->Start()) << host_->Log();
    token_ = host_->Login(kPassword);
    // The discovery jobs have had their run at start, without a token (what "an hour later" followed).
    ASSERT_TRUE(Eventually([&] { return DiscoverRuns("vehicle") >= 1 && DiscoverRuns("powerwall") >= 1; }))
        << host_->Get("/api/plugins", token_).body;
  }

  int DiscoverRuns(const std::string& plugin) {
    const auto plugins = host_->Get("/api/plugins", token_).Json()->getArray("plugins");
    for (std::size_t i = 0; i < plugins->size(); ++i) {
      const auto p = plugins->getObject(static_cast<unsigned>(i));
      if (p->getValue<std::string>("name") != plugin) continue;
      const auto jobs = p->getArray("jobs");
      for (std::size_t j = 0; j < jobs->size(); ++j) {
        const auto job = jobs->getObject(static_cast<unsigned>(j));
        if (job->getValue<std::string>("name") == "discover" && !job->getValue<bool>("running"))
          return job->getValue<int>("runs");
      }
    }
    return 0;
  }

  void Connect() {
    const auto r = host_->Post("/api/auth/token", "{\"refresh_token\": \"" + sim_->NewRefreshToken() + "\"}", token_);
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // GET /api/sync/status → progress (an empty object when the host has none).
  Poco::JSON::Object::Ptr Progress() {
    auto p = host_->Get("/api/sync/status", token_).Json()->getObject("progress");
    return p ? p : Poco::JSON::Object::Ptr(new Poco::JSON::Object);
  }
  std::string Phase() { return Progress()->optValue<std::string>("phase", ""); }

  std::string VehicleName(std::int64_t id) {
    const auto r = host_->Get("/api/vehicles/" + std::to_string(id), token_);
    return r.status == 200 ? r.Json()->getValue<std::string>("display_name") : "";
  }

  // The Home Assistant device name in the car's retained discovery config ("" when none yet).
  std::string DeviceName(const std::string& vin) {
    std::string lower = vin;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto payload = mqtt_->Last("ha_" + suffix_ + "/device/tessie_" + lower + "/config");
    if (!payload || payload->empty()) return "";
    return Poco::JSON::Parser()
        .parse(*payload)
        .extract<Poco::JSON::Object::Ptr>()
        ->getObject("device")
        ->getValue<std::string>("name");
  }

  std::filesystem::path dir_;
  std::string mqtt_url_, suffix_, token_;
  std::unique_ptr<SimProcess> sim_;
  std::unique_ptr<Retained> mqtt_;
  std::unique_ptr<HostProcess> host_;
};

std::size_t Total(const HttpResult& r) { return r.status == 200 ? r.Json()->getArray("items")->size() : 0; }

TEST_F(FirstRun, ConnectingListsTheCarsAndTheSiteAtOnceAndSaysWhatItIsDoing) {
  EXPECT_EQ(Phase(), "not_connected");
  EXPECT_NE(Progress()->optValue<std::string>("message", "").find("Settings"), std::string::npos);
  // Both cars fall asleep before the owner connects: the host must not wake them for their names.
  sim_->Advance(30 * 60);
  Connect();
  // A liveness bound, not a speed assertion: the next scheduled discovery is an hour away.
  ASSERT_TRUE(Eventually([&] { return Total(host_->Get("/api/vehicles", token_)) == 2; }, std::chrono::seconds(60)))
      << host_->Log();
  ASSERT_TRUE(Eventually(
      [&] {
        const auto r = host_->Get("/api/energy/sites", token_);
        if (r.status != 200) return false;
        const auto items = r.Json()->getArray("items");
        return items->size() == 1 && items->getObject(0)->getValue<std::int64_t>("energy_site_id") == kSite;
      },
      std::chrono::seconds(60)))
      << host_->Get("/api/energy/sites", token_).body;
  // The progress walks to "ready" through the backfill, counting what it found.
  ASSERT_TRUE(Eventually([&] { return Phase() == "ready"; }, std::chrono::seconds(60)))
      << Progress()->optValue<std::string>("message", "");
  const auto done = Progress();
  EXPECT_EQ(done->getValue<int>("vehicles"), 2);
  EXPECT_EQ(done->getValue<int>("energy_sites"), 1);
  EXPECT_EQ(done->getObject("backfill")->getValue<int>("days_total"), 3);
  EXPECT_EQ(done->getObject("backfill")->getValue<int>("days_done"), 3);
  EXPECT_TRUE(done->isNull("last_error")) << done->getValue<std::string>("last_error");

  // The account's list names one car only; the other, asleep, is "Model Y …0002" until it is read.
  EXPECT_EQ(VehicleName(kCommuter), "Commuter");
  EXPECT_EQ(VehicleName(kTripper), kTripperFallback);
  if (mqtt_) {
    EXPECT_TRUE(Eventually([&] { return DeviceName(kTripperVin) == kTripperFallback; })) << DeviceName(kTripperVin);
    EXPECT_TRUE(Eventually([&] { return DeviceName(kCommuterVin) == "Commuter"; })) << DeviceName(kCommuterVin);
  }
  // The owner wakes it: its vehicle_data names it (vehicle_state.vehicle_name), in REST and Home Assistant.
  ASSERT_EQ(host_->Post("/api/vehicles/" + std::to_string(kTripper) + "/wake", "", token_).status, 202);
  sim_->Advance(60);
  ASSERT_TRUE(Eventually(
      [&] {
        host_->Post("/api/vehicles/" + std::to_string(kTripper) + "/sync", "", token_);
        return VehicleName(kTripper) == "Tripper";
      },
      std::chrono::seconds(60)))
      << VehicleName(kTripper);
  const auto list = host_->Get("/api/vehicles", token_).Json()->getArray("items");
  for (std::size_t i = 0; i < list->size(); ++i) {
    EXPECT_FALSE(list->getObject(static_cast<unsigned>(i))->getValue<std::string>("display_name").empty());
  }
  if (mqtt_) {
    EXPECT_TRUE(Eventually([&] { return DeviceName(kTripperVin) == "Tripper"; })) << DeviceName(kTripperVin);
  }
}

// |value| is a multiple of 10^-decimals (as a JSON number written short: no conversion noise).
::testing::AssertionResult HasPrecision(const Poco::JSON::Object::Ptr& o, const std::string& key, int decimals) {
  if (!o->has(key) || o->isNull(key)) return ::testing::AssertionFailure() << key << " is missing";
  const double v = o->getValue<double>(key);
  const double scaled = v * std::pow(10.0, decimals);
  if (std::fabs(scaled - std::round(scaled)) > 1e-6)
    return ::testing::AssertionFailure() << key << " = " << std::setprecision(17) << v << " has more than " << decimals
                                         << " decimals";
  return ::testing::AssertionSuccess();
}

TEST_F(FirstRun, NumbersHaveThePrecisionOfTheQuantityInRestAndMqtt) {
  Connect();  // the cars are awake at the scenario's start: their data is read at once
  const std::string state_path = "/api/vehicles/" + std::to_string(kCommuter) + "/state";
  ASSERT_TRUE(Eventually(
      [&] {
        const auto r = host_->Get(state_path, token_);
        return r.status == 200 && !r.Json()->isNull("odometer_km");
      },
      std::chrono::seconds(60)))
      << host_->Get(state_path, token_).body;
  const auto state = host_->Get(state_path, token_).Json();
  EXPECT_TRUE(HasPrecision(state, "odometer_km", 1));
  EXPECT_TRUE(HasPrecision(state, "battery_range_km", 1));
  EXPECT_TRUE(HasPrecision(state, "est_battery_range_km", 1));
  EXPECT_TRUE(HasPrecision(state, "inside_temp_c", 1));
  EXPECT_TRUE(HasPrecision(state, "outside_temp_c", 1));
  if (!state->isNull("charge_energy_added_kwh")) { EXPECT_TRUE(HasPrecision(state, "charge_energy_added_kwh", 3)); }
  if (!state->isNull("charger_power_kw")) { EXPECT_TRUE(HasPrecision(state, "charger_power_kw", 2)); }
  // The simulator's truth: 20000 km at the start (within the 0.1 km the value is rounded to).
  const auto truth = sim_->Get("/sim/truth").Json()->getArray("vehicles");
  for (std::size_t i = 0; i < truth->size(); ++i) {
    const auto v = truth->getObject(static_cast<unsigned>(i));
    if (v->getValue<std::string>("vin") != kCommuterVin) continue;
    EXPECT_NEAR(state->getValue<double>("odometer_km"), v->getValue<double>("odometer_km"), 0.05);
  }

  // The energy site's live power: whole watts.
  const std::string live_path = "/api/energy/sites/" + std::to_string(kSite) + "/live";
  ASSERT_TRUE(Eventually([&] { return host_->Get(live_path, token_).status == 200; }, std::chrono::seconds(60)))
      << host_->Get(live_path, token_).body;
  const auto live = host_->Get(live_path, token_).Json();
  for (const char* key : {"solar_power_w", "battery_power_w", "grid_power_w", "load_power_w"}) {
    if (live->has(key) && !live->isNull(key)) { EXPECT_TRUE(HasPrecision(live, key, 0)); }
  }

  if (!mqtt_) return;
  // Home Assistant reads the same numbers as REST.
  const std::string base = "tessie_" + suffix_ + "/vehicles/" + kCommuterVin + "/";
  ASSERT_TRUE(Eventually([&] { return mqtt_->Last(base + "odometer").has_value(); })) << host_->Log();
  EXPECT_EQ(std::stod(*mqtt_->Last(base + "odometer")), state->getValue<double>("odometer_km"));
  EXPECT_EQ(std::stod(*mqtt_->Last(base + "range")), state->getValue<double>("battery_range_km"));
  EXPECT_EQ(std::stod(*mqtt_->Last(base + "inside_temp")), state->getValue<double>("inside_temp_c"));
}

}  // namespace
}  // namespace tessie::testing
