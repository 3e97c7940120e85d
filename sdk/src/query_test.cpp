#include "tessie/sdk/query.hpp"

#include <gtest/gtest.h>

namespace tessie::sdk::query {
namespace {

HttpRequest With(const std::string& name, const std::string& value) {
  HttpRequest r;
  r.query.emplace(name, value);
  return r;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.Status(), 400);
    return e.what();
  }
  return "";
}

TimeFormat EpochAndUtc() {
  TimeFormat f;
  f.epoch_ms = true;
  f.wall_time = TimeFormat::WallTime::kUtc;
  return f;
}

TEST(QueryTime, ReadsEveryDocumentedForm) {
  const auto f = EpochAndUtc();
  EXPECT_EQ(ParseTime("1780300800000", f), 1780300800000);
  EXPECT_EQ(ParseTime("0", f), 0);
  EXPECT_EQ(ParseTime("2026-06-01", f), 1780272000000);
  EXPECT_EQ(ParseTime("2026-06-01T07:00:00Z", f), 1780297200000);
  EXPECT_EQ(ParseTime("2026-06-01T09:00:00+02:00", f), 1780297200000);
  EXPECT_EQ(ParseTime("2026-06-01T07:00:00.250Z", f), 1780297200250);
  EXPECT_EQ(ParseTime("2026-06-01T07:00", f), 1780297200000);
  EXPECT_EQ(ParseTime("2026-06-01T07:00:00.5", f), 1780297200500);
}

TEST(QueryTime, RefusesWhatWasMisreadBefore) {
  auto f = EpochAndUtc();
  // Each of these was taken as year 1, year 0, 2026 ms after 1970, a wrapped 1969 or a 500.
  for (const char* bad : {"1x",
                          "-1",
                          "NaN",
                          "",
                          "2026",
                          "9223372036854775807",
                          "18446744073709551615",
                          "253402300800000",
                          "+5",
                          " 5",
                          "5 ",
                          "1e3",
                          "0x10",
                          "2026-13-01",
                          "2026-02-30",
                          "2026-06-01T24:00:00Z",
                          "2026-06-01T07:00:00+24:00",
                          "2026-06-01T07:00:00Zjunk",
                          "2026-06-01T07",
                          "2026-06-01T07:00:00.",
                          "today"}) {
    EXPECT_FALSE(ParseTime(bad, f)) << "'" << bad << "'";
  }
  EXPECT_EQ(ParseTime("253402300799999", f), kMaxEpochMs);
  EXPECT_FALSE(ParseTime("2026-06-01T09:00:00+0200", f));  // RFC 3339 needs the colon
  f.offset_without_colon = true;
  EXPECT_EQ(ParseTime("2026-06-01T09:00:00+0200", f), 1780297200000);
  EXPECT_EQ(ParseTime("2026-06-01T02:00-05:00", f), 1780297200000);
}

TEST(QueryTime, EachPluginKeepsItsMeaningOfADate) {
  TimeFormat local;  // e.g. the site's zone at UTC+2, and no epoch ms, no zone-less wall times
  local.date_to_utc = [](const local_time::CivilDate& d) {
    return local_time::DaysFromCivil(d) * 86'400'000 - 7'200'000;
  };
  EXPECT_EQ(ParseTime("2026-06-01", local), 1780272000000 - 7'200'000);
  EXPECT_FALSE(ParseTime("1780300800000", local));
  EXPECT_FALSE(ParseTime("2026-06-01T07:00", local));
  local.wall_time = TimeFormat::WallTime::kLocal;
  local.wall_to_utc = [](const local_time::CivilDate& d, std::int64_t ms) {
    return local_time::DaysFromCivil(d) * 86'400'000 + ms - 7'200'000;
  };
  EXPECT_EQ(ParseTime("2026-06-01T09:00", local), 1780297200000);
  EXPECT_EQ(ParseTime("2026-06-01T07:00:00Z", local), 1780297200000);  // an explicit zone wins
}

TEST(QueryInt, ReadsWholeNumbersInRangeOnly) {
  EXPECT_EQ(ParseInt("10", 1, 100), 10);
  EXPECT_EQ(ParseInt("-3", -5, 5), -3);
  for (const char* bad : {"", "0", "101", "1x", "x", "+1", " 1", "1.0", "1e2", "-", "99999999999999999999"})
    EXPECT_FALSE(ParseInt(bad, 1, 100)) << "'" << bad << "'";
}

TEST(QueryParams, AnswerA400NamingTheParameter) {
  const auto f = EpochAndUtc();
  EXPECT_EQ(TimeParam(HttpRequest{}, "from", f), std::nullopt);
  EXPECT_EQ(TimeParam(With("from", "2026-06-01"), "from", f), 1780272000000);
  const auto message = ErrorOf([&] { TimeParam(With("from", "1x"), "from", f); });
  EXPECT_EQ(message.rfind("from must be ", 0), 0u) << message;
  EXPECT_NE(message.find("'1x'"), std::string::npos) << message;
  EXPECT_NE(ErrorOf([&] { TimeParam(With("to", ""), "to", f); }).find("to must be"), std::string::npos);
  EXPECT_NE(ErrorOf([&] { TimeParam(With("from", "2026"), "from", f); }).find("2026-06-01"), std::string::npos);
  EXPECT_EQ(IntParam(HttpRequest{}, "limit", 50, 1, 100), 50);
  EXPECT_EQ(IntParam(With("limit", "7"), "limit", 50, 1, 100), 7);
  EXPECT_EQ(ErrorOf([&] { IntParam(With("limit", "18446744073709551615"), "limit", 50, 1, 100); }),
            "limit must be a whole number from 1 to 100, got '18446744073709551615'");
  // A long value is cut in the message.
  EXPECT_LT(ErrorOf([&] { IntParam(With("offset", std::string(5000, '9')), "offset", 0, 0, 10); }).size(), 200u);
}

}  // namespace
}  // namespace tessie::sdk::query
