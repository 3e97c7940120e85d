#include "metrics.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>
#include <thread>

#include "storage.hpp"

namespace tessie::core {
namespace {

// The lines of `text` that start with `prefix`.
std::vector<std::string> Lines(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  return out;
}

TEST(Metrics, CountersAndGaugesAreExposedWithHelpAndType) {
  MetricsRegistry m;
  m.Describe("tessie_jobs_total", MetricType::kCounter, "Job runs.");
  m.Describe("tessie_queue", MetricType::kGauge, "Queue depth.");
  m.Add("tessie_jobs_total", {{"plugin", "vehicle"}, {"job", "discover"}});
  m.Add("tessie_jobs_total", {{"job", "discover"}, {"plugin", "vehicle"}}, 2);  // same series, other order
  m.Set("tessie_queue", {}, 7);
  m.Add("tessie_queue", {}, -2);
  const std::string text = m.Render();
  EXPECT_NE(text.find("# HELP tessie_jobs_total Job runs.\n# TYPE tessie_jobs_total counter\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("tessie_jobs_total{job=\"discover\",plugin=\"vehicle\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("# TYPE tessie_queue gauge\ntessie_queue 5\n"), std::string::npos) << text;
  EXPECT_EQ(m.Value("tessie_jobs_total", {{"plugin", "vehicle"}, {"job", "discover"}}), 3);
  EXPECT_EQ(m.Value("tessie_jobs_total", {{"plugin", "other"}}), 0);
}

TEST(Metrics, LabelValuesAndHelpAreEscaped) {
  MetricsRegistry m;
  m.Describe("x_total", MetricType::kCounter, "a \\ b\nnext line");
  m.Add("x_total", {{"name", "My \"Car\"\\\nTwo"}});
  const std::string text = m.Render();
  EXPECT_NE(text.find("# HELP x_total a \\\\ b\\nnext line\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_total{name=\"My \\\"Car\\\"\\\\\\nTwo\"} 1\n"), std::string::npos) << text;
  // Every sample is on one line: no raw newline inside a value.
  for (const auto& line : Lines(text, "x_total")) EXPECT_EQ(line.back(), '1') << line;
}

TEST(Metrics, HistogramsHaveCumulativeBucketsSumAndCount) {
  MetricsRegistry m;
  m.Describe("d_seconds", MetricType::kHistogram, "Durations.", {0.1, 1, 10});
  for (double v : {0.05, 0.1, 0.5, 5.0, 50.0}) m.Observe("d_seconds", {{"job", "a"}}, v);
  const std::string text = m.Render();
  EXPECT_NE(text.find("# TYPE d_seconds histogram\n"), std::string::npos);
  const auto buckets = Lines(text, "d_seconds_bucket");
  ASSERT_EQ(buckets.size(), 4u) << text;
  EXPECT_EQ(buckets[0], "d_seconds_bucket{job=\"a\",le=\"0.1\"} 2");  // le is inclusive
  EXPECT_EQ(buckets[1], "d_seconds_bucket{job=\"a\",le=\"1\"} 3");
  EXPECT_EQ(buckets[2], "d_seconds_bucket{job=\"a\",le=\"10\"} 4");
  EXPECT_EQ(buckets[3], "d_seconds_bucket{job=\"a\",le=\"+Inf\"} 5");
  const auto sum = Lines(text, "d_seconds_sum{job=\"a\"} ");
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_NEAR(std::stod(sum[0].substr(sum[0].find(' ') + 1)), 55.65, 1e-9);
  EXPECT_EQ(Lines(text, "d_seconds_count")[0], "d_seconds_count{job=\"a\"} 5");
}

TEST(Metrics, ValuesAreFormattedAsPrometheusReadsThem) {
  EXPECT_EQ(FormatMetricValue(0), "0");
  EXPECT_EQ(FormatMetricValue(42), "42");
  EXPECT_EQ(FormatMetricValue(0.002), "0.002");
  EXPECT_EQ(FormatMetricValue(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(FormatMetricValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatMetricValue(-std::numeric_limits<double>::infinity()), "-Inf");
  EXPECT_EQ(FormatMetricValue(std::nan("")), "NaN");
  EXPECT_EQ(FormatMetricValue(1.7e18), "1.7e+18");
}

TEST(Metrics, MisuseIsRejected) {
  MetricsRegistry m;
  EXPECT_THROW(m.Describe("bad name", MetricType::kCounter, ""), std::invalid_argument);
  EXPECT_THROW(m.Describe("1abc", MetricType::kCounter, ""), std::invalid_argument);
  m.Describe("c_total", MetricType::kCounter, "");
  EXPECT_NO_THROW(m.Describe("c_total", MetricType::kCounter, ""));
  EXPECT_THROW(m.Describe("c_total", MetricType::kGauge, ""), std::invalid_argument);
  EXPECT_THROW(m.Add("c_total", {}, -1), std::invalid_argument);
  EXPECT_THROW(m.Add("undeclared", {}), std::invalid_argument);
  EXPECT_THROW(m.Observe("c_total", {}, 1), std::invalid_argument);
}

TEST(Metrics, CollectorsRunAtRenderAndClearDropsSeries) {
  MetricsRegistry m;
  m.Describe("v", MetricType::kGauge, "");
  int calls = 0;
  m.AddCollector([&](MetricsRegistry& r) {
    ++calls;
    r.Clear("v");
    if (calls == 1) r.Set("v", {{"vin", "A"}}, 1);
    r.Set("v", {{"vin", "B"}}, 2);
  });
  auto text = m.Render();
  EXPECT_NE(text.find("v{vin=\"A\"} 1"), std::string::npos);
  text = m.Render();
  EXPECT_EQ(text.find("vin=\"A\""), std::string::npos) << "a vehicle that left stays exposed";
  EXPECT_NE(text.find("v{vin=\"B\"} 2"), std::string::npos);
}

TEST(Metrics, ConcurrentUpdatesAreNotLost) {
  MetricsRegistry m;
  m.Describe("n_total", MetricType::kCounter, "");
  m.Describe("h", MetricType::kHistogram, "");
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      for (int i = 0; i < 10000; ++i) {
        m.Add("n_total", {{"k", "v"}});
        m.Observe("h", {}, 0.01);
        if (i % 1000 == 0) m.Render();
      }
    });
  for (auto& t : threads) t.join();
  EXPECT_EQ(m.Value("n_total", {{"k", "v"}}), 40000);
  EXPECT_EQ(m.Value("h"), 40000);
}

TEST(Metrics, FleetEndpointsLoseTheirIds) {
  EXPECT_EQ(NormalizeEndpoint("GET /api/1/vehicles/1492932717794313/vehicle_data?endpoints=a%3Bb"),
            "GET /api/1/vehicles/{id}/vehicle_data");
  EXPECT_EQ(NormalizeEndpoint("POST /api/1/vehicles/LRW3F7EK4NC000001/wake_up"), "POST /api/1/vehicles/{id}/wake_up");
  EXPECT_EQ(NormalizeEndpoint("GET /api/1/energy_sites/123456/live_status"),
            "GET /api/1/energy_sites/{id}/live_status");
  EXPECT_EQ(NormalizeEndpoint("GET /api/1/products"), "GET /api/1/products");
}

// Issue 14: a plugin's own metrics surface (Context::Metrics), owned per plugin and revoked at stop like routes.
TEST(PluginMetrics, APluginsFamiliesAreRenderedAndGoneAfterItStops) {
  MetricsRegistry registry;
  registry.Describe("tessie_up", MetricType::kGauge, "1 while the host runs.");
  PluginMetrics vehicle_metrics(&registry, "vehicle");
  sdk::Metrics& vehicle = vehicle_metrics;  // what ctx.Metrics() returns
  vehicle.Gauge("tessie_vehicle_battery_level_percent", "State of charge.");
  vehicle.Counter("tessie_vehicle_polls_total", "Polls.");
  vehicle.Set("tessie_vehicle_battery_level_percent", {{"vin", "5YJ1"}}, 81);
  vehicle.Add("tessie_vehicle_polls_total");
  vehicle.Add("tessie_vehicle_polls_total", {}, 2);
  vehicle.Counter("tessie_vehicle_polls_total", "Polls.");  // declared again (Configure, then Start): no change
  std::string text = registry.Render();
  EXPECT_NE(text.find("# TYPE tessie_vehicle_battery_level_percent gauge\n"
                      "tessie_vehicle_battery_level_percent{vin=\"5YJ1\"} 81\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("tessie_vehicle_polls_total 3\n"), std::string::npos) << text;

  vehicle_metrics.Revoke();  // what the plugin's context does when the plugin stops
  text = registry.Render();
  EXPECT_EQ(text.find("tessie_vehicle"), std::string::npos) << text;
  EXPECT_NE(text.find("tessie_up"), std::string::npos) << text;  // the host's own stay

  // Started again, the plugin declares its families afresh.
  PluginMetrics again(&registry, "vehicle");
  again.Gauge("tessie_vehicle_battery_level_percent", "State of charge.");
  again.Set("tessie_vehicle_battery_level_percent", {{"vin", "5YJ1"}}, 80);
  EXPECT_EQ(registry.Value("tessie_vehicle_battery_level_percent", {{"vin", "5YJ1"}}), 80);
}

TEST(PluginMetrics, APluginWritesOnlyItsOwnWellNamedFamilies) {
  MetricsRegistry registry;
  registry.Describe("tessie_up", MetricType::kGauge, "1 while the host runs.");
  PluginMetrics solar_metrics(&registry, "solar");
  PluginMetrics charging_metrics(&registry, "charging");
  sdk::Metrics& solar = solar_metrics;
  sdk::Metrics& charging = charging_metrics;
  charging.Counter("tessie_charging_sessions_total", "Sessions.");
  EXPECT_THROW(solar.Gauge("solar_power_w", "no prefix"), std::invalid_argument);
  EXPECT_THROW(solar.Gauge("tessie_Solar", "upper case"), std::invalid_argument);
  EXPECT_THROW(solar.Gauge("tessie_up", "the host's"), std::invalid_argument);
  EXPECT_THROW(solar.Gauge("tessie_charging_sessions_total", "another plugin's"), std::invalid_argument);
  EXPECT_THROW(solar.Set("tessie_up", {}, 0), std::invalid_argument);  // not declared by solar
  EXPECT_THROW(solar.Add("tessie_charging_sessions_total"), std::invalid_argument);
  EXPECT_THROW(charging.Add("tessie_charging_sessions_total", {}, -1), std::invalid_argument);  // a counter
  EXPECT_THROW(charging.Gauge("tessie_charging_sessions_total", "now a gauge"), std::invalid_argument);
  EXPECT_EQ(registry.Value("tessie_up"), 0);

  solar.Gauge("tessie_solar_power_w", "Power.");
  solar.Set("tessie_solar_power_w", {{"site", "1"}}, 4200);
  solar.Set("tessie_solar_power_w", {{"site", "2"}}, 10);
  solar.Clear("tessie_solar_power_w");
  EXPECT_EQ(registry.Value("tessie_solar_power_w", {{"site", "1"}}), 0);
  charging_metrics.Revoke();
  EXPECT_EQ(registry.Render().find("tessie_charging"), std::string::npos);
  EXPECT_NE(registry.Render().find("# TYPE tessie_solar_power_w gauge"), std::string::npos);  // solar's stays

  PluginMetrics none_metrics(nullptr, "example");  // a host without metrics: checked, then nothing
  sdk::Metrics& none = none_metrics;
  none.Counter("tessie_example_total", "Ticks.");
  EXPECT_NO_THROW(none.Add("tessie_example_total"));
  EXPECT_THROW(none.Add("tessie_other_total"), std::invalid_argument);
}

TEST(WriteBuffer, KeepsWholeTransactionsInOrderUpToTheBoundAndCountsDrops) {
  WriteBuffer buffer(5);
  auto write = [](const std::string& owner, int statements) {
    BufferedWrite w;
    w.owner = owner;
    for (int i = 0; i < statements; ++i) w.statements.emplace_back("INSERT ...", sdk::SqlParams{std::int64_t{i}});
    return w;
  };
  EXPECT_TRUE(buffer.Push(write("a", 2)));
  EXPECT_TRUE(buffer.Push(write("b", 2)));
  EXPECT_FALSE(buffer.Push(write("c", 2)));  // 6 > 5: dropped whole, not split
  EXPECT_TRUE(buffer.Push(write("d", 1)));   // still fits
  EXPECT_EQ(buffer.Rows(), 5u);
  EXPECT_EQ(buffer.Dropped(), 2u);
  EXPECT_EQ(buffer.Front().owner, "a");
  buffer.Pop();
  EXPECT_EQ(buffer.Front().owner, "b");
  buffer.DropFront();  // failed on replay
  EXPECT_EQ(buffer.Dropped(), 4u);
  EXPECT_EQ(buffer.Front().owner, "d");
  buffer.Pop();
  EXPECT_TRUE(buffer.Empty());
  EXPECT_EQ(buffer.Rows(), 0u);
  WriteBuffer off(0);
  EXPECT_FALSE(off.Push(write("x", 1)));
  EXPECT_EQ(off.Dropped(), 1u);
}

}  // namespace
}  // namespace tessie::core
