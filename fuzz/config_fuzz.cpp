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
  static const sdk::ConfigSchema schema = {
      {"enabled_feature", sdk::ConfigType::kBool, "a flag", true},
      {"interval", sdk::ConfigType::kDuration, "a duration", Poco::Int64(60'000)},
      {"count", sdk::ConfigType::kInt, "an integer", Poco::Int64(3), false, false,
       [](const Poco::Dynamic::Var& v) -> std::string { return v.convert<Poco::Int64>() > 0 ? "" : "must be > 0"; }},
      {"price", sdk::ConfigType::kDouble, "a number"},
      {"name", sdk::ConfigType::kString, "a string", std::string("x")},
      {"token", sdk::ConfigType::kString, "a secret", {}, false, true},
      {"places", sdk::ConfigType::kStringList, "a list"},
      {"tariff.rules", sdk::ConfigType::kAny, "anything"},
      {"tariff.currency", sdk::ConfigType::kString, "nested", std::string("EUR")},
      // A list of maps (with a map inside each item), a map of the user's keys, and a check of keys together.
      {"stops", sdk::ConfigType::kAny, "a list of maps"},
      {"stops[].name", sdk::ConfigType::kString, "required in each item", {}, true},
      {"stops[].radius_m", sdk::ConfigType::kDouble, "a default in each item", 100.0, false, false,
       [](const Poco::Dynamic::Var& v) -> std::string { return v.convert<double>() > 0 ? "" : "must be > 0"; }},
      {"stops[].at.hour", sdk::ConfigType::kInt, "a map inside an item"},
      {"prices", sdk::ConfigType::kAny, "a map of the user's keys"},
      {"prices.*", sdk::ConfigType::kDouble, "each value"},
      {"",
       sdk::ConfigType::kAny,
       "",
       {},
       false,
       false,
       [](const Poco::Dynamic::Var& v) -> std::string {
         const auto section = v.extract<Poco::JSON::Object::Ptr>();
         return section->getValue<Poco::Int64>("count") > 1000 && section->has("stops") ? "too many" : "";
       }},
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
