#pragma once
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

enum class ConfigType {
  kBool,
  kInt,
  kDouble,
  kString,
  kDuration,    // "500ms", "30s", "5m", "2h", "1d" or a number of seconds; read with GetDuration
  kStringList,  // a YAML sequence of scalars
  kAny,         // any YAML (maps, lists); checked by `validate`, read with GetRaw as JSON-like values
};

// One key of a config section. Keys may be dotted ("tariff.price") to describe nested maps.
struct ConfigField {
  std::string key;
  ConfigType type = ConfigType::kString;
  std::string description;
  // Used when the key is absent; an empty Var means "no default" (GetX then throws unless `required`).
  Poco::Dynamic::Var default_value;
  bool required = false;
  // Never echoed in errors or logs (passwords, tokens).
  bool secret = false;
  // Extra check after the type check; returns an error message, or "" when the value is fine.
  std::function<std::string(const Poco::Dynamic::Var&)> validate;
};

using ConfigSchema = std::vector<ConfigField>;

// Thrown by ConfigSection getters for a key that has no value and no default. Plugins may also throw it
// from Configure to reject a combination of values; the host reports it naming the plugin.
class TESSIE_SDK_API ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A validated config section: every key in the schema is present (value or default) and has the
// declared type. Immutable after the host hands it over; safe to read from any thread.
class TESSIE_SDK_API ConfigSection {
 public:
  ConfigSection() : values_(new Poco::JSON::Object) {}
  explicit ConfigSection(Poco::JSON::Object::Ptr values) : values_(std::move(values)) {}

  bool Has(const std::string& key) const { return values_->has(key) && !values_->isNull(key); }
  bool GetBool(const std::string& key) const { return Get(key).convert<bool>(); }
  std::int64_t GetInt(const std::string& key) const { return Get(key).convert<Poco::Int64>(); }
  double GetDouble(const std::string& key) const { return Get(key).convert<double>(); }
  std::string GetString(const std::string& key) const { return Get(key).convert<std::string>(); }
  // Durations are stored as milliseconds after validation.
  std::chrono::milliseconds GetDuration(const std::string& key) const {
    return std::chrono::milliseconds(Get(key).convert<Poco::Int64>());
  }
  std::vector<std::string> GetStringList(const std::string& key) const {
    std::vector<std::string> out;
    auto array = values_->getArray(key);
    if (array) {
      for (std::size_t i = 0; i < array->size(); ++i) out.push_back(array->getElement<std::string>(i));
    }
    return out;
  }
  // kAny values: Poco::JSON::Object::Ptr for maps, Poco::JSON::Array::Ptr for lists, scalars otherwise.
  Poco::Dynamic::Var GetRaw(const std::string& key) const { return Get(key); }
  const Poco::JSON::Object& Values() const { return *values_; }

 private:
  Poco::Dynamic::Var Get(const std::string& key) const {
    if (!Has(key)) throw ConfigError("config key '" + key + "' has no value");
    return values_->get(key);
  }
  Poco::JSON::Object::Ptr values_;
};

}  // namespace v1
}  // namespace tessie::sdk
