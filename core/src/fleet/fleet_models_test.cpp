#include "fleet/fleet_models.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#ifndef TESSIE_FIXTURES_DIR
#error "TESSIE_FIXTURES_DIR must name tests/fixtures/fleet-api"
#endif

namespace tessie::core::fleet {
namespace {

namespace fs = std::filesystem;

// Real responses from Home Assistant's test suites (tests/fixtures/fleet-api/SOURCES).
const fs::path kFixtureDir = fs::path(TESSIE_FIXTURES_DIR);

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read fixture " + path.string());
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// Fixture files (path relative to kFixtureDir, e.g. "ha-teslemetry/site_info.json") whose name starts
// with `prefix`.
std::vector<std::string> FixturesStartingWith(const std::string& prefix) {
  std::vector<std::string> found;
  for (const auto& entry : fs::recursive_directory_iterator(kFixtureDir)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    if (entry.path().filename().string().rfind(prefix, 0) == 0) {
      found.push_back(fs::relative(entry.path(), kFixtureDir).generic_string());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

template <typename Map>
std::vector<std::string> KeysOf(const Map& map) {
  std::vector<std::string> keys;
  for (const auto& [key, value] : map) keys.push_back(key);
  return keys;
}

// The fixture's "response" read directly with Poco, to cross-check values the models do not carry.
Poco::JSON::Object::Ptr FixtureResponse(const std::string& relative) {
  Poco::JSON::Parser parser;
  auto root = parser.parse(ReadFile(kFixtureDir / relative)).extract<Poco::JSON::Object::Ptr>();
  return root->getObject("response");
}

template <typename Fn>
void ExpectMalformed(Fn&& parse, const std::string& body, const std::string& endpoint_word) {
  try {
    parse(body);
    ADD_FAILURE() << "no FleetError for body: " << body;
  } catch (const sdk::FleetError& e) {
    EXPECT_EQ(e.Kind(), sdk::FleetErrorKind::kMalformed) << body;
    EXPECT_EQ(e.Status(), 0) << body;
    EXPECT_NE(std::string(e.what()).find(endpoint_word), std::string::npos)
        << "message should name the endpoint: " << e.what();
  } catch (const std::exception& e) {
    ADD_FAILURE() << "wrong exception type for body " << body << ": " << e.what();
  }
}

constexpr double kEps = 1e-9;

// ---- every fixture is exercised -------------------------------------------------------------------

TEST(FleetModelsContract, EveryFixtureFileBelongsToAParsedKind) {
  const std::vector<std::string> kinds = {"products",  "vehicle_data",   "live_status",
                                          "site_info", "energy_history", "history_status"};
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(kFixtureDir)) {
    // The responses are the .json files; SOURCES, NOTICE and LICENSE beside them say where they come from.
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    ++files;
    const std::string name = entry.path().filename().string();
    bool known =
        std::any_of(kinds.begin(), kinds.end(), [&name](const std::string& kind) { return name.rfind(kind, 0) == 0; });
    EXPECT_TRUE(known) << entry.path() << " has no contract test; add one to fleet_models_test.cpp";
  }
  EXPECT_GT(files, 0) << "no fixtures under " << kFixtureDir;
}

// ---- products ---------------------------------------------------------------------------------------

TEST(FleetModelsContract, ProductsSplitsVehiclesAndEnergySites) {
  const auto files = FixturesStartingWith("products");
  ASSERT_EQ(files, std::vector<std::string>{"ha-teslemetry/products.json"});
  sdk::Products products = ParseProducts(ReadFile(kFixtureDir / files[0]));

  ASSERT_EQ(products.vehicles.size(), 1u);
  const sdk::VehicleSummary& car = products.vehicles[0];
  EXPECT_EQ(car.id, 1234);
  EXPECT_EQ(car.vehicle_id, 1234);
  EXPECT_EQ(car.vin, "LRW3F7EK4NC700000");
  EXPECT_EQ(car.display_name, "Test");
  EXPECT_EQ(car.state, "asleep");
  EXPECT_FALSE(car.in_service);
  EXPECT_EQ(car.access_type, "OWNER");
  EXPECT_EQ(car.raw_json.rfind("{\"id\":1234,\"user_id\":1234,\"vehicle_id\":1234,", 0), 0u) << car.raw_json;
  EXPECT_NE(car.raw_json.find("\"wheel_type\":\"Pinwheel18CapKit\""), std::string::npos);
  EXPECT_EQ(car.raw_json.find("energy_site_id"), std::string::npos);

  ASSERT_EQ(products.energy_sites.size(), 2u);
  const sdk::EnergySiteSummary& powerwall = products.energy_sites[0];
  EXPECT_EQ(powerwall.energy_site_id, 123456);
  EXPECT_EQ(powerwall.site_name, "Energy Site");
  EXPECT_EQ(powerwall.resource_type, "battery");
  EXPECT_TRUE(powerwall.has_battery);
  EXPECT_TRUE(powerwall.has_solar);
  EXPECT_TRUE(powerwall.has_grid);
  EXPECT_NE(powerwall.raw_json.find("\"gateway_id\":\"ABC123\""), std::string::npos);

  const sdk::EnergySiteSummary& bare = products.energy_sites[1];
  EXPECT_EQ(bare.energy_site_id, 98765);
  EXPECT_EQ(bare.site_name, "");
  EXPECT_EQ(bare.resource_type, "");
  EXPECT_FALSE(bare.has_battery);
  EXPECT_FALSE(bare.has_solar);
  EXPECT_FALSE(bare.has_grid);
}

TEST(FleetModels, ProductsKeepsSixtyFourBitIdsExact) {
  const std::string body = R"({"response":[
    {"id":1492932717794313,"vehicle_id":2252180889123457,"vin":"5YJ3E1EA7KF000001","id_s":"1492932717794313"},
    {"id":"bad value","id_s":"1492932717794315","vin":"5YJ3E1EA7KF000002"},
    {"energy_site_id":2252180889123456,"components":{"battery":"yes","solar":true,"grid":null}},
    {"energy_site_id":"2252180889123458"},
    {"something_else":1},
    "not an object",
    null
  ],"count":4})";
  sdk::Products products = ParseProducts(body);
  ASSERT_EQ(products.vehicles.size(), 2u);
  EXPECT_EQ(products.vehicles[0].id, 1492932717794313LL);
  EXPECT_EQ(products.vehicles[0].vehicle_id, 2252180889123457LL);
  EXPECT_NE(products.vehicles[0].raw_json.find("1492932717794313"), std::string::npos);
  EXPECT_EQ(products.vehicles[1].id, 1492932717794315LL) << "id_s is used when id is not a number";
  EXPECT_EQ(products.vehicles[1].vehicle_id, 0);
  ASSERT_EQ(products.energy_sites.size(), 2u);
  EXPECT_EQ(products.energy_sites[0].energy_site_id, 2252180889123456LL);
  EXPECT_FALSE(products.energy_sites[0].has_battery) << "\"yes\" is not a JSON boolean";
  EXPECT_TRUE(products.energy_sites[0].has_solar);
  EXPECT_FALSE(products.energy_sites[0].has_grid);
  EXPECT_EQ(products.energy_sites[1].energy_site_id, 2252180889123458LL);
}

// ---- vehicle list / vehicle -----------------------------------------------------------------------

TEST(FleetModels, VehicleListReadsEveryVehicle) {
  // Tesla's documented example, with pagination as /api/1/vehicles sends it.
  const std::string body = R"({"response":[
    {"id":100021,"vehicle_id":99999,"vin":"TEST00000000VIN01","color":null,"access_type":"OWNER",
     "display_name":"Owned","option_codes":"TEST0,COUS","granular_access":{"hide_private":false},
     "tokens":["4f993c5b9e2b937b","7a3153b1bbb48a96"],"state":null,"in_service":false,"id_s":"100021",
     "calendar_enabled":true,"api_version":null,"backseat_token":null,"backseat_token_updated_at":null},
    {"id":1492932717794313,"vehicle_id":1234,"vin":"TEST00000000VIN02","access_type":"DRIVER",
     "display_name":"Shared","state":"offline","in_service":true}
  ],"pagination":{"previous":null,"next":null,"current":1,"per_page":2,"count":2,"pages":1},"count":2})";
  std::vector<sdk::VehicleSummary> vehicles = ParseVehicleList(body);
  ASSERT_EQ(vehicles.size(), 2u);
  EXPECT_EQ(vehicles[0].id, 100021);
  EXPECT_EQ(vehicles[0].vehicle_id, 99999);
  EXPECT_EQ(vehicles[0].display_name, "Owned");
  EXPECT_EQ(vehicles[0].state, "") << "null state means unknown";
  EXPECT_EQ(vehicles[1].id, 1492932717794313LL);
  EXPECT_EQ(vehicles[1].access_type, "DRIVER");
  EXPECT_EQ(vehicles[1].state, "offline");
  EXPECT_TRUE(vehicles[1].in_service);
}

