#pragma once
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <type_traits>
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
// Build one by name rather than by position, one factory per ConfigType, each step returning a new field:
//   ConfigField::Int("interval_s", "seconds between polls").Default(60).Validate(positive)
//   ConfigField::String("token", "API token").Required().Secret()
//   ConfigField::Duration("timeout", "request timeout").Default(std::chrono::seconds(15))
// The aggregate form {key, type, description, default, required, secret, validate} still compiles.
struct ConfigField {
  using Validator = std::function<std::string(const Poco::Dynamic::Var&)>;

  std::string key;
  ConfigType type = ConfigType::kString;
  std::string description;
  // Used when the key is absent; an empty Var means "no default" (GetX then throws unless `required`).
  Poco::Dynamic::Var default_value;
  bool required = false;
  // Never echoed in config errors, and masked in every log line once the host validated the config
  // (the value itself, wherever a plugin or the host would write it).
  bool secret = false;
  // Extra check after the type check; returns an error message, or "" when the value is fine.
  Validator validate;

  static ConfigField Bool(std::string key, std::string description) {
    return Of(std::move(key), ConfigType::kBool, std::move(description));
  }
  static ConfigField Int(std::string key, std::string description) {
    return Of(std::move(key), ConfigType::kInt, std::move(description));
  }
  static ConfigField Double(std::string key, std::string description) {
    return Of(std::move(key), ConfigType::kDouble, std::move(description));
  }
  static ConfigField String(std::string key, std::string description) {
    return Of(std::move(key), ConfigType::kString, std::move(description));
  }
  static ConfigField Duration(std::string key, std::string description) {
    return Of(std::move(key), ConfigType::kDuration, std::move(description));
  }
  static ConfigField StringList(std::string key, std::string description) {
    return Of(std::move(key), ConfigType::kStringList, std::move(description));
  }
  static ConfigField Any(std::string key, std::string description) {
    return Of(std::move(key), ConfigType::kAny, std::move(description));
  }

  // The value used when the key is absent, stored the way validation stores a value of the field's type:
  // integers as Int64, a duration (std::chrono) or a whole number of milliseconds for kDuration as Int64
  // milliseconds, text as std::string.
  template <typename T>
  ConfigField Default(T value) const {
    ConfigField f = *this;
    if constexpr (std::is_same_v<T, Poco::Dynamic::Var> || std::is_same_v<T, bool>) {
      f.default_value = value;
    } else if constexpr (std::is_integral_v<T>) {
      f.default_value = static_cast<Poco::Int64>(value);
    } else if constexpr (std::is_floating_point_v<T>) {
      f.default_value = static_cast<double>(value);
    } else if constexpr (std::is_convertible_v<T, std::string_view>) {
      f.default_value = std::string(std::string_view(value));
    } else if constexpr (requires { std::chrono::duration_cast<std::chrono::milliseconds>(value); }) {
      f.default_value = static_cast<Poco::Int64>(std::chrono::duration_cast<std::chrono::milliseconds>(value).count());
    } else {
      f.default_value = Poco::Dynamic::Var(value);
    }
    return f;
  }
  ConfigField Required() const {
    ConfigField f = *this;
    f.required = true;
    return f;
  }
  ConfigField Secret() const {
    ConfigField f = *this;
    f.secret = true;
    return f;
  }
  ConfigField Validate(Validator check) const {
    ConfigField f = *this;
    f.validate = std::move(check);
    return f;
  }

 private:
  static ConfigField Of(std::string key, ConfigType type, std::string description) {
    ConfigField f;
    f.key = std::move(key);
    f.type = type;
    f.description = std::move(description);
    return f;
  }
};

using ConfigSchema = std::vector<ConfigField>;

// Checks several plugins' fields share, for ConfigField::Validate.
namespace checks {
// An ISO 4217 currency code: three capital letters ("EUR", "USD").
inline std::string CurrencyCode(const Poco::Dynamic::Var& value) {
  const std::string s = value.toString();
  bool ok = s.size() == 3;
  for (char c : s) ok = ok && c >= 'A' && c <= 'Z';
  return ok ? "" : "must be a three-letter currency code like EUR";
}
}  // namespace checks

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
