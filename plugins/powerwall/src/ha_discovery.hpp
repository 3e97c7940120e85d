#pragma once
// Home Assistant device-based discovery and state payloads for one energy site (plain logic, no I/O).
//
// Topics (relative to the bridge's base topic, as MqttBridge::Publish takes them; the discovery payload names
// them absolute through DiscoveryOptions::topic):
//   <discovery_prefix>/device/tessie_site_<id>/config    (published by the host's bridge)
//   sites/<id>/<key>                                     retained state of each entity
//
// Signs follow Home Assistant's Energy dashboard ("standard" sign): grid_power + = importing,
// battery_power + = discharging; the unsigned *_import/_export and *_charge/_discharge sensors are the
// same values split by direction. Daily energy counters are kWh, total_increasing, never negative, and
// reset at the site's local midnight.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "energy_math.hpp"
#include "local_time.hpp"
#include "tessie/sdk/fleet.hpp"

namespace tessie::powerwall {

struct SiteIdentity {
  std::int64_t id = 0;
  std::string name;  // site_name; "" → "Energy site <id>"
  bool has_solar = false;
  bool has_battery = false;
  bool has_grid = false;  // when none of the three is known, every entity is announced
  int battery_count = 0;
  int wall_connector_count = 0;  // 0: no car charging entities
};

struct DiscoveryOptions {
  // The bridge's Topic(): a relative topic as Home Assistant must subscribe to it ("tessie/sites/7/x").
  std::function<std::string(const std::string&)> topic;
  std::string availability_topic;  // the host's LWT topic
  std::string origin_version;      // the plugin's version
};

using Message = std::pair<std::string, std::string>;  // (relative topic, payload)

std::string DeviceId(std::int64_t site_id);  // "tessie_site_<id>", stable across renames
std::string StateTopic(std::int64_t site_id, const std::string& key);  // "sites/<id>/<key>"
Poco::JSON::Object::Ptr BuildDiscovery(const SiteIdentity& site, const DiscoveryOptions& options);

// States of one live_status sample; values the site did not report are left out (Home Assistant keeps
// the last one). `wall_connector_w` is the summed wall connector power, when the site has any.
std::vector<Message> LiveStateMessages(std::int64_t site_id, const sdk::LiveStatus& live, std::optional<double> wall_connector_w);
// From site_info.
std::vector<Message> SiteInfoMessages(std::int64_t site_id, std::optional<int> backup_reserve_percent);

// Keeps daily counters publishable as total_increasing: never negative, never lower than what was
// published before on the same local date; a new date starts over (Home Assistant sees the drop as the
// midnight reset). Not thread-safe: the owner serialises calls.
class DailyCounters {
 public:
  double Next(const std::string& key, const CivilDate& date, double value_wh);
  // The local date `key` was last published for; nullopt before the first.
  std::optional<CivilDate> LastDate(const std::string& key) const;

 private:
  struct Last {
    CivilDate date;
    double value_wh = 0;
  };
  std::map<std::string, Last> last_;
};

// The daily energy counters of `today` (kWh, 3 decimals) for the keys solar_energy, grid_import_energy,
// grid_export_energy, battery_charge_energy, battery_discharge_energy, home_energy, passed through
// `counters`.
std::vector<Message> DailyEnergyMessages(std::int64_t site_id, const CivilDate& today, const EnergyTotals& totals,
                                         DailyCounters& counters);
// The car charging counter (wall connector energy of the local day, integrated from live_status).
Message CarChargingEnergyMessage(std::int64_t site_id, const CivilDate& today, double energy_wh,
                                 DailyCounters& counters);

}  // namespace tessie::powerwall
