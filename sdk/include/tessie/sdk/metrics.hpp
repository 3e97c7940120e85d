#pragma once
#include <map>
#include <string>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// Label name → value of one series.
using MetricLabels = std::map<std::string, std::string>;

// A plugin's part of GET /metrics (Prometheus text format). A plugin declares the families it owns, then sets
// or adds to their series; the host renders them beside its own. Every family a plugin declared is removed
// when the plugin stops (like its routes), so a stopped or failed plugin leaves no stale series behind.
//
// Names must match tessie_[a-z0-9_]* and must not be declared by the host or another plugin; a label value is
// any text (the host escapes it). Misuse (a bad or taken name, writing a family this plugin did not declare, a
// negative counter increment) throws std::invalid_argument: a programming error, found at the first run.
// Thread-safe: jobs, routes and event handlers may write concurrently.
class TESSIE_SDK_API Metrics {
 public:
  virtual ~Metrics() = default;
  // A counter: only ever goes up (Add with value ≥ 0), or mirrors a monotonic source with Set.
  virtual void Counter(const std::string& name, const std::string& help) = 0;
  // A gauge: a value that goes up and down (Set, or Add with any sign).
  virtual void Gauge(const std::string& name, const std::string& help) = 0;
  virtual void Add(const std::string& name, const MetricLabels& labels = {}, double value = 1) = 0;
  virtual void Set(const std::string& name, const MetricLabels& labels, double value) = 0;
  // Removes every series of one of this plugin's families (a gauge rebuilt from scratch: cars that left).
  virtual void Clear(const std::string& name) = 0;
};

}  // namespace v1
}  // namespace tessie::sdk
