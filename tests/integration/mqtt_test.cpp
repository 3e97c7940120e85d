// The MQTT bridge against the real Mosquitto that `make test` starts: availability, discovery, state,
// commands (retained ones ignored and cleared), Home Assistant birth, and the Home Assistant checker.
#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>
#include <mqtt/async_client.h>

#include <cstdlib>
#include <fstream>
#include <mutex>

#include "host_process.hpp"
#include "mqtt_observer.hpp"

namespace tessie::testing {
namespace {

// A host with the test plugins and MQTT on `url`, under topics of its own (tessie_<suffix>, ha_<suffix>), plus
// `extra` YAML.
std::string HostConfig(const std::filesystem::path& dir, const std::string& url, const std::string& suffix,
                       const std::string& extra = "") {
  return "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() + "\nplugin_dir: " +
         TestPluginDir().string() + "\nmqtt:\n  url: " + url + "\n  client_id: host-" + suffix +
         "\n  base_topic: tessie_" + suffix + "\n  discovery_prefix: ha_" + suffix + "\n" + extra;
}

// The connect's republish runs on its own thread beside the plugins' start: a plugin that registers its
// republish handler after it ran must still send its discovery, not wait for a reconnect or a Home Assistant
// birth. (Seen under ThreadSanitizer, where the timing differs: the example device never appeared.)
TEST(Mqtt, APluginStartingAfterTheConnectStillSendsItsDiscovery) {
  const char* url = std::getenv("TESSIE_TEST_MQTT_URL");
  if (!url) {
    if (std::getenv("TESSIE_TEST_REQUIRE_MQTT")) FAIL() << "TESSIE_TEST_MQTT_URL is not set";
    GTEST_SKIP() << "no Mosquitto";
  }
  const auto dir = FreshTestDir();
  const std::string suffix = RandomSuffix();
  const std::string base = "tessie_" + suffix, prefix = "ha_" + suffix, password = "mqtt-test-password";
  Observer observer(url, {base + "/#", prefix + "/#"});
  const std::string config = HostConfig(dir, url, suffix, "plugins:\n  example:\n    start_delay: 2s\n");
  HostProcess host(dir, config, {{"TESSIE_ADMIN_PASSWORD", password}});
  ASSERT_TRUE(host.Start()) << host.Log();
  const std::string discovery_topic = prefix + "/device/tessie_example/config";
  EXPECT_TRUE(Eventually([&] { return observer.Last(discovery_topic).has_value(); })) << host.Log();
  ASSERT_EQ(host.Stop(), 0);
}

TEST(Mqtt, AvailabilityDiscoveryStateCommandsAndBirth) {
  const char* url = std::getenv("TESSIE_TEST_MQTT_URL");
  if (!url) {
    if (std::getenv("TESSIE_TEST_REQUIRE_MQTT")) FAIL() << "TESSIE_TEST_MQTT_URL is not set";
    GTEST_SKIP() << "no Mosquitto";
  }
  const auto dir = FreshTestDir();
  const std::string suffix = RandomSuffix();
  const std::string base = "tessie_" + suffix, prefix = "ha_" + suffix, password = "mqtt-test-password";
  Observer observer(url, {base + "/#", prefix + "/#"});
  const std::string config = HostConfig(dir, url, suffix);
  HostProcess host(dir, config, {{"TESSIE_ADMIN_PASSWORD", password}});
  ASSERT_TRUE(host.Start()) << host.Log();
  const auto token = host.Login(password);

  ASSERT_TRUE(Eventually([&] {
    auto m = observer.Last(base + "/status");
    return m && m->payload == "online";
  })) << host.Log();
  const std::string discovery_topic = prefix + "/device/tessie_example/config";
  ASSERT_TRUE(Eventually([&] { return observer.Last(discovery_topic).has_value(); })) << host.Log();
  ASSERT_TRUE(Eventually([&] { return observer.Last(base + "/example/ticks").has_value(); }));
  EXPECT_EQ(host.Get("/api/health").Json()->getObject("mqtt")->getValue<bool>("connected"), true);

  // A live command is executed.
  observer.Publish(base + "/example/sync", "PRESS", false);
  ASSERT_TRUE(Eventually(
      [&] { return host.Get("/api/example/mqtt", token).Json()->getValue<std::string>("last_command") == "PRESS"; }));

  // Home Assistant's birth message makes the host republish its discovery.
  const int republished = host.Get("/api/example/mqtt", token).Json()->getValue<int>("republished");
  observer.Publish(prefix + "/status", "online", false);
  ASSERT_TRUE(Eventually(
      [&] { return host.Get("/api/example/mqtt", token).Json()->getValue<int>("republished") > republished; }));

  // A clean stop leaves "offline" behind.
  ASSERT_EQ(host.Stop(), 0);
  ASSERT_TRUE(Eventually([&] {
    auto m = observer.Last(base + "/status");
    return m && m->payload == "offline";
  }));

  // A retained command waiting on the broker must not run at the next start, and is cleared.
  observer.Publish(base + "/example/sync", "STALE", true);
  ASSERT_TRUE(host.Start()) << host.Log();
  const auto token2 = host.Login(password);
  ASSERT_TRUE(Eventually([&] {
    auto m = observer.Last(base + "/example/sync");
    return m && m->payload.empty();
  })) << host.Log();
  EXPECT_NE(host.Get("/api/example/mqtt", token2).Json()->getValue<std::string>("last_command"), "STALE");
  EXPECT_NE(host.Log().find("ignoring retained command on " + base + "/example/sync"), std::string::npos);

  // What a newly connecting Home Assistant sees (the retained snapshot plus a few live states) passes
  // Home Assistant's discovery rules.
  Observer snapshot(url, {base + "/#", prefix + "/#"});
  ASSERT_TRUE(Eventually([&] {
    int ticks = 0;
    for (const auto& m : snapshot.Messages()) ticks += m.topic == base + "/example/ticks" && !m.retained;
    return snapshot.Last(discovery_topic).has_value() && ticks >= 2;
  }));
  ASSERT_EQ(host.Stop(), 0);
  const auto capture = dir / "capture.jsonl";
  snapshot.WriteCapture(capture);
  std::string report;
  EXPECT_TRUE(HaDiscoveryCheck(capture, prefix, report)) << report;
}

}  // namespace
}  // namespace tessie::testing