TEST(FleetModels, WakeUpAnswerWithOnlyAStateParses) {
  sdk::VehicleSummary car = ParseVehicle(R"({"response":{"state":"online"},"error":null})");
  EXPECT_EQ(car.state, "online");
  EXPECT_EQ(car.id, 0);
  EXPECT_EQ(car.vin, "");
  EXPECT_EQ(car.raw_json, R"({"state":"online"})");
}

TEST(FleetModels, VehicleFallsBackToIdStringWhenIdMissing) {
  sdk::VehicleSummary car = ParseVehicle(R"({"response":{"id_s":"1492932717794313","state":"asleep"}})");
  EXPECT_EQ(car.id, 1492932717794313LL);
  EXPECT_EQ(car.state, "asleep");
  EXPECT_EQ(ParseVehicle(R"({"response":{"id_s":"12ab"}})").id, 0) << "non-digit id_s is not an id";
  EXPECT_EQ(ParseVehicle(R"({"response":{"id":18446744073709551615,"id_s":"7"}})").id, 7)
      << "an id beyond int64 is not an id";
  EXPECT_EQ(ParseVehicle(R"({"response":{"id":1234.5}})").id, 0) << "a fractional id is not an id";
}

// ---- vehicle_data -----------------------------------------------------------------------------------

struct VehicleDataExpect {
  std::string vin;
  std::string car_version;
  std::optional<double> time_to_full_charge_h;
  bool is_climate_on;
  bool is_user_present;
  std::optional<double> energy_remaining_kwh;
  std::string software_update_status;
  std::optional<std::string> software_update_version;
  std::optional<std::string> active_route_destination;
  double active_route_minutes_to_arrival;
};

