#include "history_json.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace tessie::powerwall {
namespace {

Poco::JSON::Object::Ptr Parse(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::vector<Bucket> TwoHours() {
  Bucket a;
  a.start_ms = 1'780'300'800'000;  // 2026-06-01T08:00:00Z
  a.end_ms = a.start_ms + 3600'000;
  a.label = "2026-06-01T09:00:00+01:00";
  a.intervals = 12;
  a.flows[kSolarExported] = 1500.1234;
  a.flows[kConsumerImportedFromSolar] = 1000;
  a.flows[kGridExportedFromSolar] = 500.1234;
  Bucket b = a;
  b.start_ms = a.end_ms;
  b.end_ms = b.start_ms + 3600'000;
  b.label = "2026-06-01T10:00:00+01:00";
  b.flows = {};
  b.flows[kGridImported] = 250;
  b.flows[kConsumerImportedFromGrid] = 250;
  return {a, b};
}

TEST(HistoryJson, ItemsCarryTimesTotalsAndSumsWithoutFlowsByDefault) {
  HistoryBody body;
  body.energy_site_id = 1689047239870291;  // beyond 2^53 would lose digits as a double; this one must not
  body.time_zone = "Europe/London";
  body.resolution = Resolution::kHour;
  body.from_ms = 1'780'300'800'000;
  body.to_ms = body.from_ms + 2 * 3600'000;
  const auto json = Parse(HistoryJson(body, TwoHours()));
  EXPECT_EQ(json->getValue<std::int64_t>("energy_site_id"), 1689047239870291);
  EXPECT_EQ(json->getValue<std::string>("resolution"), "1h");
  EXPECT_EQ(json->getValue<std::string>("from"), "2026-06-01T08:00:00Z");
  EXPECT_EQ(json->getValue<std::string>("unit"), "Wh");
  const auto items = json->getArray("items");
  ASSERT_EQ(items->size(), 2u);
  const auto first = items->getObject(0);
  EXPECT_EQ(first->getValue<std::string>("time"), "2026-06-01T08:00:00Z");
  EXPECT_EQ(first->getValue<std::string>("end"), "2026-06-01T09:00:00Z");
  EXPECT_EQ(first->getValue<std::string>("local_time"), "2026-06-01T09:00:00+01:00");
  EXPECT_EQ(first->getValue<int>("intervals"), 12);
  EXPECT_DOUBLE_EQ(first->getValue<double>("solar_produced_wh"), 1500.123);  // rounded to 0.001 Wh
  EXPECT_DOUBLE_EQ(first->getValue<double>("grid_exported_wh"), 500.123);
  EXPECT_DOUBLE_EQ(first->getValue<double>("generator_produced_wh"), 0);
  EXPECT_FALSE(first->has("solar_to_home_wh"));  // the breakdown only on request
  EXPECT_FALSE(first->has("flows"));
  const auto totals = json->getObject("totals");
  EXPECT_DOUBLE_EQ(totals->getValue<double>("home_consumed_wh"), 1250);
  EXPECT_DOUBLE_EQ(totals->getValue<double>("solar_to_grid_wh"), 500.123);
  EXPECT_DOUBLE_EQ(totals->getValue<double>("grid_imported_wh"), 250);
  EXPECT_EQ(totals->size(), Fields(EnergyTotals{}).size());
}

TEST(HistoryJson, BreakdownAndFlowsOnRequestAndDayLabels) {
  HistoryBody body;
  body.resolution = Resolution::kDay;
  body.detail = HistoryBody::Detail::kBreakdown;
  const auto breakdown = Parse(HistoryJson(body, TwoHours()))->getArray("items")->getObject(0);
  EXPECT_DOUBLE_EQ(breakdown->getValue<double>("solar_to_home_wh"), 1000);
  EXPECT_FALSE(breakdown->has("flows"));
  body.detail = HistoryBody::Detail::kFlows;
  auto buckets = TwoHours();
  buckets[0].label = "2026-06-01";
  buckets[1].label = "2026-06-02";
  const auto items = Parse(HistoryJson(body, buckets))->getArray("items");
  EXPECT_EQ(items->getObject(1)->getValue<std::string>("date"), "2026-06-02");
  const auto flows = items->getObject(0)->getObject("flows");
  ASSERT_EQ(flows->size(), kFlowCount);
  EXPECT_DOUBLE_EQ(flows->getValue<double>("solar_energy_exported"), 1500.123);
  EXPECT_DOUBLE_EQ(flows->getValue<double>("grid_energy_imported"), 0);
}

TEST(HistoryJson, EmptyRangeIsStillAnObjectWithZeroTotals) {
  HistoryBody body;
  body.time_zone = "Weird \"zone\"\n";
  const auto json = Parse(HistoryJson(body, {}));
  EXPECT_EQ(json->getArray("items")->size(), 0u);
  EXPECT_EQ(json->getValue<std::string>("time_zone"), "Weird \"zone\"\n");
  EXPECT_DOUBLE_EQ(json->getObject("totals")->getValue<double>("solar_produced_wh"), 0);
}

}  // namespace
}  // namespace tessie::powerwall
