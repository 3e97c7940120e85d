#include "vehicle_config.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>

#include "tessie/local_time.hpp"

namespace tessie::vehicle {

using namespace std::chrono_literals;

using sdk::ConfigField;

sdk::ConfigSchema Schema() {
  auto duration = [](const char* key, const char* desc, std::chrono::milliseconds default_value) {
    return ConfigField::Duration(key, desc).Default(default_value).Validate(
        [](const Poco::Dynamic::Var& v) -> std::string {
          return v.convert<Poco::Int64>() >= 100 ? "" : "must be at least 100ms";
        });
  };
  // A required coordinate of a place, within ±limit degrees.
  auto degrees = [](const char* key, const char* desc, int limit) {
    const std::string error = "must be between -" + std::to_string(limit) + " and " + std::to_string(limit);
    return ConfigField::Double(key, desc).Required().Validate([limit, error](const Poco::Dynamic::Var& v) -> std::string {
      const double d = v.convert<double>();
      return d >= -limit && d <= limit ? "" : error;
    });
  };
  return {
      ConfigField::String("polling", "adaptive (sleep-friendly) or fixed")
          .Default("adaptive")
          .Validate([](const Poco::Dynamic::Var& v) -> std::string {
            return v.toString() == "adaptive" || v.toString() == "fixed" ? "" : "use adaptive or fixed";
          }),
      duration("interval", "polling: fixed — vehicle_data every interval", 5min),
      duration("state_check_interval", "adaptive: connectivity checks (free) while asleep or parked", 60s),
      duration("driving_interval", "adaptive: vehicle_data while driving", 5min),
      duration("charging_interval", "adaptive: vehicle_data while charging (AC)", 15min),
      duration("fast_charging_interval", "adaptive: vehicle_data while charging on a DC charger", 2min),
      duration("after_drive_interval", "adaptive: vehicle_data after a drive ended (is a charge starting?)", 2min),
      duration("after_drive_window", "adaptive: how long after a drive to keep looking", 6min),
      duration("user_present_interval", "adaptive: vehicle_data while someone is in the car", 5min),
      duration("sleep_after", "how long the car needs without requests to fall asleep", 15min),
      duration("discovery_interval", "how often the account's vehicle list is refreshed", 1h),
      ConfigField::String("units", "metric or imperial (Home Assistant range, odometer, speed)")
          .Default("metric")
          .Validate([](const Poco::Dynamic::Var& v) -> std::string {
            return v.toString() == "metric" || v.toString() == "imperial" ? "" : "use metric or imperial";
          }),
      ConfigField::String("time_zone", "IANA time zone of bare dates and wall times in ?from= and ?to=; default UTC")
          .Default("UTC")
          .Validate([](const Poco::Dynamic::Var& v) -> std::string {
            return local_time::Zone::IsKnown(v.toString()) ? ""
                                                           : "unknown time zone (use an IANA name like Europe/Berlin)";
          }),
      // A list of maps; the host checks each item against the places[] keys below, naming its position.
      ConfigField::Any("places", "named places: a list of {name, latitude, longitude, radius_m}"),
      ConfigField::String("places[].name", "the place's name, shown in drives and charging sessions")
          .Required()
          .Validate([](const Poco::Dynamic::Var& v) -> std::string {
            return v.toString().empty() ? "must not be empty" : "";
          }),
      degrees("places[].latitude", "degrees north, -90 to 90", 90),
      degrees("places[].longitude", "degrees east, -180 to 180", 180),
      ConfigField::Double("places[].radius_m", "how far from the point the place reaches, in metres")
          .Default(100.0)
          .Validate([](const Poco::Dynamic::Var& v) -> std::string {
            const double d = v.convert<double>();
            return d > 0 && d <= 100'000 ? "" : "must be between 0 and 100000 (metres)";
          }),
  };
}

Settings ReadSettings(const sdk::ConfigSection& c) {
  Settings s;
  s.polling.adaptive = c.GetString("polling") == "adaptive";
  s.polling.fixed_interval = c.GetDuration("interval");
  s.polling.state_check = c.GetDuration("state_check_interval");
  s.polling.driving = c.GetDuration("driving_interval");
  s.polling.charging = c.GetDuration("charging_interval");
  s.polling.fast_charging = c.GetDuration("fast_charging_interval");
  s.polling.after_drive = c.GetDuration("after_drive_interval");
  s.polling.after_drive_window = c.GetDuration("after_drive_window");
  s.polling.user_present = c.GetDuration("user_present_interval");
  s.polling.sleep_after = c.GetDuration("sleep_after");
  s.discovery_interval = c.GetDuration("discovery_interval");
  s.imperial = c.GetString("units") == "imperial";
  s.time_zone = c.GetString("time_zone");
  if (c.Has("places")) {
    auto arr = c.GetRaw("places").extract<Poco::JSON::Array::Ptr>();
    for (std::size_t i = 0; i < arr->size(); ++i) {
      auto p = arr->getObject(static_cast<unsigned>(i));
      s.places.push_back({p->getValue<std::string>("name"), p->getValue<double>("latitude"),
                          p->getValue<double>("longitude"), p->optValue<double>("radius_m", 100.0)});
    }
  }
  return s;
}

}  // namespace tessie::vehicle