TEST(FleetModelsContract, VehicleDataMatchesEveryFixture) {
  const std::map<std::string, VehicleDataExpect> expected = {
      {"ha-tesla_fleet/vehicle_data.json",
       {"LRWXF7EK4KC700000", "2023.44.30.8 06f534d46010", 0.0, true, false, 46.92, "available", "2024.12.0.0", "Home",
        0.103577}},
      {"ha-tesla_fleet/vehicle_data_alt.json",
       {"LRWXF7EK4KC700000", "2023.44.30.8 06f534d46010", std::nullopt, false, true, std::nullopt, "", std::nullopt,
        std::nullopt, 0.0}},
      {"ha-teslemetry/vehicle_data.json",
       {"LRW3F7EK4NC700000", "2024.44.25 06f534d46010", 0.0, true, false, std::nullopt, "available", "2024.12.0.0",
        "Home", 0.103577}},
      {"ha-teslemetry/vehicle_data_alt.json",
       {"VINVINVIN", "2023.44.30.8 06f534d46010", std::nullopt, false, false, std::nullopt, "", std::nullopt,
        std::nullopt, 0.0}},
  };
  ASSERT_EQ(FixturesStartingWith("vehicle_data"), KeysOf(expected)) << "a vehicle_data fixture is not checked";

  for (const auto& [file, want] : expected) {
    SCOPED_TRACE(file);
    sdk::VehicleData data = ParseVehicleData(ReadFile(kFixtureDir / file));
    EXPECT_EQ(data.vehicle.id, 1234);
    EXPECT_EQ(data.vehicle.vehicle_id, 1234);
    EXPECT_EQ(data.vehicle.vin, want.vin);
    EXPECT_EQ(data.vehicle.state, "online");
    EXPECT_EQ(data.vehicle.access_type, "OWNER");
    EXPECT_EQ(data.vehicle.display_name, "Test") << "no top-level display_name: vehicle_name is used";
    // The alt fixtures have charge_state.timestamp null; the other sections still carry it.
    EXPECT_EQ(data.timestamp_ms, 1705707520649LL);

    EXPECT_EQ(data.battery_level, 77);
    EXPECT_EQ(data.usable_battery_level, 77);
    ASSERT_TRUE(data.battery_range_km);
    EXPECT_EQ(*data.battery_range_km, 429.5);  // 266.87 mi, to 0.1 km
    EXPECT_EQ(data.est_battery_range_km.value_or(0), 442.6);
    EXPECT_EQ(data.ideal_battery_range_km.value_or(0), 429.5);
    EXPECT_EQ(data.charge_limit_soc, 80);
    EXPECT_EQ(data.charging_state, "Stopped");
    EXPECT_EQ(data.charge_energy_added_kwh, 0.0);
    EXPECT_EQ(data.charger_power_kw, 0.0);
    EXPECT_EQ(data.charger_voltage_v, 2);
    EXPECT_EQ(data.charger_actual_current_a, 0);
    EXPECT_EQ(data.charger_phases, std::nullopt);
    EXPECT_EQ(data.time_to_full_charge_h, want.time_to_full_charge_h);
    EXPECT_EQ(data.fast_charger_present, false);
    EXPECT_EQ(data.fast_charger_type, "ACSingleWireCAN");
    EXPECT_EQ(data.fast_charger_brand, std::nullopt) << "\"<invalid>\" is no brand";
    EXPECT_EQ(data.conn_charge_cable, "IEC");
    EXPECT_EQ(data.charge_port_door_open, true);
    EXPECT_EQ(data.charge_rate_kmh, 0.0);
    EXPECT_EQ(data.energy_remaining_kwh, want.energy_remaining_kwh);

    EXPECT_EQ(data.inside_temp_c, 29.8);
    EXPECT_EQ(data.outside_temp_c, 30.0);
    EXPECT_EQ(data.is_climate_on, want.is_climate_on);
    EXPECT_EQ(data.is_preconditioning, false);

    EXPECT_EQ(data.shift_state, std::nullopt);
    EXPECT_EQ(data.speed_kmh, std::nullopt);
    EXPECT_EQ(data.power_kw, -7.0);
    EXPECT_EQ(data.heading, 185);
    EXPECT_EQ(data.latitude, -30.222626);
    EXPECT_EQ(data.longitude, -97.6236871);
    EXPECT_EQ(data.gps_as_of_s, 1701129612);
    EXPECT_EQ(data.active_route_destination, want.active_route_destination);
    EXPECT_NEAR(data.active_route_minutes_to_arrival.value_or(-1), want.active_route_minutes_to_arrival, kEps);

    ASSERT_TRUE(data.odometer_km);
    EXPECT_EQ(*data.odometer_km, 10430.2);  // 6481.019282 mi = 10430.18949537 km, to 0.1 km
    EXPECT_EQ(data.car_version, want.car_version);
    EXPECT_EQ(data.locked, false);
    EXPECT_EQ(data.sentry_mode, false);
    EXPECT_EQ(data.is_user_present, want.is_user_present);
    EXPECT_EQ(data.software_update_status, want.software_update_status);
    EXPECT_EQ(data.software_update_version, want.software_update_version);
    EXPECT_EQ(data.vehicle_name, "Test");
    EXPECT_EQ(data.tpms_pressure_fl_bar, 2.775);
    EXPECT_EQ(data.tpms_pressure_fr_bar, 2.8);
    EXPECT_EQ(data.tpms_pressure_rl_bar, 2.775);
    EXPECT_EQ(data.tpms_pressure_rr_bar, 2.775);

    EXPECT_EQ(data.car_type, "model3");
    EXPECT_EQ(data.trim_badging, "74d");
    EXPECT_EQ(data.exterior_color, "DeepBlue");
    EXPECT_EQ(data.gui_distance_units, "km/hr");
    EXPECT_EQ(data.gui_temperature_units, "C");

    EXPECT_EQ(data.raw_json.rfind("{\"id\":1234,\"user_id\":1234,\"vehicle_id\":1234,", 0), 0u);
    EXPECT_EQ(data.raw_json, data.vehicle.raw_json);
  }
}

TEST(FleetModelsContract, VehicleDataRawJsonKeepsTextAndNumbersAsSent) {
  sdk::VehicleData data = ParseVehicleData(ReadFile(kFixtureDir / "ha-tesla_fleet/vehicle_data.json"));
  EXPECT_NE(data.raw_json.find("\"now_playing_title\":\"Chapter 51: Cybertruck: Tesla, 2018–2019\""),
            std::string::npos);
  EXPECT_NE(data.raw_json.find("\"lifetime_energy_used\":20505.629"), std::string::npos);
  EXPECT_NE(data.raw_json.find("\"charger_phases\":null"), std::string::npos);
  EXPECT_EQ(data.raw_json.find('\n'), std::string::npos) << "raw_json is condensed";
}

TEST(FleetModels, VehicleDataTurnsOddValuesIntoNullopt) {
  const std::string body = R"({"response":{
    "id":"bad value","id_s":"1492932717794313","vehicle_id":null,"vin":12,"display_name":"Car","state":true,
    "in_service":"false",
    "charge_state":{"battery_level":"bad value","usable_battery_level":true,"battery_range":null,
      "est_battery_range":"266.0","charge_limit_soc":80.0,"charging_state":5,"charge_port_door_open":1,
      "charger_power":"7","charger_voltage":229.6,"charger_phases":1e12,"conn_charge_cable":"<invalid>",
      "timestamp":"1705707520649"},
    "climate_state":"bad value",
    "vehicle_state":{"odometer":"1000","locked":"true","sentry_mode":null,"car_version":" ",
      "software_update":"bad value","timestamp":1700000000000},
    "gui_settings":{"gui_distance_units":["mi/hr"]}
  }})";
  sdk::VehicleData data;
  ASSERT_NO_THROW(data = ParseVehicleData(body));
  EXPECT_EQ(data.vehicle.id, 1492932717794313LL);
  EXPECT_EQ(data.vehicle.vehicle_id, 0);
  EXPECT_EQ(data.vehicle.vin, "");
  EXPECT_EQ(data.vehicle.display_name, "Car");
  EXPECT_EQ(data.vehicle.state, "");
  EXPECT_FALSE(data.vehicle.in_service);
  EXPECT_EQ(data.timestamp_ms, 1700000000000LL) << "a string timestamp is ignored";

  EXPECT_EQ(data.battery_level, std::nullopt);
  EXPECT_EQ(data.usable_battery_level, std::nullopt);
  EXPECT_EQ(data.battery_range_km, std::nullopt);
  EXPECT_EQ(data.est_battery_range_km, std::nullopt);
  EXPECT_EQ(data.charge_limit_soc, 80);
  EXPECT_EQ(data.charging_state, std::nullopt);
  EXPECT_EQ(data.charge_port_door_open, std::nullopt);
  EXPECT_EQ(data.charger_power_kw, std::nullopt);
  EXPECT_EQ(data.charger_voltage_v, 230) << "a fractional number for an integer field is rounded";
  EXPECT_EQ(data.charger_phases, std::nullopt) << "out of int range";
  EXPECT_EQ(data.conn_charge_cable, std::nullopt);
  EXPECT_EQ(data.inside_temp_c, std::nullopt);
  EXPECT_EQ(data.is_climate_on, std::nullopt);
  EXPECT_EQ(data.shift_state, std::nullopt);
  EXPECT_EQ(data.latitude, std::nullopt);
  EXPECT_EQ(data.odometer_km, std::nullopt);
  EXPECT_EQ(data.locked, std::nullopt);
  EXPECT_EQ(data.sentry_mode, std::nullopt);
  EXPECT_EQ(data.car_version, std::nullopt);
  EXPECT_EQ(data.software_update_status, std::nullopt);
  EXPECT_EQ(data.gui_distance_units, std::nullopt);
  EXPECT_NE(data.raw_json.find("\"battery_level\":\"bad value\""), std::string::npos);
}

