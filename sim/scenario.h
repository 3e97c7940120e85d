#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace tessie::sim {

// A scenario file that cannot be used; the message names the file position or entity and what to fix.
class ScenarioError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct GeoPoint {
  double lat = 0;
  double lon = 0;
  std::string name;
};

struct ScheduleEvent {
  enum class Kind { kDrive, kCharge };
  Kind kind = Kind::kDrive;
  double start_s = 0;
  // drive
  double duration_s = 0;
  double distance_km = 0;
  GeoPoint to;
  std::vector<GeoPoint> via;  // optional waypoints between the car's position and `to`, in order
  // charge (at the car's position when it starts)
  double power_kw = 0;
  bool dc = false;
  double target_soc_pct = 80;
  double max_duration_s = 0;  // > 0: the charge is stopped after this long even below the target
  std::int64_t site_id = 0;   // energy site whose house load includes this charge (its wall connector); 0 = none
};

struct VehicleSpec {
  std::int64_t id = 0;
  std::int64_t vehicle_id = 0;
  std::string vin;
  std::string display_name;
  // Like many real accounts: /api/1/products and /vehicles give display_name "", the name is only in
  // vehicle_data → vehicle_state.vehicle_name.
  bool unnamed_in_list = false;
  std::string car_type = "model3";
  std::string trim_badging = "74d";
  std::string exterior_color = "MidnightSilver";
  std::string wheel_type = "Pinwheel18CapKit";
  std::string car_version = "2025.14.3 1a2b3c4d5e6f";
  std::string time_zone = "UTC";
  bool eu_vehicle = false;
  double battery_kwh = 75;
  double start_soc_pct = 80;
  double start_odometer_km = 10000;
  double consumption_wh_per_km = 150;  // energy used while driving
  double rated_wh_per_km = 140;        // for the displayed (rated) range
  double drain_awake_w = 400;          // idle drain while parked, unplugged and awake (sentry off)
  double drain_asleep_w = 40;          // idle drain while parked, unplugged and asleep (~1.3 %/day of 75 kWh)
  GeoPoint home;
  std::vector<ScheduleEvent> schedule;  // sorted by start, repeats expanded
};

struct Outage {
  double start_s = 0;
  double duration_s = 0;
};

struct EnergySiteSpec {
  std::int64_t energy_site_id = 0;
  std::string site_name = "Home";
  std::string time_zone = "UTC";
  std::string installation_date = "2023-01-01T00:00:00Z";
  GeoPoint location;
  int battery_count = 1;
  double battery_capacity_kwh = 13.5;
  double battery_power_kw = 5;
  double start_soc_pct = 50;
  double solar_peak_kw = 0;
  double base_load_w = 500;
  double backup_reserve_pct = 20;
  int wall_connectors = 1;
  std::vector<std::string> cloudy_days;  // local dates with 30 % of clear-sky solar
  std::vector<Outage> outages;
};

struct Scenario {
  double start_s = 0;  // simulated UTC start, aligned to 5 minutes
  std::string region = "na";
  std::string base_url;                                          // users/region answer; empty = the simulator's own URL
  std::string user_id = "8b3ac1c5-7f0e-4b2b-9d6e-5f5c3e6f0a11";  // token subject
  std::int64_t account_id = 1000001;                             // user_id in vehicle objects
  std::string client_id = "tessie-stats";
  double access_token_lifetime_s = 28800;
  double idle_sleep_s = 900;
  double wake_delay_s = 15;
  int data_per_min = 60;
  int commands_per_min = 30;
  int wakes_per_min = 3;
  std::vector<VehicleSpec> vehicles;
  std::vector<EnergySiteSpec> energy_sites;
};

// Throw ScenarioError.
Scenario LoadScenario(const std::string& path);
Scenario ParseScenario(const std::string& yaml_text);

}  // namespace tessie::sim
