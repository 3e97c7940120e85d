// YAML config loading and validation (core/src/config.cpp): the host's own keys and a plugin section with every
// field type and every shape (list items, maps of the user's keys, a check of keys together). The documented
// outcome for a bad file is ConfigFileError ("FILE:LINE:COLUMN: KEY: problem"); any other exception, a crash or a
// sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config.hpp"

namespace {

using namespace tessie;

const sdk::ConfigSchema& PluginSchema() {
  using F = sdk::ConfigField;
  static const sdk::ConfigSchema schema = {
      F::Bool("enabled_feature", "a flag").Default(true),
      F::Duration("interval", "a duration").Default(Poco::Int64(60'000)),
      F::Int("count", "an integer").Default(3).Validate([](const Poco::Dynamic::Var& v) -> std::string {
        return v.convert<Poco::Int64>() > 0 ? "" : "must be > 0";
      }),
      F::Double("price", "a number"),
      F::String("name", "a string").Default("x"),
      F::String("token", "a secret").Secret(),
      F::StringList("places", "a list"),
      F::Any("tariff.rules", "anything"),
      F::String("tariff.currency", "nested").Default("EUR"),
      // A list of maps (with a map inside each item), a map of the user's keys, and a check of keys together.
      F::Any("stops", "a list of maps"),
      F::String("stops[].name", "required in each item").Required(),
      F::Double("stops[].radius_m", "a default in each item").Default(100.0).Validate(
          [](const Poco::Dynamic::Var& v) -> std::string { return v.convert<double>() > 0 ? "" : "must be > 0"; }),
      F::Int("stops[].at.hour", "a map inside an item"),
      F::Any("prices", "a map of the user's keys"),
      F::Double("prices.*", "each value"),
      F::Any("", "").Validate([](const Poco::Dynamic::Var& v) -> std::string {
        const auto section = v.extract<Poco::JSON::Object::Ptr>();
        return section->getValue<Poco::Int64>("count") > 1000 && section->has("stops") ? "too many" : "";
      }),
  };
  return schema;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const auto doc = core::ConfigDocument::Parse(text, "fuzz.yaml");
    try {
      core::ReadCoreConfig(doc);
    } catch (const core::ConfigFileError&) {
    }
    for (const auto& name : doc.PluginNames()) {
      try {
        doc.Validate(doc.PluginSection(name), PluginSchema(), "plugins." + name, {"enabled", "required"});
      } catch (const core::ConfigFileError&) {
      }
    }
  } catch (const core::ConfigFileError&) {
  }
  try {
    core::ParseDuration(text.substr(0, 32));
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
