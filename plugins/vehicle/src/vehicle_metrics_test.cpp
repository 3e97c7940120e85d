#include "vehicle_metrics.hpp"

#include <gtest/gtest.h>

#include <map>
#include <set>

namespace tessie::vehicle {
namespace {

// Records what the plugin declares and sets, as GET /metrics would show it.
class RecordingMetrics final : public sdk::Metrics {
 public:
  void Counter(const std::string& name, const std::string&) override { declared.insert(name); }
  void Gauge(const std::string& name, const std::string&) override { declared.insert(name); }
  void Add(const std::string& name, const sdk::MetricLabels& labels, double value) override {
    values[{name, labels}] += value;
  }
  void Set(const std::string& name, const sdk::MetricLabels& labels, double value) override {
    ASSERT_TRUE(declared.count(name)) << name << " set before it was declared";
    values[{name, labels}] = value;
  }
  void Clear(const std::string& name) override { std::erase_if(values, [&](auto& v) { return v.first.first == name; }); }

  std::set<std::string> declared;
  std::map<std::pair<std::string, sdk::MetricLabels>, double> values;
};

sdk::MetricLabels Car(const std::string& state = "") {
  sdk::MetricLabels l{{"vin", "LRW3F7EK4NC000001"}, {"name", "Commuter"}};
  if (!state.empty()) l["state"] = state;
  return l;
}

TEST(VehicleMetrics, OneStateIsOneTheOthersZeroAndTheBatteryFollowsDataSamples) {
  RecordingMetrics m;
  VehicleMetrics metrics(m);
  sdk::events::VehicleState s;
  s.vin = "LRW3F7EK4NC000001";
  s.display_name = "Commuter";
  s.timestamp_ms = 1'780'000'000'500;
  s.state = "online";
  s.has_data = true;
  s.data.battery_level = 71;
  metrics.Record(s);
  EXPECT_EQ((m.values[{"tessie_vehicle_state", Car("online")}]), 1);
  EXPECT_EQ((m.values[{"tessie_vehicle_state", Car("asleep")}]), 0);
  EXPECT_EQ((m.values[{"tessie_vehicle_state", Car("offline")}]), 0);
  EXPECT_EQ((m.values[{"tessie_vehicle_battery_level_percent", Car()}]), 71);
  EXPECT_DOUBLE_EQ((m.values[{"tessie_vehicle_last_seen_timestamp_seconds", Car()}]), 1'780'000'000.5);

  // Asleep: a state check without data keeps the last battery level.
  sdk::events::VehicleState asleep = s;
  asleep.state = "asleep";
  asleep.has_data = false;
  asleep.data = {};
  metrics.Record(asleep);
  EXPECT_EQ((m.values[{"tessie_vehicle_state", Car("online")}]), 0);
  EXPECT_EQ((m.values[{"tessie_vehicle_state", Car("asleep")}]), 1);
  EXPECT_EQ((m.values[{"tessie_vehicle_battery_level_percent", Car()}]), 71);
}

}  // namespace
}  // namespace tessie::vehicle
