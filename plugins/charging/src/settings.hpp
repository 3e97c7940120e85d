#pragma once
// The plugin's config schema and how a validated section becomes detector and tariff settings.
#include <Poco/Dynamic/Var.h>

#include <optional>
#include <string>

#include "session_detector.hpp"
#include "tariff.hpp"
#include "tessie/sdk/config.hpp"

namespace tessie::charging {

struct Settings {
  DetectorConfig detector;
  TariffConfig tariff;
};

sdk::ConfigSchema Schema();

// Throws sdk::ConfigError for values that are fine one by one but not together.
Settings ReadSettings(const sdk::ConfigSection& section);

// Validators of the kAny keys: "" when fine, else what is wrong (shown after the key's file position).
std::string ValidateTimeOfUse(const Poco::Dynamic::Var& value);
std::string ValidatePlacePrices(const Poco::Dynamic::Var& value);
std::string ValidateCapacities(const Poco::Dynamic::Var& value);

// "HH:MM" (00:00..24:00) → minutes of the day.
std::optional<int> ParseClock(const std::string& text);

}  // namespace tessie::charging
