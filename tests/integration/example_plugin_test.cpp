// The example plugin of docs/plugins.md (examples/daily_distance) in a real host beside the shipped vehicle
// plugin, against the simulator (stepped clock) and the real Mosquitto: what the tutorial promises a reader —
// a table filled from events, a route, a Home Assistant sensor on the car's device — works as written.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <thread>

#include "host_process.hpp"
#include "mqtt_observer.hpp"
#include "sim_process.hpp"

namespace tessie::testing {
namespace {

const std::string kPassword = "example-plugin-test-password";
const std::int64_t kCommuter = 1492932717794313;  // sim/scenarios/test.yaml: 20 km to work at 07:00Z on June 1
const std::string kCommuterVin = "LRW3F7EK4NC000001";

// A plugin directory holding the shipped vehicle plugin and the example, as a user who copied it would have.
std::filesystem::path PluginsWithExample(const std::filesystem::path& dir) {
  const auto plugins = dir / "plugins";
  std::filesystem::create_directories(plugins);
  std::filesystem::create_symlink(PluginDir() / "libvehicle.so", plugins / "libvehicle.so");
  std::filesystem::create_symlink(std::filesystem::path(TESSIE_EXAMPLE_PLUGIN_DIR) / "libdaily_distance.so",
                                  plugins / "libdaily_distance.so");
  return plugins;
}

// The day's km in GET /api/daily_distance/:id, or nullopt when the day is not there.
std::optional<double> DayKm(HostProcess& host, const std::string& token, const std::string& day) {
  const auto r = host.Get("/api/daily_distance/" + std::to_string(kCommuter), token);
  if (r.status != 200) return std::nullopt;
  const auto days = r.Json()->getArray("days");
  for (std::size_t i = 0; i < days->size(); ++i) {
    const auto d = days->getObject(static_cast<unsigned>(i));
    if (d->getValue<std::string>("day") == day) return d->getValue<double>("km");
  }
  return std::nullopt;
}

TEST(ExamplePlugin, RecordsTheDaysDistanceAndPutsASensorOnTheCarsDevice) {
  const auto dir = FreshTestDir();
  SimProcess sim(dir);
  ASSERT_TRUE(sim.Start()) << sim.Log();
  const char* mqtt_url = std::getenv("TESSIE_TEST_MQTT_URL");
  if (!mqtt_url && std::getenv("TESSIE_TEST_REQUIRE_MQTT")) FAIL() << "TESSIE_TEST_MQTT_URL is not set";
  const std::string suffix = RandomSuffix(), base = "tessie_" + suffix, prefix = "ha_" + suffix;
  std::string config = "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() +
                       "\nplugin_dir: " + PluginsWithExample(dir).string() + "\ntesla:\n  base_url: " + sim.Url() +
                       "\n  auth_url: " + sim.Url() + "/oauth2/v3/token\n  client_id: tessie-stats\n  cache_ttl: 0s\n"
                       "plugins:\n  vehicle:\n    polling: fixed\n    interval: 1s\n"
                       "  daily_distance:\n    time_zone: Europe/London\n";
  if (mqtt_url) {
    config += std::string("mqtt:\n  url: ") + mqtt_url + "\n  client_id: host-" + suffix + "\n  base_topic: " + base +
              "\n  discovery_prefix: " + prefix + "\n";
  }
  std::optional<Observer> observer;
  if (mqtt_url) observer.emplace(mqtt_url, std::vector<std::string>{base + "/#", prefix + "/#"});
  HostProcess host(dir, config, {{"TESSIE_ADMIN_PASSWORD", kPassword}});
  ASSERT_TRUE(host.Start()) << host.Log();
  const auto token = host.Login(kPassword);
  ASSERT_EQ(host.Post("/api/auth/token", "{\"refresh_token\": \"" + sim.NewRefreshToken() + "\"}", token).status, 201);
  ASSERT_EQ(host.Post("/api/sync/trigger", "", token).status, 202);

  // Parked at home at 01:00 London time: the day is there, no distance yet.
  ASSERT_TRUE(Eventually([&] { return DayKm(host, token, "2026-06-01").has_value(); })) << host.Log();
  EXPECT_EQ(*DayKm(host, token, "2026-06-01"), 0);
  // 08:30 London: the commute to work (20 km) is done.
  sim.Advance(7 * 3600 + 30 * 60);
  ASSERT_TRUE(Eventually([&] { return DayKm(host, token, "2026-06-01").value_or(0) > 19; })) << host.Log();
  // The same distance as the odometer readings the vehicle plugin stored.
  const auto history = host.Get("/api/vehicles/" + std::to_string(kCommuter) + "/history?fields=odometer_km&from=2026-06-01T00:00:00Z&to=2026-06-02T00:00:00Z",
                                token);
  ASSERT_EQ(history.status, 200) << history.body;
  double low = 1e12, high = 0;
  const auto samples = history.Json()->getArray("items");
  for (std::size_t i = 0; i < samples->size(); ++i) {
    const auto s = samples->getObject(static_cast<unsigned>(i));
    if (s->isNull("odometer_km")) continue;
    low = std::min(low, s->getValue<double>("odometer_km"));
    high = std::max(high, s->getValue<double>("odometer_km"));
  }
  const double km = *DayKm(host, token, "2026-06-01");
  EXPECT_NEAR(km, high - low, 1e-6);
  EXPECT_NEAR(km, 20, 0.5);  // the scenario's commute

  // The vehicle plugin's metrics (its own, through Context::Metrics): the car online, its battery level.
  const auto metrics = host.Get("/metrics", token);
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("# TYPE tessie_vehicle_state gauge"), std::string::npos);
  EXPECT_NE(metrics.body.find("tessie_vehicle_state{name=\"Commuter\",state=\"online\",vin=\"" + kCommuterVin + "\"} 1"),
            std::string::npos)
      << metrics.body;
  EXPECT_NE(metrics.body.find("tessie_vehicle_battery_level_percent{name=\"Commuter\",vin=\"" + kCommuterVin + "\"}"),
            std::string::npos);