TEST(FleetModels, VehicleDataConvertsImperialUnits) {
  const std::string body = R"({"response":{"id":1,
    "charge_state":{"charge_rate":30,"battery_range":100},
    "drive_state":{"shift_state":"D","speed":60,"power":42,"timestamp":1000},
    "vehicle_state":{"odometer":1,"timestamp":3000},
    "climate_state":{"inside_temp":21.5,"timestamp":2000},
    "charge_schedule_data":{"timestamp":{"seconds":1788552190,"nanos":85000000}}}})";
  sdk::VehicleData data = ParseVehicleData(body);
  EXPECT_EQ(data.speed_kmh.value_or(0), 96.6);
  EXPECT_EQ(data.charge_rate_kmh.value_or(0), 48.3);
  EXPECT_EQ(data.battery_range_km.value_or(0), 160.9);
  EXPECT_EQ(data.odometer_km.value_or(0), 1.6);
  EXPECT_EQ(data.inside_temp_c, 21.5) << "temperatures are already °C";
  EXPECT_EQ(data.power_kw, 42.0);
  EXPECT_EQ(data.shift_state, "D");
  EXPECT_EQ(data.timestamp_ms, 3000) << "newest section timestamp; a {seconds,nanos} object is not epoch ms";
}

TEST(FleetModels, NumbersAreRoundedToThePrecisionTheQuantityHas) {
  // 19417.849757 mi is 31249.9999993 km before rounding (the noise REST used to show).
  const std::string body = R"({"response":{"id":1,
    "charge_state":{"battery_range":201.345678,"est_battery_range":180.0000001,"charger_power":7.123456,
      "charge_energy_added":12.3456789,"energy_remaining":55.55555,"charge_rate":20.00001},
    "drive_state":{"speed":31.0686,"power":-12.34567},
    "vehicle_state":{"odometer":19417.849757,"tpms_pressure_fl":2.775},
    "climate_state":{"inside_temp":21.4999999,"outside_temp":-3.04}}})";
  sdk::VehicleData data = ParseVehicleData(body);
  EXPECT_EQ(data.odometer_km, 31250.0);
  EXPECT_EQ(data.battery_range_km, 324.0);  // 324.03...
  EXPECT_EQ(data.est_battery_range_km, 289.7);
  EXPECT_EQ(data.charger_power_kw, 7.12);
  EXPECT_EQ(data.charge_energy_added_kwh, 12.346);
  EXPECT_EQ(data.energy_remaining_kwh, 55.556);
  EXPECT_EQ(data.charge_rate_kmh, 32.2);
  EXPECT_EQ(data.speed_kmh, 50.0);
  EXPECT_EQ(data.power_kw, -12.35);
  EXPECT_EQ(data.inside_temp_c, 21.5);
  EXPECT_EQ(data.outside_temp_c, -3.0);
  EXPECT_EQ(data.tpms_pressure_fl_bar, 2.775) << "tyre pressures come in bar already: kept as sent";

  const auto live = ParseLiveStatus(R"({"response":{"solar_power":3456.78,"battery_power":-1200.4,
    "grid_power":0.5,"load_power":2256.3,"percentage_charged":55.55555,"energy_left":7500.49}})");
  EXPECT_EQ(live.solar_power_w, 3457.0);
  EXPECT_EQ(live.battery_power_w, -1200.0);
  EXPECT_EQ(live.load_power_w, 2256.0);
  EXPECT_EQ(live.percentage_charged, 55.6);
  EXPECT_EQ(live.energy_left_wh, 7500.0);
}

TEST(FleetModels, VehicleDataWithoutTimestampsHasNone) {
  sdk::VehicleData data =
      ParseVehicleData(R"({"response":{"id":1,"charge_state":{"timestamp":null,"battery_level":50}}})");
  EXPECT_EQ(data.timestamp_ms, std::nullopt);
  EXPECT_EQ(data.battery_level, 50);
}

TEST(FleetModels, VehicleDataTakesPositionFromLocationData) {
  // Without endpoints=location_data the drive_state has no position.
  const std::string body = R"({"response":{"id":1,
    "drive_state":{"power":0,"shift_state":null,"speed":null,"timestamp":1705707520000},
    "location_data":{"latitude":52.5200,"longitude":13.4050,"heading":90,"gps_as_of":1705707519,
                     "timestamp":1705707521000}}})";
  sdk::VehicleData data = ParseVehicleData(body);
  EXPECT_EQ(data.latitude, 52.52);
  EXPECT_EQ(data.longitude, 13.405);
  EXPECT_EQ(data.heading, 90);
  EXPECT_EQ(data.gps_as_of_s, 1705707519);
  EXPECT_EQ(data.timestamp_ms, 1705707521000LL);

  sdk::VehicleData no_position =
      ParseVehicleData(R"({"response":{"drive_state":{"power":0,"shift_state":null,"speed":null,"timestamp":1}}})");
  EXPECT_EQ(no_position.latitude, std::nullopt);
  EXPECT_EQ(no_position.longitude, std::nullopt);
  EXPECT_EQ(no_position.gps_as_of_s, std::nullopt);
}

TEST(FleetModels, VehicleDataDropsImpossibleCoordinates) {
  sdk::VehicleData data = ParseVehicleData(R"({"response":{"drive_state":{"latitude":123.4,"longitude":13.4}}})");
  EXPECT_EQ(data.latitude, std::nullopt);
  EXPECT_EQ(data.longitude, std::nullopt);
  sdk::VehicleData half = ParseVehicleData(R"({"response":{"drive_state":{"latitude":52.5}}})");
  EXPECT_EQ(half.latitude, std::nullopt) << "a latitude without a longitude is no position";
}

// ---- live_status ------------------------------------------------------------------------------------

