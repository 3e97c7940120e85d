#include "site_query.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace tessie::powerwall {
namespace {

using sdk::HttpError;
using sdk::HttpRequest;

HttpRequest Request(std::multimap<std::string, std::string> query) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/energy/sites/1/history";
  r.query = std::move(query);
  return r;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    return std::to_string(e.Status()) + " " + e.what();
  }
  return "200";
}

constexpr std::int64_t kDayMs = 86'400'000;

TEST(SiteQuery, SiteIdsAreDigitsWithinInt64) {
  EXPECT_EQ(ParseSiteId("2252180889123456"), 2252180889123456LL);
  EXPECT_EQ(ParseSiteId("9223372036854775807"), 9223372036854775807LL);
  for (const std::string bad : {"", "-1", "abc", "12x", "99999999999999999999"}) {
    EXPECT_EQ(ErrorOf([&] { ParseSiteId(bad); }).substr(0, 3), "400") << bad;
  }
  EXPECT_NE(ErrorOf([] { ParseSiteId("abc"); }).find("GET /api/energy/sites"), std::string::npos);
}

TEST(SiteQuery, HistoryDefaultsToAWeekOfHoursUpToNow) {
  const local_time::Zone zone("Europe/Berlin");
  const std::int64_t now = 1780315200000;  // 2026-06-01T12:00:00Z
  const auto q = ParseHistoryQuery(Request({}), zone, now);
  EXPECT_EQ(q.resolution, Resolution::kHour);
  EXPECT_EQ(q.to_ms, now);
  EXPECT_EQ(q.from_ms, now - 7 * kDayMs);
  EXPECT_EQ(q.detail, HistoryBody::Detail::kMain);
}

TEST(SiteQuery, HistoryDatesAreLocalDaysOfTheSite) {
  const local_time::Zone zone("Europe/Berlin");
  const auto q = ParseHistoryQuery(
      Request({{"from", "2026-06-01"}, {"to", "2026-06-02"}, {"resolution", "5m"}, {"detail", "flows"}}), zone, 0);
  EXPECT_EQ(q.resolution, Resolution::kFiveMinutes);
  EXPECT_EQ(q.from_ms, 1780264800000) << "local midnight, 22:00 UTC the day before";
  EXPECT_EQ(q.to_ms, q.from_ms + kDayMs);
  EXPECT_EQ(q.detail, HistoryBody::Detail::kFlows);
  EXPECT_EQ(ParseHistoryQuery(Request({{"from", "1780264800000"}, {"to", "2026-06-01T23:00:00+0100"}}), zone, 0).to_ms,
            1780351200000);
}

TEST(SiteQuery, WallTimesAreLocalToTheSite) {
  const local_time::Zone zone("Europe/Berlin");
  const auto q = ParseHistoryQuery(Request({{"from", "2026-06-01T00:00"}, {"to", "2026-06-01T12:00:00"}}), zone, 0);
  EXPECT_EQ(q.from_ms, 1780264800000) << "local midnight, 22:00 UTC the day before";
  EXPECT_EQ(q.to_ms, 1780308000000) << "noon in Berlin is 10:00 UTC";
  const auto outages = ParseOutageRange(Request({{"from", "2026-06-01T00:00"}}), zone, 1780315200000);
  EXPECT_EQ(outages.from_ms, 1780264800000);
}

TEST(SiteQuery, HistoryRejectsWhatItCannotAnswer) {
  const local_time::Zone zone("UTC");
  const std::int64_t now = 1780315200000;
  EXPECT_EQ(ErrorOf([&] { ParseHistoryQuery(Request({{"resolution", "raw"}}), zone, now); }).substr(0, 3), "400");
  EXPECT_EQ(ErrorOf([&] {
              ParseHistoryQuery(Request({{"detail", "all"}}), zone, now);
            }),
            "400 detail must be main, breakdown or flows");
  EXPECT_EQ(ErrorOf([&] {
              ParseHistoryQuery(Request({{"from", "2026-06-02"}, {"to", "2026-06-01"}}), zone, now);
            }),
            "400 'to' must be after 'from'");
  EXPECT_EQ(
      ErrorOf([&] {
        ParseHistoryQuery(Request({{"resolution", "5m"}, {"from", "2026-01-01"}, {"to", "2026-03-01"}}), zone, now);
      }),
      "400 at resolution 5m ask for at most 31 days at a time (or use a coarser resolution)");
  EXPECT_EQ(ErrorOf([&] { ParseHistoryQuery(Request({{"from", "yesterday"}}), zone, now); }).substr(0, 3), "400");
}

TEST(SiteQuery, OutagesDefaultToEverythingUntilNow) {
  const local_time::Zone zone("UTC");
  const auto r = ParseOutageRange(Request({}), zone, 1000);
  EXPECT_EQ(r.from_ms, 0);
  EXPECT_EQ(r.to_ms, 1001);
  EXPECT_EQ(ErrorOf([&] { ParseOutageRange(Request({{"to", "0"}}), zone, 1000); }), "400 'to' must be after 'from'");
}

}  // namespace
}  // namespace tessie::powerwall
