#pragma once
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "tessie/sdk/metrics.hpp"

namespace tessie::core {

// Label name → value. Ordered, so one series has one key whatever order the caller used.
using MetricLabels = std::map<std::string, std::string>;

enum class MetricType { kCounter, kGauge, kHistogram };

// Default histogram buckets in seconds (1 ms … 60 s).
const std::vector<double>& DefaultSecondsBuckets();

// The host's metrics: counters, gauges and histograms with labels, rendered in the Prometheus text
// exposition format 0.0.4 (GET /metrics). Owned by the Host and handed to the components that count
// (scheduler, Fleet API client, storage, HTTP server); no globals.
//
// Thread-safe: every method may be called from any thread. Collectors run inside Render(), on the
// scraping thread, with no lock of the registry held, so they may call Set/Add/Clear.
class MetricsRegistry {
 public:
  // Declares a family. Declaring a name again with the same type is a no-op; with another type it throws
  // std::invalid_argument (a programming error). Names must match [a-zA-Z_:][a-zA-Z0-9_:]*.
  void Describe(const std::string& name, MetricType type, const std::string& help,
                std::vector<double> buckets = DefaultSecondsBuckets());
  // Declares a counter or gauge family owned by `owner` (a plugin). Throws std::invalid_argument when the
  // name is declared already, by the host or any owner (a plugin restarted after RemoveOwner may declare again).
  void DescribeOwned(const std::string& owner, const std::string& name, MetricType type, const std::string& help);
  // Removes every family `owner` declared, with its series; returns how many.
  std::size_t RemoveOwner(const std::string& owner);

  // Counter: adds `value` (≥ 0). Gauge: adds `value` (may be negative). Undeclared names throw.
  void Add(const std::string& name, const MetricLabels& labels = {}, double value = 1);
  // Gauge (or a counter mirrored from a monotonic source): sets the value.
  void Set(const std::string& name, const MetricLabels& labels, double value);
  // Histogram: one observation.
  void Observe(const std::string& name, const MetricLabels& labels, double value);
  // Removes every series of a family (for gauges rebuilt by a collector: vehicles that left).
  void Clear(const std::string& name);

  // The value of one series (counter or gauge; a histogram's count), 0 when absent. For tests and /api.
  double Value(const std::string& name, const MetricLabels& labels = {}) const;

  // Called at the start of every Render, in registration order.
  void AddCollector(std::function<void(MetricsRegistry&)> collector);

  // The text exposition format: # HELP and # TYPE per family, families sorted by name, series by labels.
  std::string Render();

 private:
  struct Series {
    double value = 0;                 // counter, gauge; histogram sum
    std::uint64_t count = 0;          // histogram
    std::vector<std::uint64_t> hits;  // histogram, per bucket (not cumulative)
  };
  struct Family {
    std::string owner;  // empty for the host's own families
    MetricType type = MetricType::kCounter;
    std::string help;
    std::vector<double> buckets;
    std::map<MetricLabels, Series> series;
  };
  Family& Get(const std::string& name, MetricType expected);

  mutable std::mutex mutex_;
  std::map<std::string, Family> families_;
  std::mutex collectors_mutex_;
  std::vector<std::function<void(MetricsRegistry&)>> collectors_;
};

// A plugin's sdk::Metrics on the host's registry: the families it declares are owned by the plugin (checked on
// every write) and removed by Revoke when the plugin stops. Thread-safe.
class PluginMetrics final : public sdk::Metrics {
 public:
  // `registry` may be null (a host without metrics): every call is then a no-op after its checks.
  PluginMetrics(MetricsRegistry* registry, std::string plugin) : registry_(registry), plugin_(std::move(plugin)) {}
  void Counter(const std::string& name, const std::string& help) override;
  void Gauge(const std::string& name, const std::string& help) override;
  void Add(const std::string& name, const sdk::MetricLabels& labels, double value) override;
  void Set(const std::string& name, const sdk::MetricLabels& labels, double value) override;
  void Clear(const std::string& name) override;
  // Removes every family of this plugin from the registry; later declarations start afresh.
  void Revoke();

 private:
  void Declare(const std::string& name, MetricType type, const std::string& help);
  void CheckOwned(const std::string& name) const;

  MetricsRegistry* registry_;
  std::string plugin_;
  mutable std::mutex mutex_;
  std::map<std::string, MetricType> families_;
};

// Escapes a label value: backslash, double quote and newline.
std::string EscapeLabelValue(const std::string& value);
// Formats a sample value: integers without a fraction, +Inf/-Inf/NaN as Prometheus spells them.
std::string FormatMetricValue(double value);
// A Fleet API path without ids, to bound the label's cardinality: "GET /api/1/vehicles/123/vehicle_data"
// → "GET /api/1/vehicles/{id}/vehicle_data"; the query string is dropped.
std::string NormalizeEndpoint(const std::string& endpoint);

}  // namespace tessie::core