TEST(FleetModelsContract, LiveStatusMatchesFixture) {
  const auto files = FixturesStartingWith("live_status");
  ASSERT_EQ(files, std::vector<std::string>{"ha-teslemetry/live_status.json"});
  sdk::LiveStatus status = ParseLiveStatus(ReadFile(kFixtureDir / files[0]));
  EXPECT_EQ(status.solar_power_w, 1185.0);
  EXPECT_EQ(status.battery_power_w, 5060.0) << "positive = the Powerwall is discharging";
  EXPECT_EQ(status.load_power_w, 6245.0);
  EXPECT_EQ(status.grid_power_w, 0.0);
  EXPECT_EQ(status.generator_power_w, 0.0);
  // The home load is what solar, battery, grid and generator supply together.
  EXPECT_EQ(*status.solar_power_w + *status.battery_power_w + *status.grid_power_w + *status.generator_power_w,
            *status.load_power_w);
  EXPECT_EQ(status.percentage_charged.value_or(0), 95.5);
  EXPECT_EQ(status.energy_left_wh, std::nullopt);
  EXPECT_EQ(status.total_pack_energy_wh, std::nullopt);
  EXPECT_EQ(status.grid_status, "Active");
  EXPECT_EQ(status.island_status, "on_grid");
  EXPECT_EQ(status.storm_mode_active, false);
  EXPECT_EQ(status.backup_capable, true);
  EXPECT_EQ(status.timestamp, "2024-01-01T00:00:00+00:00");
  EXPECT_EQ(status.timestamp_ms, 1704067200000LL);
  EXPECT_NE(status.raw_json.find("\"wall_connectors\":[{\"din\":\"abd-123\""), std::string::npos);
  EXPECT_EQ(status.wall_connector_power_w, 0.0) << "two idle wall connectors";
}

// Moved from the powerwall plugin, which parsed raw_json for it before.
TEST(FleetModels, LiveStatusSumsWallConnectorPower) {
  EXPECT_EQ(ParseLiveStatus(R"({"response":{"wall_connectors":[{"din":"a","wall_connector_power":7200},)"
                            R"({"din":"b","wall_connector_power":400}]}})")
                .wall_connector_power_w,
            7600.0);
  EXPECT_EQ(ParseLiveStatus(R"({"response":{"wall_connectors":[{"wall_connector_power":0}]}})").wall_connector_power_w,
            0.0);
  EXPECT_FALSE(ParseLiveStatus(R"({"response":{"wall_connectors":null}})").wall_connector_power_w);
  EXPECT_FALSE(ParseLiveStatus(R"({"response":{"solar_power":1}})").wall_connector_power_w);
  EXPECT_FALSE(ParseLiveStatus(R"({"response":{"wall_connectors":[]}})").wall_connector_power_w);
  // A connector never feeds: a negative reading counts as 0; a missing or non-numeric one adds nothing.
  EXPECT_EQ(ParseLiveStatus(R"({"response":{"wall_connectors":[{"wall_connector_power":-50},)"
                            R"({"wall_connector_power":"bad value"},{"din":"c"},3,{"wall_connector_power":11000}]}})")
                .wall_connector_power_w,
            11000.0);
}

TEST(FleetModels, LiveStatusKeepsChargingAndExportSigns) {
  sdk::LiveStatus charging = ParseLiveStatus(
      R"({"response":{"solar_power":16176,"battery_power":-13950,"load_power":2226,"grid_power":0,
          "energy_left":37784.05,"total_pack_energy":41883,"timestamp":"2023-11-06T13:05:10+10:00"}})");
  EXPECT_EQ(charging.battery_power_w, -13950.0) << "negative = the Powerwall is charging";
  EXPECT_EQ(charging.energy_left_wh, 37784.0);  // whole Wh
  EXPECT_EQ(charging.total_pack_energy_wh, 41883.0);
  EXPECT_EQ(charging.timestamp_ms, 1699239910000LL);

  sdk::LiveStatus exporting =
      ParseLiveStatus(R"({"response":{"solar_power":16854,"battery_power":0,"load_power":3905,"grid_power":-12949}})");
  EXPECT_EQ(exporting.grid_power_w, -12949.0) << "negative = exporting to the grid";
  EXPECT_EQ(exporting.timestamp, std::nullopt);
  EXPECT_EQ(exporting.timestamp_ms, std::nullopt);
}

TEST(FleetModels, LiveStatusOddValues) {
  sdk::LiveStatus status = ParseLiveStatus(
      R"({"response":{"solar_power":"bad value","battery_power":null,"grid_status":0,"backup_capable":"true",
          "percentage_charged":0,"total_pack_energy":1,"island_status":"island_status_unknown",
          "wall_connectors":null,"timestamp":"yesterday"}})");
  EXPECT_EQ(status.solar_power_w, std::nullopt);
  EXPECT_EQ(status.battery_power_w, std::nullopt);
  EXPECT_EQ(status.grid_status, std::nullopt);
  EXPECT_EQ(status.backup_capable, std::nullopt);
  EXPECT_EQ(status.percentage_charged, 0.0);
  EXPECT_EQ(status.island_status, "island_status_unknown");
  EXPECT_EQ(status.timestamp, "yesterday");
  EXPECT_EQ(status.timestamp_ms, std::nullopt);
}

// ---- site_info --------------------------------------------------------------------------------------

struct SiteInfoExpect {
  int battery_count;
  double nameplate_power_w;
  double nameplate_energy_wh;
  int wall_connector_count;
};

TEST(FleetModelsContract, SiteInfoMatchesEveryFixture) {
  const std::map<std::string, SiteInfoExpect> expected = {
      {"ha-tesla_fleet/site_info.json", {2, 15000, 40500, 2}},
      {"ha-teslemetry/site_info.json", {3, 15000, 40500, 2}},
      {"ha-teslemetry/site_info_multi_season.json", {1, 5000, 13500, 0}},
      {"ha-teslemetry/site_info_week_crossing.json", {1, 5000, 13500, 0}},
  };
  ASSERT_EQ(FixturesStartingWith("site_info"), KeysOf(expected)) << "a site_info fixture is not checked";
  for (const auto& [file, want] : expected) {
    SCOPED_TRACE(file);
    sdk::SiteInfo info = ParseSiteInfo(ReadFile(kFixtureDir / file));
    EXPECT_EQ(info.energy_site_id, 0) << "\"1233-abcd\" is not a numeric site id";
    EXPECT_EQ(info.site_name, "Site");
    EXPECT_EQ(info.backup_reserve_percent, 0);
    EXPECT_EQ(info.default_real_mode, "self_consumption");
    EXPECT_EQ(info.installation_date, "2022-01-01T00:00:00+00:00");
    EXPECT_EQ(info.installation_time_zone, "");
    EXPECT_EQ(info.battery_count, want.battery_count);
    EXPECT_EQ(info.nameplate_power_w, want.nameplate_power_w);
    EXPECT_EQ(info.nameplate_energy_wh, want.nameplate_energy_wh);
    EXPECT_EQ(info.storm_mode_enabled, true);
    EXPECT_TRUE(info.has_solar);
    EXPECT_TRUE(info.has_battery);
    EXPECT_TRUE(info.has_grid);
    EXPECT_EQ(info.wall_connector_count, want.wall_connector_count);
    EXPECT_EQ(info.raw_json.rfind("{\"id\":\"1233-abcd\",\"site_name\":\"Site\",", 0), 0u);
  }
}

