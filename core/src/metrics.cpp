#include "metrics.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace tessie::core {

namespace {

bool ValidName(const std::string& name) {
  if (name.empty()) return false;
  for (std::size_t i = 0; i < name.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(name[i]);
    const bool ok = std::isalpha(c) || c == '_' || c == ':' || (i > 0 && std::isdigit(c));
    if (!ok) return false;
  }
  return true;
}

std::string EscapeHelp(const std::string& help) {
  std::string out;
  for (char c : help) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string LabelText(const MetricLabels& labels, const std::string& extra_name = "",
                      const std::string& extra_value = "") {
  if (labels.empty() && extra_name.empty()) return "";
  std::string out = "{";
  bool first = true;
  for (const auto& [name, value] : labels) {
    out += (first ? "" : ",") + name + "=\"" + EscapeLabelValue(value) + "\"";
    first = false;
  }
  if (!extra_name.empty()) out += (first ? "" : ",") + extra_name + "=\"" + EscapeLabelValue(extra_value) + "\"";
  return out + "}";
}

const char* TypeName(MetricType t) {
  switch (t) {
    case MetricType::kCounter:
      return "counter";
    case MetricType::kGauge:
      return "gauge";
    case MetricType::kHistogram:
      return "histogram";
  }
  return "untyped";
}

bool AllDigits(const std::string& s) {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

}  // namespace

const std::vector<double>& DefaultSecondsBuckets() {
  static const std::vector<double> buckets = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};
  return buckets;
}

std::string EscapeLabelValue(const std::string& value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string FormatMetricValue(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  if (value == std::floor(value) && std::fabs(value) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%.0f", value);
    return buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.17g", value);
  // Shortest form that reads back the same.
  for (int precision = 6; precision < 17; ++precision) {
    char shorter[32];
    std::snprintf(shorter, sizeof(shorter), "%.*g", precision, value);
    if (std::strtod(shorter, nullptr) == value) return shorter;
  }
  return buf;
}

std::string NormalizeEndpoint(const std::string& endpoint) {
  const std::string path = endpoint.substr(0, endpoint.find('?'));
  std::string out;
  std::size_t start = 0;
  while (start <= path.size()) {
    const auto slash = path.find('/', start);
    const std::string segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    // Numeric ids (three digits or more: "/api/1/" is the API version), VINs (17 letters and digits).
    const bool vin =
        segment.size() == 17 &&
        std::all_of(segment.begin(), segment.end(),
                    [](char c) { return std::isalnum(static_cast<unsigned char>(c)); }) &&
        std::any_of(segment.begin(), segment.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    out += (AllDigits(segment) && segment.size() >= 3) || vin ? "{id}" : segment;
    if (slash == std::string::npos) break;
    out += '/';
    start = slash + 1;
  }
  return out;
}

void MetricsRegistry::Describe(const std::string& name, MetricType type, const std::string& help,
                               std::vector<double> buckets) {
  if (!ValidName(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it != families_.end()) {
    if (it->second.type != type) throw std::invalid_argument("metric '" + name + "' declared with another type");
    return;
  }
  Family f;
  f.type = type;
  f.help = help;
  if (type == MetricType::kHistogram) {
    std::sort(buckets.begin(), buckets.end());
    f.buckets = std::move(buckets);
  }
  families_.emplace(name, std::move(f));
}

void MetricsRegistry::DescribeOwned(const std::string& owner, const std::string& name, MetricType type,
                                    const std::string& help) {
  if (!ValidName(name)) throw std::invalid_argument("invalid metric name '" + name + "'");
  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) {
    throw std::invalid_argument("metric '" + name + "' is declared already by " +
                                (it->second.owner.empty() ? std::string("the host") : "plugin '" + it->second.owner + "'"));
  }
  Family f;
  f.owner = owner;
  f.type = type;
  f.help = help;
  families_.emplace(name, std::move(f));
}

std::size_t MetricsRegistry::RemoveOwner(const std::string& owner) {
  std::lock_guard lock(mutex_);
  return std::erase_if(families_, [&](const auto& f) { return f.second.owner == owner; });
}

MetricsRegistry::Family& MetricsRegistry::Get(const std::string& name, MetricType expected) {
  auto it = families_.find(name);
  if (it == families_.end()) throw std::invalid_argument("metric '" + name + "' is not declared");
  if (it->second.type != expected && !(expected == MetricType::kGauge && it->second.type == MetricType::kCounter))
    throw std::invalid_argument("metric '" + name + "' is a " + TypeName(it->second.type));
  return it->second;
}

void MetricsRegistry::Add(const std::string& name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) throw std::invalid_argument("metric '" + name + "' is not declared");
  if (it->second.type == MetricType::kHistogram) throw std::invalid_argument("metric '" + name + "' is a histogram");
  if (it->second.type == MetricType::kCounter && value < 0)
    throw std::invalid_argument("counter '" + name + "' cannot decrease");
  it->second.series[labels].value += value;
}

void MetricsRegistry::Set(const std::string& name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mutex_);
  Get(name, MetricType::kGauge).series[labels].value = value;
}

void MetricsRegistry::Observe(const std::string& name, const MetricLabels& labels, double value) {
  std::lock_guard lock(mutex_);
  auto& f = Get(name, MetricType::kHistogram);
  auto& s = f.series[labels];
  if (s.hits.empty()) s.hits.assign(f.buckets.size(), 0);
  const auto bucket = std::lower_bound(f.buckets.begin(), f.buckets.end(), value) - f.buckets.begin();
  if (static_cast<std::size_t>(bucket) < s.hits.size()) ++s.hits[static_cast<std::size_t>(bucket)];
  ++s.count;
  s.value += value;
}

void MetricsRegistry::Clear(const std::string& name) {
  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) it->second.series.clear();
}

double MetricsRegistry::Value(const std::string& name, const MetricLabels& labels) const {
  std::lock_guard lock(mutex_);
  auto it = families_.find(name);
  if (it == families_.end()) return 0;
  auto s = it->second.series.find(labels);
  if (s == it->second.series.end()) return 0;
  return it->second.type == MetricType::kHistogram ? static_cast<double>(s->second.count) : s->second.value;
}

void MetricsRegistry::AddCollector(std::function<void(MetricsRegistry&)> collector) {
  std::lock_guard lock(collectors_mutex_);
  collectors_.push_back(std::move(collector));
}

std::string MetricsRegistry::Render() {
  std::vector<std::function<void(MetricsRegistry&)>> collectors;
  {
    std::lock_guard lock(collectors_mutex_);
    collectors = collectors_;
  }
  for (auto& c : collectors) c(*this);

  std::ostringstream out;
  std::lock_guard lock(mutex_);
  for (const auto& [name, f] : families_) {
    out << "# HELP " << name << " " << EscapeHelp(f.help) << "\n";
    out << "# TYPE " << name << " " << TypeName(f.type) << "\n";
    for (const auto& [labels, s] : f.series) {
      if (f.type != MetricType::kHistogram) {
        out << name << LabelText(labels) << " " << FormatMetricValue(s.value) << "\n";
        continue;
      }
      std::uint64_t cumulative = 0;
      for (std::size_t i = 0; i < f.buckets.size(); ++i) {
        cumulative += i < s.hits.size() ? s.hits[i] : 0;
        out << name << "_bucket" << LabelText(labels, "le", FormatMetricValue(f.buckets[i])) << " " << cumulative
            << "\n";
      }
      out << name << "_bucket" << LabelText(labels, "le", "+Inf") << " " << s.count << "\n";
      out << name << "_sum" << LabelText(labels) << " " << FormatMetricValue(s.value) << "\n";
      out << name << "_count" << LabelText(labels) << " " << s.count << "\n";
    }
  }
  return out.str();
}

void PluginMetrics::Declare(const std::string& name, MetricType type, const std::string& help) {
  static constexpr std::string_view kPrefix = "tessie_";
  const bool lower = std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
  if (name.rfind(kPrefix, 0) != 0 || name.size() == kPrefix.size() || !lower) {
    throw std::invalid_argument("plugin '" + plugin_ + "': metric name '" + name + "' must match tessie_[a-z0-9_]*");
  }
  std::lock_guard lock(mutex_);
  if (auto it = families_.find(name); it != families_.end()) {
    if (it->second != type) throw std::invalid_argument("plugin '" + plugin_ + "': metric '" + name + "' declared with another type");
    return;  // declared again (e.g. in Start after a Configure): nothing changes
  }
  if (registry_) registry_->DescribeOwned(plugin_, name, type, help);
  families_.emplace(name, type);
}

void PluginMetrics::CheckOwned(const std::string& name) const {
  std::lock_guard lock(mutex_);
  if (!families_.count(name))
    throw std::invalid_argument("plugin '" + plugin_ + "': metric '" + name + "' is not declared by this plugin");
}

void PluginMetrics::Counter(const std::string& name, const std::string& help) {
  Declare(name, MetricType::kCounter, help);
}
void PluginMetrics::Gauge(const std::string& name, const std::string& help) { Declare(name, MetricType::kGauge, help); }

void PluginMetrics::Add(const std::string& name, const sdk::MetricLabels& labels, double value) {
  CheckOwned(name);
  if (registry_) registry_->Add(name, labels, value);
}

void PluginMetrics::Set(const std::string& name, const sdk::MetricLabels& labels, double value) {
  CheckOwned(name);
  if (registry_) registry_->Set(name, labels, value);
}

void PluginMetrics::Clear(const std::string& name) {
  CheckOwned(name);
  if (registry_) registry_->Clear(name);
}

void PluginMetrics::Revoke() {
  std::lock_guard lock(mutex_);
  if (registry_) registry_->RemoveOwner(plugin_);
  families_.clear();
}

}  // namespace tessie::core
