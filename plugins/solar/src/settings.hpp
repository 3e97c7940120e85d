#pragma once
// The plugin's config schema (plugins.solar) and the settings read from a validated section.
#include <optional>
#include <string>

#include "share_service.hpp"
#include "tessie/sdk/config.hpp"

namespace tessie::solar {

struct Settings {
  ShareSettings share;
  std::optional<std::string> time_zone;  // overrides the zone the powerwall plugin reports for every site
};

sdk::ConfigSchema Schema();

// Reads a section the host validated against Schema().
Settings ReadSettings(const sdk::ConfigSection& section);

}  // namespace tessie::solar