TEST(FleetModels, SiteInfoIdsAndMissingFields) {
  EXPECT_EQ(ParseSiteInfo(R"({"response":{"id":2252180889123456}})").energy_site_id, 2252180889123456LL);
  EXPECT_EQ(ParseSiteInfo(R"({"response":{"energy_site_id":"2252180889123456","id":"x"}})").energy_site_id,
            2252180889123456LL);
  EXPECT_EQ(ParseSiteInfo(R"({"response":{"energy_site_id":7,"id":8}})").energy_site_id, 7);

  sdk::SiteInfo bare = ParseSiteInfo(
      R"({"response":{"site_name":"Solar only","backup_reserve_percent":"bad value","storm_mode_enabled":false,
          "components":{"solar":true,"battery":null}}})");
  EXPECT_EQ(bare.energy_site_id, 0);
  EXPECT_EQ(bare.site_name, "Solar only");
  EXPECT_EQ(bare.backup_reserve_percent, std::nullopt);
  EXPECT_EQ(bare.installation_time_zone, "");
  EXPECT_EQ(bare.installation_date, std::nullopt);
  EXPECT_EQ(bare.battery_count, std::nullopt);
  EXPECT_EQ(bare.storm_mode_enabled, false) << "top-level storm_mode_enabled when user_settings is absent";
  EXPECT_TRUE(bare.has_solar);
  EXPECT_FALSE(bare.has_battery);
  EXPECT_FALSE(bare.has_grid);
  EXPECT_EQ(bare.wall_connector_count, 0);
  EXPECT_EQ(ParseSiteInfo(R"({"response":{"components":{"wall_connectors":[{"din":"a"}]}}})").wall_connector_count, 1);
  EXPECT_EQ(ParseSiteInfo(R"({"response":{"components":{"wall_connectors":"two"}}})").wall_connector_count, 0);
}

// ---- calendar_history kind=energy ---------------------------------------------------------------------

struct EnergyHistoryExpect {
  std::string time_zone;
  std::size_t rows;
  std::int64_t first_ms;
  std::int64_t last_ms;
  double solar_exported;
  double grid_imported;
  double battery_exported;
  double battery_from_grid;
  double grid_services_imported;
};

double Sum(const sdk::EnergyHistory& history, double sdk::EnergyHistoryRow::*field) {
  double total = 0;
  for (const auto& row : history.rows) total += row.*field;
  return total;
}

TEST(FleetModelsContract, EnergyHistoryMatchesEveryFixture) {
  using Row = sdk::EnergyHistoryRow;
  const std::map<std::string, EnergyHistoryExpect> expected = {
      {"ha-tesla_fleet/energy_history.json",
       {"America/Los_Angeles", 2, 1685606400000, 1685606700000, 211880, 1542, 30060, 80, 45.0625}},
      {"ha-tesla_fleet/energy_history_overnight.json",
       {"Europe/London", 4, 1789167600000, 1789168500000, 0, 5100, 0, 4100, 0}},
      {"ha-tesla_fleet/history_status.json", {"", 2, 1685606400000, 1685606700000, 211880, 1542, 30060, 80, 45.0625}},
      {"ha-teslemetry/energy_history.json", {"Australia/Brisbane", 2, 1726581600000, 1726613100000, 724, 0, 36, 0, 0}},
      {"ha-teslemetry/energy_history_empty.json", {"Australia/Brisbane", 0, 0, 0, 0, 0, 0, 0, 0}},
  };
  std::vector<std::string> files = FixturesStartingWith("energy_history");
  for (const auto& file : FixturesStartingWith("history_status")) files.push_back(file);
  std::sort(files.begin(), files.end());
  ASSERT_EQ(files, KeysOf(expected)) << "an energy history fixture is not checked";

  for (const auto& [file, want] : expected) {
    SCOPED_TRACE(file);
    sdk::EnergyHistory history = ParseEnergyHistory(ReadFile(kFixtureDir / file));
    EXPECT_EQ(history.period, "day");
    EXPECT_EQ(history.time_zone, want.time_zone);
    ASSERT_EQ(history.rows.size(), want.rows);
    if (want.rows == 0) continue;
    EXPECT_EQ(history.rows.front().timestamp_ms, want.first_ms);
    EXPECT_EQ(history.rows.back().timestamp_ms, want.last_ms);
    EXPECT_DOUBLE_EQ(Sum(history, &Row::solar_energy_exported), want.solar_exported);
    EXPECT_DOUBLE_EQ(Sum(history, &Row::grid_energy_imported), want.grid_imported);
    EXPECT_DOUBLE_EQ(Sum(history, &Row::battery_energy_exported), want.battery_exported);
    EXPECT_DOUBLE_EQ(Sum(history, &Row::battery_energy_imported_from_grid), want.battery_from_grid);
    EXPECT_DOUBLE_EQ(Sum(history, &Row::grid_services_energy_imported), want.grid_services_imported);

    // Cross-check each parsed row against the totals Tesla sends alongside (not part of the model):
    // a field mapped to the wrong member shows up here.
    auto series = FixtureResponse(file)->getArray("time_series");
    ASSERT_EQ(series->size(), history.rows.size());
    for (std::size_t i = 0; i < history.rows.size(); ++i) {
      SCOPED_TRACE("row " + std::to_string(i));
      const Row& row = history.rows[i];
      auto raw = series->getObject(static_cast<unsigned>(i));
      EXPECT_EQ(row.timestamp, raw->getValue<std::string>("timestamp"));
      if (raw->has("total_home_usage")) {
        EXPECT_DOUBLE_EQ(row.consumer_energy_imported_from_grid + row.consumer_energy_imported_from_solar +
                             row.consumer_energy_imported_from_battery + row.consumer_energy_imported_from_generator,
                         raw->getValue<double>("total_home_usage"));
      }
      if (raw->has("total_battery_charge")) {
        EXPECT_DOUBLE_EQ(row.battery_energy_imported_from_grid + row.battery_energy_imported_from_solar +
                             row.battery_energy_imported_from_generator,
                         raw->getValue<double>("total_battery_charge"));
      }
      if (raw->has("total_grid_energy_exported")) {
        EXPECT_DOUBLE_EQ(row.grid_energy_exported_from_solar + row.grid_energy_exported_from_generator +
                             row.grid_energy_exported_from_battery,
                         raw->getValue<double>("total_grid_energy_exported"));
      }
      if (raw->has("total_solar_generation")) {
        EXPECT_DOUBLE_EQ(row.solar_energy_exported, raw->getValue<double>("total_solar_generation"));
      }
      if (raw->has("total_battery_discharge")) {
        EXPECT_DOUBLE_EQ(row.battery_energy_exported, raw->getValue<double>("total_battery_discharge"));
      }
    }
  }
}

