// Every fixture in tests/fixtures/fleet-api (real responses from Home Assistant's test suites) is a shape the
// simulator produces: for the equivalent request, the set of JSON key paths and the JSON type at each path (where
// both are non-null) must match. Deliberate differences are listed per fixture, each with its reason; a listed
// difference that no longer occurs fails too.
#include <gtest/gtest.h>

#include <Poco/JSON/Array.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "test_support.h"

namespace tessie::sim {
namespace {

using testing::ParseObject;
using testing::SimFixture;
using Types = std::map<std::string, std::set<std::string>>;  // key path -> JSON types seen there

void Collect(const Poco::Dynamic::Var& value, const std::string& path, Types& out) {
  if (value.type() == typeid(Poco::JSON::Object::Ptr)) {
    const auto object = value.extract<Poco::JSON::Object::Ptr>();
    if (!path.empty()) out[path].insert("object");
    for (const auto& key : object->getNames()) Collect(object->get(key), path.empty() ? key : path + "." + key, out);
  } else if (value.type() == typeid(Poco::JSON::Array::Ptr)) {
    out[path].insert("array");
    for (const auto& item : *value.extract<Poco::JSON::Array::Ptr>()) Collect(item, path + "[]", out);
  } else if (value.isEmpty()) {
    out[path].insert("null");
  } else if (value.isBoolean()) {
    out[path].insert("bool");
  } else if (value.isNumeric()) {
    out[path].insert("number");  // JSON has one number type; 16.5 and 18 are the same field (module_temp_max)
  } else {
    out[path].insert("string");
  }
}

Types PathsOf(const std::string& json) {
  Types types;
  Collect(Poco::JSON::Parser().parse(json), "", types);
  return types;
}

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(TESSIE_FIXTURES_DIR) + "/" + name);
  if (!in) throw std::runtime_error("fixture missing: " + name + " (expected in tests/fixtures/fleet-api)");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Case {
  std::string fixture;
  std::string path;
  std::map<std::string, std::string> query;
  std::string at;                           // simulated time of the request
  std::vector<std::string> missing_in_sim;  // path prefixes the fixture has and the simulator deliberately lacks
  std::vector<std::string> extra_in_sim;    // path prefixes the simulator adds
  std::vector<std::string> type_differs;    // exact paths whose non-null types deliberately differ
};

void PrintTo(const Case& c, std::ostream* out) { *out << c.fixture; }

std::string PrintCase(const ::testing::TestParamInfo<Case>& info) {
  std::string name = info.param.fixture;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

// While the commuter drives (07:10 on day 1); energy at 07:10 on day 2, when 2026-06-01 is complete.
constexpr const char* kDriving = "2026-06-01T07:10:00Z";
constexpr const char* kNextDay = "2026-06-02T07:10:00Z";
const std::map<std::string, std::string> kDayQuery = {{"kind", "energy"},
                                                      {"period", "day"},
                                                      {"start_date", "2026-06-01T00:00:00+01:00"},
                                                      {"end_date", "2026-06-01T23:59:59+01:00"},
                                                      {"time_zone", "Europe/London"}};
const std::string kVehicleData = std::string("/api/1/vehicles/") + testing::kCommuterVin + "/vehicle_data";
const std::string kSite = std::string("/api/1/energy_sites/") + testing::kSiteId;
// Fields newer firmware reports (present in ha-tesla_fleet's capture, absent from ha-teslemetry's older one).
const std::vector<std::string> kNewerChargeFields = {
    "response.charge_state.charging_schedule_override", "response.charge_state.energy_remaining",
    "response.charge_state.lifetime_energy_used", "response.charge_state.module_temp_max",
    "response.charge_state.module_temp_min"};
// The simulator adds serial_number and raw_timestamp (as the ha-teslemetry capture has them) and the
// total_* fields whenever they are non-zero, as observed.
const std::vector<std::string> kAltExtras = {
    "response.drive_state.active_route_destination", "response.vehicle_state.media_info.a2dp_source_name",
    "response.vehicle_state.sun_roof_state", "response.vehicle_state.vehicle_state_sun_roof_percent_open"};
const std::vector<std::string> kTotals = {"response.time_series[].total_battery_charge",
                                          "response.time_series[].total_battery_discharge",
                                          "response.time_series[].total_solar_generation"};

std::vector<std::string> Concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

const Case kCases[] = {
    {"ha-teslemetry/products.json", "/api/1/products", {}, kDriving, {}, {}, {}},
    {"ha-tesla_fleet/vehicle_data.json", kVehicleData, {{"endpoints", testing::kAllSections}}, kDriving, {}, {}, {}},
    {"ha-teslemetry/vehicle_data.json",
     kVehicleData,
     {{"endpoints", testing::kAllSections}},
     kDriving,
     {},
     kNewerChargeFields,
     {}},
    // The "alt" captures are parked after arriving (a route without destination; the simulator shows the route
    // only while driving, with its destination), with no phone connected and no sun roof fields.
    {"ha-tesla_fleet/vehicle_data_alt.json",
     kVehicleData,
     {{"endpoints", testing::kAllSections + ";charge_schedule_data"}},
     kDriving,
     {},
     Concat(kNewerChargeFields, kAltExtras),
     // HA's test data puts a deliberately bad string into minutes_to_full_charge.
     {"response.charge_state.minutes_to_full_charge"}},
    {"ha-teslemetry/vehicle_data_alt.json",
     kVehicleData,
     {{"endpoints", testing::kAllSections}},
     kDriving,
     {},
     Concat(kNewerChargeFields, kAltExtras),
     {}},
    // Real captures also carry energy_left and total_pack_energy (fleet-api.md §3.4).
    {"ha-teslemetry/live_status.json",
     kSite + "/live_status",
     {},
     kDriving,
     {},
     {"response.energy_left", "response.total_pack_energy"},
     {}},
    {"ha-tesla_fleet/site_info.json", kSite + "/site_info", {}, kDriving, {}, {}, {}},
    // This capture's site lists no gateways or batteries; its wall connectors have no part_name.
    {"ha-teslemetry/site_info.json",
     kSite + "/site_info",
     {},
     kDriving,
     {},
     {"response.components.gateways", "response.components.batteries",
      "response.components.wall_connectors[].part_name"},
     {}},
    // Utility tariffs are not simulated: no tariff_content_v2.
    {"ha-teslemetry/site_info_multi_season.json",
     kSite + "/site_info",
     {},
     kDriving,
     {"response.tariff_content_v2"},
     {"response.components.wall_connectors[]", "response.tou_settings.schedule[]"},
     {}},
    {"ha-teslemetry/site_info_week_crossing.json",
     kSite + "/site_info",
     {},
     kDriving,
     {"response.tariff_content_v2"},
     {"response.components.wall_connectors[]", "response.tou_settings.schedule[]"},
     {}},
    {"ha-teslemetry/energy_history.json", kSite + "/calendar_history", kDayQuery, kNextDay, {}, {}, {}},
    {"ha-tesla_fleet/energy_history.json",
     kSite + "/calendar_history",
     kDayQuery,
     kNextDay,
     {},
     {"response.serial_number", "response.time_series[].raw_timestamp"},
     {}},
    {"ha-tesla_fleet/energy_history_overnight.json",
     kSite + "/calendar_history",
     kDayQuery,
     kNextDay,
     {},
     {"response.serial_number", "response.time_series[].raw_timestamp",
      "response.time_series[].total_battery_discharge", "response.time_series[].total_solar_generation",
      "response.time_series[].total_grid_energy_exported"},
     {}},
    // history_status is the same call as captured without installation_time_zone and battery totals.
    {"ha-tesla_fleet/history_status.json",
     kSite + "/calendar_history",
     kDayQuery,
     kNextDay,
     {},
     Concat({"response.serial_number", "response.installation_time_zone", "response.time_series[].raw_timestamp"},
            kTotals),
     {}},
    // A window with no completed data answers time_series: null.
    {"ha-teslemetry/energy_history_empty.json",
     kSite + "/calendar_history",
     {{"kind", "energy"},
      {"period", "day"},
      {"start_date", "2026-05-01T00:00:00+01:00"},
      {"end_date", "2026-05-01T23:59:59+01:00"}},
     kNextDay,
     {},
     {},
     {}},
};

bool Covered(const std::string& path, const std::vector<std::string>& prefixes) {
  for (const auto& prefix : prefixes) {
    if (path == prefix || path.rfind(prefix + ".", 0) == 0 || path.rfind(prefix + "[]", 0) == 0) return true;
  }
  return false;
}

// Paths in `a` not in `b`, split into those the allowlist covers and those it does not; plus unused entries.
void CheckDifference(const Types& a, const Types& b, const std::vector<std::string>& allowed, const char* what) {
  std::set<std::string> used;
  for (const auto& [path, types] : a) {
    if (b.count(path)) continue;
    bool covered = false;
    for (const auto& prefix : allowed) {
      if (Covered(path, {prefix})) {
        used.insert(prefix);
        covered = true;
      }
    }
    EXPECT_TRUE(covered) << what << ": " << path;
  }
  for (const auto& prefix : allowed)
    EXPECT_TRUE(used.count(prefix)) << "documented difference no longer occurs: " << prefix;
}

class FixtureShapeTest : public ::testing::TestWithParam<Case> {};

TEST_P(FixtureShapeTest, SimulatorProducesTheFixtureShape) {
  const Case& c = GetParam();
  SimFixture sim;
  sim.AdvanceTo(c.at);
  const HttpResponse response = sim.Api(c.path, c.query);
  ASSERT_EQ(response.status, 200) << response.body;
  const Types fixture = PathsOf(ReadFixture(c.fixture));
  const Types produced = PathsOf(response.body);

  CheckDifference(fixture, produced, c.missing_in_sim, "fixture path the simulator does not produce");
  CheckDifference(produced, fixture, c.extra_in_sim, "simulator path the fixture does not have");
  for (const auto& [path, fixture_types] : fixture) {
    const auto it = produced.find(path);
    if (it == produced.end()) continue;
    std::set<std::string> want = fixture_types, got = it->second;
    want.erase("null");
    got.erase("null");
    if (want.empty() || got.empty()) continue;
    const bool allowed = std::find(c.type_differs.begin(), c.type_differs.end(), path) != c.type_differs.end();
    EXPECT_TRUE(want == got || allowed) << "type differs at " << path << ": fixture " << *want.begin() << ", simulator "
                                        << *got.begin();
  }
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureShapeTest, ::testing::ValuesIn(kCases), PrintCase);

TEST(FixtureShapeTest, EveryFixtureHasACase) {
  std::set<std::string> covered;
  for (const Case& c : kCases) covered.insert(c.fixture);
  const std::filesystem::path root(TESSIE_FIXTURES_DIR);
  ASSERT_TRUE(std::filesystem::is_directory(root)) << root;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (entry.path().extension() != ".json") continue;
    const std::string file = std::filesystem::relative(entry.path(), root).string();
    EXPECT_TRUE(covered.count(file)) << "no shape case for fixture " << file;
  }
}

}  // namespace
}  // namespace tessie::sim
