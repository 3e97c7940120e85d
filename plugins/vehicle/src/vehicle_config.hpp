#pragma once
// The plugin's config schema and how a validated section becomes polling, discovery and MQTT settings.
#include <chrono>
#include <string>
#include <vector>

#include "places.hpp"
#include "polling_policy.hpp"
#include "tessie/sdk/config.hpp"

namespace tessie::vehicle {

struct Settings {
  PollingSettings polling;
  std::chrono::milliseconds discovery_interval{std::chrono::hours(1)};
  bool imperial = false;  // units: imperial (Home Assistant only; REST is always metric)
  std::vector<Place> places;
  std::string time_zone = "UTC";  // IANA; bare dates and wall times of the REST time parameters
};

sdk::ConfigSchema Schema();

// `section` has been validated against Schema() (defaults filled in).
Settings ReadSettings(const sdk::ConfigSection& section);

}  // namespace tessie::vehicle