TEST(FleetModels, EnergyHistoryOddRows) {
  const std::string body = R"({"response":{"period":"week","time_series":[
    {"timestamp":"2024-09-18T08:45:00+10:00","solar_energy_exported":"bad value","grid_energy_imported":null,
     "battery_energy_exported":12.5,"consumer_energy_imported_from_solar":true},
    {"timestamp":"not a time","solar_energy_exported":999},
    {"solar_energy_exported":999},
    "bad value",
    {"timestamp":"2024-09-18T08:50:00.250Z","grid_energy_imported":7}
  ]}})";
  sdk::EnergyHistory history;
  ASSERT_NO_THROW(history = ParseEnergyHistory(body));
  EXPECT_EQ(history.period, "week");
  EXPECT_EQ(history.time_zone, "");
  ASSERT_EQ(history.rows.size(), 2u) << "rows without a usable timestamp cannot be placed and are dropped";
  EXPECT_EQ(history.rows[0].timestamp_ms, 1726613100000LL);
  EXPECT_EQ(history.rows[0].solar_energy_exported, 0.0);
  EXPECT_EQ(history.rows[0].grid_energy_imported, 0.0);
  EXPECT_EQ(history.rows[0].battery_energy_exported, 12.5);
  EXPECT_EQ(history.rows[0].consumer_energy_imported_from_solar, 0.0);
  EXPECT_EQ(history.rows[0].grid_services_energy_exported, 0.0);
  EXPECT_EQ(history.rows[1].timestamp, "2024-09-18T08:50:00.250Z");
  EXPECT_EQ(history.rows[1].timestamp_ms, 1726649400250LL);
  EXPECT_EQ(history.rows[1].grid_energy_imported, 7.0);

  EXPECT_TRUE(ParseEnergyHistory(R"({"response":{"time_series":{"a":1}}})").rows.empty());
  EXPECT_TRUE(ParseEnergyHistory(R"({"response":{}})").rows.empty());
}

// ---- calendar_history kind=backup ---------------------------------------------------------------------

TEST(FleetModels, BackupHistoryEvents) {
  std::vector<sdk::BackupEvent> events = ParseBackupHistory(R"({"response":{"events":[
    {"timestamp":"2023-01-01T12:00:00-08:00","duration":3600},
    {"timestamp":"2023-02-03T04:05:06Z","duration":"bad value"},
    {"timestamp":null,"duration":60},
    {"timestamp":"2023-03-01T00:00:00+00:00","duration":90.4}
  ],"total_events":4}})");
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].timestamp, "2023-01-01T12:00:00-08:00");
  EXPECT_EQ(events[0].timestamp_ms, 1672603200000LL);
  EXPECT_EQ(events[0].duration_s, 3600);
  EXPECT_EQ(events[1].timestamp_ms, 1675397106000LL);
  EXPECT_EQ(events[1].duration_s, 0);
  EXPECT_EQ(events[2].duration_s, 90);

  EXPECT_TRUE(ParseBackupHistory(R"({"response":{"events":null,"total_events":0}})").empty());
  EXPECT_TRUE(ParseBackupHistory(R"({"response":{}})").empty());
}

// ---- malformed bodies -----------------------------------------------------------------------------------

TEST(FleetModels, MalformedBodiesThrowMalformed) {
  struct Endpoint {
    std::string word;  // in the error message
    std::function<void(const std::string&)> parse;
    std::string wrong_type;  // a valid envelope whose response has the other JSON type
  };
  const std::vector<Endpoint> endpoints = {
      {"products", [](const std::string& b) { ParseProducts(b); }, R"({"response":{"count":0}})"},
      {"vehicle list", [](const std::string& b) { ParseVehicleList(b); }, R"({"response":{"id":1}})"},
      {"vehicle", [](const std::string& b) { ParseVehicle(b); }, R"({"response":[{"id":1}]})"},
      {"vehicle_data", [](const std::string& b) { ParseVehicleData(b); }, R"({"response":"online"})"},
      {"live_status", [](const std::string& b) { ParseLiveStatus(b); }, R"({"response":[]})"},
      {"site_info", [](const std::string& b) { ParseSiteInfo(b); }, R"({"response":42})"},
      {"energy history", [](const std::string& b) { ParseEnergyHistory(b); }, R"({"response":[]})"},
      {"backup history", [](const std::string& b) { ParseBackupHistory(b); }, R"({"response":true})"},
  };
  const std::vector<std::string> bad_bodies = {
      "",
      "not json",
      "<html><body>502 Bad Gateway</body></html>",
      R"({"response":{"id":1)",
      R"([{"response":{}}])",
      R"({})",
      R"({"error":"not_found","error_description":""})",
      R"({"response":null,"error":"vehicle unavailable: vehicle is offline or asleep","error_description":""})",
  };
  for (const auto& endpoint : endpoints) {
    SCOPED_TRACE(endpoint.word);
    for (const auto& body : bad_bodies) ExpectMalformed(endpoint.parse, body, endpoint.word);
    ExpectMalformed(endpoint.parse, endpoint.wrong_type, endpoint.word);
  }
}

TEST(FleetModels, EmptyResponsesParseToDefaults) {
  EXPECT_TRUE(ParseProducts(R"({"response":[],"count":0})").vehicles.empty());
  EXPECT_TRUE(ParseVehicleList(R"({"response":[]})").empty());
  sdk::VehicleData data = ParseVehicleData(R"({"response":{}})");
  EXPECT_EQ(data.battery_level, std::nullopt);
  EXPECT_EQ(data.timestamp_ms, std::nullopt);
  EXPECT_EQ(data.raw_json, "{}");
  EXPECT_EQ(ParseLiveStatus(R"({"response":{}})").solar_power_w, std::nullopt);
  EXPECT_EQ(ParseSiteInfo(R"({"response":{}})").site_name, "");
}

// ---- error envelope and region redirect ---------------------------------------------------------------

