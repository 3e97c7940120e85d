#pragma once
// The plugin's config schema (plugins.powerwall) and the settings read from a validated section.
#include <chrono>
#include <string>

#include "tessie/sdk/config.hpp"

namespace tessie::powerwall {

struct Settings {
  std::chrono::milliseconds live_interval{60'000};
  std::chrono::milliseconds history_interval{600'000};
  std::chrono::milliseconds backfill_delay{2'000};
  std::chrono::milliseconds discovery_interval{3600'000};
  bool backfill = true;
  int backfill_max_days = 0;      // 0: since the installation date
  std::string time_zone = "UTC";  // for sites that report none
};

sdk::ConfigSchema Schema();

// Reads a section the host validated against Schema().
Settings ReadSettings(const sdk::ConfigSection& section);

}  // namespace tessie::powerwall
