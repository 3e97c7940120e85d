#include "query.hpp"

#include <gtest/gtest.h>

namespace tessie::solar {
namespace {

sdk::HttpRequest Request(std::multimap<std::string, std::string> query) {
  sdk::HttpRequest r;
  r.method = "GET";
  r.path = "/api/energy/solar/stats";
  r.query = std::move(query);
  return r;
}

int StatusOf(std::multimap<std::string, std::string> query) {
  try {
    ParseStatsQuery(Request(std::move(query)));
  } catch (const sdk::HttpError& e) {
    return e.Status();
  }
  return 200;
}

TEST(StatsQueryTest, DefaultsToTodayOfTheOnlySite) {
  const auto q = ParseStatsQuery(Request({}));
  EXPECT_FALSE(q.site_id);
  EXPECT_EQ(q.period, Period::kDay);
  EXPECT_FALSE(q.date);
}

TEST(StatsQueryTest, ReadsSitePeriodAndDate) {
  const auto q = ParseStatsQuery(Request({{"site", "1689047239870291"}, {"period", "week"}, {"date", "2026-03-29"}}));
  EXPECT_EQ(q.site_id, 1689047239870291);
  EXPECT_EQ(q.period, Period::kWeek);
  EXPECT_EQ(q.date, (local_time::CivilDate{2026, 3, 29}));
}

TEST(StatsQueryTest, RejectsMalformedValuesWith400) {
  EXPECT_EQ(StatusOf({{"period", "hour"}}), 400);
  EXPECT_EQ(StatusOf({{"date", "2026-02-30"}}), 400);
  EXPECT_EQ(StatusOf({{"date", "2026-6-1"}}), 400);
  EXPECT_EQ(StatusOf({{"date", "2026-06-01T00:00:00Z"}}), 400);
  EXPECT_EQ(StatusOf({{"site", "home"}}), 400);
  EXPECT_EQ(StatusOf({{"site", ""}}), 400);
  EXPECT_EQ(StatusOf({{"vehicle", "1"}}), 400);
  try {
    ParseStatsQuery(Request({{"period", "hour"}}));
  } catch (const sdk::HttpError& e) {
    EXPECT_NE(std::string(e.what()).find("day, week, month, year or lifetime"), std::string::npos);
  }
}

TEST(StatsQueryTest, FormatsUtcTimes) {
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatIsoUtc(1'780'315'200'000), "2026-06-01T12:00:00Z");
  EXPECT_EQ(FormatIsoUtc(-1000), "1969-12-31T23:59:59Z");
}

}  // namespace
}  // namespace tessie::solar
