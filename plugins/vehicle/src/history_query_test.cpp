#include "history_query.hpp"

#include <gtest/gtest.h>

#include <functional>

namespace tessie::vehicle {
namespace {

using sdk::HttpError;
using sdk::HttpRequest;
using sdk::query::Resolution;

constexpr std::int64_t kNow = 1'781'000'000'000;  // 2026-06-09

HttpRequest Request(std::multimap<std::string, std::string> query) {
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/vehicles/1/history";
  r.query = std::move(query);
  return r;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    return std::to_string(e.Status()) + " " + e.what();
  }
  return "";
}

TEST(HistoryQuery, DefaultsAreTheLastDayOfRawSamples) {
  const auto q = ParseHistoryQuery(Request({}), kNow);
  EXPECT_EQ(q.from_ms, kNow - 24 * 3600'000LL);
  EXPECT_EQ(q.to_ms, kNow + 1);
  EXPECT_EQ(q.fields, (std::vector<std::string>{"battery_level", "battery_range_km", "odometer_km", "speed_kmh",
                                                "latitude", "longitude"}));
  EXPECT_EQ(q.resolution, Resolution::kRaw);
  EXPECT_EQ(q.bucket_ms, 0);
  EXPECT_EQ(q.limit, 1000);
  EXPECT_EQ(q.offset, 0);
}

TEST(HistoryQuery, DatesAreUtcMidnightAndEpochMillisecondsWork) {
  const auto q = ParseHistoryQuery(Request({{"from", "2026-06-01"}, {"to", "1780300800000"}}), kNow);
  EXPECT_EQ(q.from_ms, 1780272000000);
  EXPECT_EQ(q.to_ms, 1780300800000);
  const auto wall = ParseHistoryQuery(Request({{"from", "2026-06-01T07:00:00"}}), kNow);
  EXPECT_EQ(wall.from_ms, 1780272000000 + 7 * 3600'000LL);
}

TEST(HistoryQuery, DatesAndWallTimesFollowTheConfiguredZoneAndBasicOffsetsWork) {
  const local_time::Zone berlin("Europe/Berlin");
  const auto q = ParseHistoryQuery(Request({{"from", "2026-06-01"}, {"to", "2026-06-01T09:00"}}), kNow, berlin);
  EXPECT_EQ(q.from_ms, 1780264800000) << "Berlin's midnight, 22:00 UTC the day before";
  EXPECT_EQ(q.to_ms, 1780272000000 + 7 * 3600'000LL) << "09:00 in Berlin is 07:00 UTC";
  const auto offset = ParseHistoryQuery(Request({{"from", "2026-06-01T09:00:00+0200"}}), kNow);
  EXPECT_EQ(offset.from_ms, 1780272000000 + 7 * 3600'000LL);
}

TEST(HistoryQuery, FieldsResolutionAndPage) {
  const auto q = ParseHistoryQuery(
      Request({{"fields", "power_kw,odometer_km"}, {"resolution", "15m"}, {"limit", "10"}, {"offset", "20"}}), kNow);
  EXPECT_EQ(q.fields, (std::vector<std::string>{"power_kw", "odometer_km"}));
  EXPECT_EQ(q.resolution, Resolution::k15m);
  EXPECT_EQ(q.bucket_ms, 15 * 60'000);
  EXPECT_EQ(q.limit, 10);
  EXPECT_EQ(q.offset, 20);
}

TEST(HistoryQuery, BadInputIsA400SayingWhatIsWrong) {
  const auto unknown = ErrorOf([] { ParseHistoryQuery(Request({{"fields", "battery_level,vin"}}), kNow); });
  EXPECT_EQ(unknown.rfind("400 unknown field 'vin' (known: battery_level, usable_battery_level", 0), 0u) << unknown;
  EXPECT_EQ(ErrorOf([] {
              ParseHistoryQuery(Request({{"from", "2026-06-02"}, {"to", "2026-06-01"}}), kNow);
            }),
            "400 'to' must be after 'from'");
  EXPECT_EQ(ErrorOf([] { ParseHistoryQuery(Request({{"resolution", "1mo"}}), kNow); }).substr(0, 3), "400");
  EXPECT_EQ(ErrorOf([] { ParseHistoryQuery(Request({{"limit", "0"}}), kNow); }).substr(0, 3), "400");
  EXPECT_EQ(ErrorOf([] { ParseHistoryQuery(Request({{"from", "yesterday"}}), kNow); }).substr(0, 3), "400");
}

}  // namespace
}  // namespace tessie::vehicle
