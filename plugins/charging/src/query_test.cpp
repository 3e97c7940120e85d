#include "query.hpp"

#include <gtest/gtest.h>

namespace tessie::charging {
namespace {

using sdk::HttpError;
using sdk::HttpRequest;

HttpRequest Request(std::multimap<std::string, std::string> query) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/charging/sessions";
  r.query = std::move(query);
  return r;
}

int StatusOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    return e.Status();
  }
  return 200;
}

TEST(Query, IsoTimestamps) {
  const local_time::Zone utc("UTC");
  const auto t = ParseTimeParam("2026-06-01T07:00:00Z", utc, false);
  ASSERT_TRUE(t);
  EXPECT_EQ(FormatIsoUtc(*t), "2026-06-01T07:00:00Z");
  EXPECT_EQ(ParseTimeParam("2026-06-01T09:00:00+02:00", utc, false), t);
  EXPECT_EQ(ParseTimeParam("2026-06-01T07:00:00.250Z", utc, false), *t + 250);
  EXPECT_FALSE(ParseTimeParam("2026-02-30", utc, false));
  EXPECT_FALSE(ParseTimeParam("yesterday", utc, false));
  EXPECT_FALSE(ParseTimeParam("2026-06-01T25:00:00Z", utc, false));
}

TEST(Query, DatesAreLocalDays) {
  const local_time::Zone berlin("Europe/Berlin");
  EXPECT_EQ(FormatIsoUtc(*ParseTimeParam("2026-06-01", berlin, false)), "2026-05-31T22:00:00Z");
  EXPECT_EQ(FormatIsoUtc(*ParseTimeParam("2026-06-30", berlin, true)), "2026-06-30T22:00:00Z");
  EXPECT_EQ(FormatIsoUtc(*ParseTimeParam("2026-01-15T08:00", berlin, false)), "2026-01-15T07:00:00Z");
}

// Forms the charging routes accept since they read times with the SDK's one parser (sdk/query.hpp).
TEST(Query, EpochMillisecondsAndBasicOffsets) {
  const local_time::Zone berlin("Europe/Berlin");
  const auto q = ParseSessionQuery(Request({{"from", "1780297200000"}, {"to", "2026-06-01T10:00:00+0200"}}), berlin);
  EXPECT_EQ(FormatIsoUtc(*q.from_ms), "2026-06-01T07:00:00Z");
  EXPECT_EQ(FormatIsoUtc(*q.to_ms), "2026-06-01T08:00:00Z");
}

TEST(Query, SessionParameters) {
  const local_time::Zone utc("UTC");
  auto q = ParseSessionQuery(Request({{"vehicle", "5yj3e7eb0kf000001"},
                                      {"type", "dc"},
                                      {"limit", "10"},
                                      {"offset", "20"},
                                      {"place", "Home"},
                                      {"from", "2026-06-01"}}),
                             utc);
  EXPECT_EQ(q.vehicle.vin, "5YJ3E7EB0KF000001");
  EXPECT_EQ(q.charger_kind, "DC");
  EXPECT_EQ(q.limit, 10);
  EXPECT_EQ(q.offset, 20);
  EXPECT_EQ(q.place, "Home");
  EXPECT_EQ(FormatIsoUtc(*q.from_ms), "2026-06-01T00:00:00Z");
  EXPECT_EQ(ParseSessionQuery(Request({{"vehicle", "1492931337156"}}), utc).vehicle.vehicle_id, 1492931337156);
  EXPECT_EQ(ParseSessionQuery(Request({}), utc).limit, 50);
}

TEST(Query, BadParametersAre400) {
  const local_time::Zone utc("UTC");
  for (const auto& [name, value] : std::vector<std::pair<std::string, std::string>>{{"limit", "0"},
                                                                                    {"limit", "5000"},
                                                                                    {"limit", "ten"},
                                                                                    {"offset", "-1"},
                                                                                    {"type", "AC/DC"},
                                                                                    {"vehicle", "my car"},
                                                                                    {"from", "June"},
                                                                                    {"limt", "5"}}) {
    EXPECT_EQ(StatusOf([&] { ParseSessionQuery(Request({{name, value}}), utc); }), 400) << name << "=" << value;
  }
  EXPECT_EQ(StatusOf([&] { ParseSessionQuery(Request({{"from", "2026-06-02"}, {"to", "2026-06-01"}}), utc); }), 400);
  EXPECT_EQ(StatusOf([&] { ParseStatsQuery(Request({{"type", "AC"}}), utc); }), 400);
  EXPECT_EQ(StatusOf([] { ParseSessionId("abc"); }), 400);
  EXPECT_EQ(ParseSessionId("17"), 17);
}

}  // namespace
}  // namespace tessie::charging