  // A date that is not one is a 400 naming the parameter.
  const auto bad = host.Get("/api/daily_distance/" + std::to_string(kCommuter) + "?from=June", token);
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.body.find("from"), std::string::npos) << bad.body;

  if (!observer) GTEST_SKIP() << "no MQTT broker (TESSIE_TEST_MQTT_URL)";
  // Home Assistant: the sensor's state is the route's figure, and it sits on the car's own device.
  const std::string state_topic = base + "/daily_distance/" + kCommuterVin + "/today";
  const std::string discovery = prefix + "/device/tessie_lrw3f7ek4nc000001_daily_distance/config";
  char expected[32];
  std::snprintf(expected, sizeof expected, "%.1f", km);
  ASSERT_TRUE(Eventually([&] {
    const auto m = observer->Last(state_topic);
    return m && m->payload == expected && observer->Last(discovery);
  })) << "state: " << (observer->Last(state_topic) ? observer->Last(state_topic)->payload : "none");
  const auto config_json =
      Poco::JSON::Parser().parse(observer->Last(discovery)->payload).extract<Poco::JSON::Object::Ptr>();
  EXPECT_EQ(config_json->getObject("device")->getArray("identifiers")->getElement<std::string>(0),
            "tessie_lrw3f7ek4nc000001");  // the vehicle plugin's device id
  EXPECT_EQ(config_json->getObject("components")->getObject("distance_today")->getValue<std::string>("state_topic"),
            state_topic);
  // What a Home Assistant connecting now sees (the retained messages) passes the checker.
  Observer snapshot(mqtt_url, {base + "/#", prefix + "/#"});
  ASSERT_TRUE(Eventually([&] { return snapshot.Last(discovery) && snapshot.Last(state_topic); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the rest of the retained messages
  const auto capture = dir / "capture.jsonl";
  snapshot.WriteCapture(capture);
  std::string report;
  EXPECT_TRUE(HaDiscoveryCheck(capture, prefix, report)) << report;
}

}  // namespace
}  // namespace tessie::testing