TEST(FleetModels, ErrorBodyFields) {
  ErrorBody asleep = ParseErrorBody(
      R"({"response":null,"error":"vehicle unavailable: vehicle is offline or asleep","error_description":""})");
  EXPECT_EQ(asleep.error, "vehicle unavailable: vehicle is offline or asleep");
  EXPECT_EQ(asleep.error_description, "");

  ErrorBody oauth = ParseErrorBody(R"({"error": "login_required", "error_description": "Login required"})");
  EXPECT_EQ(oauth.error, "login_required");
  EXPECT_EQ(oauth.error_description, "Login required");

  for (const std::string body : {"", "Retry in 37829 seconds", "[\"error\"]", "{\"error\":{\"code\":1}}", "{"}) {
    ErrorBody parsed;
    ASSERT_NO_THROW(parsed = ParseErrorBody(body)) << body;
    EXPECT_EQ(parsed.error, "") << body;
    EXPECT_EQ(parsed.error_description, "") << body;
  }
}

TEST(FleetModels, RegionRedirectFrom421Body) {
  EXPECT_EQ(
      RegionRedirectFromBody(
          R"({"response":null,"error":"user out of region, use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com, see https://developer.tesla.com/docs/fleet-api#regional-requirements","error_description":"","txid":"2f1e14ed74f141b78ee0462328b3617e"})"),
      "https://fleet-api.prd.eu.vn.cloud.tesla.com");
  EXPECT_EQ(
      RegionRedirectFromBody(
          R"({"response":null,"error":"user out of region, use base URL: https:\/\/fleet-api.prd.na.vn.cloud.tesla.com, see https:\/\/developer.tesla.com\/docs\/fleet-api\/getting-started\/regions-countries","error_description":""})"),
      "https://fleet-api.prd.na.vn.cloud.tesla.com");
  EXPECT_EQ(RegionRedirectFromBody("user out of region, use base URL: https://fleet-api.prd.cn.vn.cloud.tesla.cn"),
            "https://fleet-api.prd.cn.vn.cloud.tesla.cn");
  EXPECT_EQ(RegionRedirectFromBody(R"({"error":"use base URL: https://localhost:8443/, see x"})"),
            "https://localhost:8443");

  EXPECT_EQ(
      RegionRedirectFromBody(
          R"({"response":null,"error":"vehicle unavailable: vehicle is offline or asleep","error_description":""})"),
      "");
  EXPECT_EQ(RegionRedirectFromBody(R"({"error":"user out of region, use base URL: http://evil.example, see"})"),
            "http://evil.example");
}

TEST(FleetModels, OnlyTeslaHostsOrTheConfiguredHostReceiveTheToken) {
  const std::string na = "https://fleet-api.prd.na.vn.cloud.tesla.com";
  EXPECT_TRUE(IsTrustedRegionRedirect("https://fleet-api.prd.eu.vn.cloud.tesla.com", na));
  EXPECT_TRUE(IsTrustedRegionRedirect("https://fleet-api.prd.cn.vn.cloud.tesla.cn", na));
  EXPECT_FALSE(IsTrustedRegionRedirect("http://fleet-api.prd.eu.vn.cloud.tesla.com", na));
  EXPECT_FALSE(IsTrustedRegionRedirect("https://evil.example", na));
  EXPECT_FALSE(IsTrustedRegionRedirect("https://tesla.com.evil.example", na));
  EXPECT_FALSE(IsTrustedRegionRedirect("https://eviltesla.com", na));
  EXPECT_TRUE(IsTrustedRegionRedirect("http://127.0.0.1:9001", "http://127.0.0.1:9000"));
  EXPECT_FALSE(IsTrustedRegionRedirect("http://10.0.0.1:9001", "http://127.0.0.1:9000"));
  EXPECT_TRUE(IsTrustedRegionRedirect("http://127.0.0.1:9000", "http://localhost:9000"));
  EXPECT_FALSE(IsTrustedRegionRedirect("http://localhost.evil.example:9000", "http://localhost:9000"));
  EXPECT_EQ(RegionRedirectFromBody(R"({"error":"user out of region, use base URL: https://, see"})"), "");
  EXPECT_EQ(RegionRedirectFromBody(""), "");
}

// ---- RFC 3339 -------------------------------------------------------------------------------------------

TEST(FleetModels, Rfc3339Accepted) {
  EXPECT_EQ(ParseRfc3339Ms("2024-09-18T08:45:00+10:00"), 1726613100000LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-09-17T22:45:00Z"), 1726613100000LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-09-17T22:45:00z"), 1726613100000LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-09-18T08:45:00+05:30"), 1726629300000LL);
  EXPECT_EQ(ParseRfc3339Ms("2023-06-01T01:00:00-07:00"), 1685606400000LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-01-01T00:00:00+00:00"), 1704067200000LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-01-01T00:00:00-00:00"), 1704067200000LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-05-14T00:00:00.000Z"), 1715644800000LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-02-29T23:59:59.999+00:00"), 1709251199999LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-02-29T23:59:59.5Z"), 1709251199500LL);
  EXPECT_EQ(ParseRfc3339Ms("2024-02-29T23:59:59.123456789Z"), 1709251199123LL) << "truncated to ms";
  EXPECT_EQ(ParseRfc3339Ms("2024-02-29 23:59:59Z"), 1709251199000LL);
  EXPECT_EQ(ParseRfc3339Ms("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(ParseRfc3339Ms("1969-12-31T23:59:59Z"), -1000);
}

TEST(FleetModels, Rfc3339Rejected) {
  for (const std::string text : {"",
                                 "2024-09-18",
                                 "2024-09-18T08:45:00",
                                 "2024-09-18T08:45Z",
                                 "2024-09-18T08:45:00+1000",
                                 "2024-09-18T08:45:00+10",
                                 "2024-09-18T08:45:00.Z",
                                 "2024-13-01T00:00:00Z",
                                 "2024-00-10T00:00:00Z",
                                 "2023-02-29T00:00:00Z",
                                 "2024-04-31T00:00:00Z",
                                 "2024-09-18T24:00:00Z",
                                 "2024-09-18T08:60:00Z",
                                 "2024-09-18T08:45:61Z",
                                 "2024-09-18T08:45:00+24:00",
                                 "2024-09-18T08:45:00Z trailing",
                                 " 2024-09-18T08:45:00Z",
                                 "24-09-18T08:45:00Z",
                                 "2024/09/18T08:45:00Z",
                                 "1705707520649"}) {
    EXPECT_EQ(ParseRfc3339Ms(text), std::nullopt) << '"' << text << '"';
  }
}

}  // namespace
}  // namespace tessie::core::fleet
