#include "tessie/sdk/query.hpp"

#include "tessie/sdk/row.hpp"
#include "tessie/sdk/config.hpp"

#include <gtest/gtest.h>

#include <cmath>

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

// ---- The one way every route reads times (issue 14: six parsers disagreed) -----------------------------------
namespace tessie::sdk::query {
namespace {

HttpRequest Range(const std::string& from, const std::string& to) {
  HttpRequest r;
  if (!from.empty()) r.query.emplace("from", from);
  if (!to.empty()) r.query.emplace("to", to);
  return r;
}

constexpr std::int64_t kJune1Utc = 1780272000000;            // 2026-06-01T00:00:00Z
constexpr std::int64_t kBerlinJune1 = kJune1Utc - 7'200'000;  // local midnight at +02:00

TEST(QueryTimeRange, EveryRouteAcceptsTheSameForms) {
  const local_time::Zone berlin("Europe/Berlin");
  const auto from = [&](const std::string& text) {
    return TimeRangeParams(Range(text, ""), berlin, 0, kMaxEpochMs).from_ms;
  };
  EXPECT_EQ(from("2026-06-01"), kBerlinJune1);                                // a date: local midnight
  EXPECT_EQ(from("2026-06-01T07:00:00Z"), kJune1Utc + 7 * 3'600'000);        // RFC 3339, Z
  EXPECT_EQ(from("2026-06-01T09:00:00+02:00"), kJune1Utc + 7 * 3'600'000);   // RFC 3339, offset
  EXPECT_EQ(from("2026-06-01T09:00:00+0200"), kJune1Utc + 7 * 3'600'000);    // offset without colon
  EXPECT_EQ(from("2026-06-01T09:00"), kJune1Utc + 7 * 3'600'000);            // local wall time in the zone
  EXPECT_EQ(from("2026-06-01T09:00:00.250"), kJune1Utc + 7 * 3'600'000 + 250);
  EXPECT_EQ(from("1780297200000"), 1780297200000);                          // epoch milliseconds
}

TEST(QueryTimeRange, ADateAsToIsInclusiveAndDefaultsApplyWhenAbsent) {
  const local_time::Zone berlin("Europe/Berlin");
  const auto day = TimeRangeParams(Range("2026-06-01", "2026-06-01"), berlin, 0, 0);
  EXPECT_EQ(day.from_ms, kBerlinJune1);
  EXPECT_EQ(day.to_ms, kBerlinJune1 + 86'400'000);  // the next local midnight
  const auto none = TimeRangeParams(Range("", ""), berlin, 5, 9);
  EXPECT_EQ(none.from_ms, 5);
  EXPECT_EQ(none.to_ms, 9);
  // A time (not a date) as `to` is taken as it is.
  EXPECT_EQ(TimeRangeParams(Range("", "2026-06-01T00:00:00Z"), berlin, 0, 0).to_ms, kJune1Utc);
  // A day of 23 hours (spring forward): the next local midnight is 23 h later.
  const auto short_day = TimeRangeParams(Range("2026-03-29", "2026-03-29"), berlin, 0, 0);
  EXPECT_EQ(short_day.to_ms - short_day.from_ms, 23 * 3'600'000);
}

TEST(QueryTimeRange, MalformedYearsAndReversedRangesAre400s) {
  const local_time::Zone utc("UTC");
  EXPECT_NE(ErrorOf([&] { TimeRangeParams(Range("2026", ""), utc, 0, 1); }).find("from must be a date like"),
            std::string::npos);
  EXPECT_NE(ErrorOf([&] { TimeRangeParams(Range("", "yesterday"), utc, 0, 1); }).find("to must be"), std::string::npos);
  EXPECT_EQ(ErrorOf([&] { TimeRangeParams(Range("", ""), utc, 0, 1); }), "");
  EXPECT_NE(ErrorOf([&] { TimeRangeParams(Range("2026-06-02", "2026-06-01T00:00:00Z"), utc, 0, 1); })
                .find("from must not be after to"),
            std::string::npos);
  EXPECT_EQ(ErrorOf([&] { TimeRangeParams(Range("2026-06-01T00:00:00Z", "2026-06-01T00:00:00Z"), utc, 0, 1); }), "");
}

TEST(QueryDate, ReadsARealDayOnly) {
  EXPECT_EQ(DateParam(With("date", "2026-02-28"), "date"), (local_time::CivilDate{2026, 2, 28}));
  EXPECT_FALSE(DateParam(HttpRequest{}, "date"));
  EXPECT_NE(ErrorOf([] { DateParam(With("date", "2026-02-30"), "date"); }).find("date must be a date like 2026-06-01"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] { DateParam(With("date", ""), "date"); }), "");
}

}  // namespace
}  // namespace tessie::sdk::query

// ---- Optional values in rows, SQL parameters and JSON ------------------------------------------------------------

namespace tessie::sdk {
namespace {

TEST(Row, OptionalsBecomeNullOrTheValue) {
  EXPECT_TRUE(std::holds_alternative<std::monostate>(ToSql(std::optional<double>())));
  EXPECT_EQ(std::get<std::int64_t>(ToSql(std::optional<bool>(true))), 1);
  EXPECT_EQ(std::get<std::int64_t>(ToSql(std::optional<bool>(false))), 0);
  EXPECT_EQ(std::get<std::int64_t>(ToSql(std::optional<int>(42))), 42);
  EXPECT_DOUBLE_EQ(std::get<double>(ToSql(std::optional<double>(1.5))), 1.5);
  EXPECT_TRUE(std::holds_alternative<std::monostate>(ToSql(std::optional<double>(std::nan("")))));
  EXPECT_TRUE(std::holds_alternative<std::monostate>(ToSql(std::optional<double>(HUGE_VAL))));
  EXPECT_EQ(std::get<std::string>(ToSql(std::optional<std::string>("x"))), "x");

  EXPECT_TRUE(ToVar(std::optional<int>()).isEmpty());
  EXPECT_TRUE(ToVar(std::optional<int>(7)).type() == typeid(Poco::Int64));
  EXPECT_EQ(ToVar(std::optional<int>(7)).convert<int>(), 7);
  EXPECT_TRUE(ToVar(std::optional<bool>(false)).type() == typeid(bool));
  EXPECT_DOUBLE_EQ(ToVar(std::optional<double>(2.25)).convert<double>(), 2.25);
  EXPECT_EQ(ToVar(std::optional<std::string>("a")).toString(), "a");
}

TEST(Row, OptionalColumnsAreNulloptWhenNull) {
  SqlRow row{{SqlValue(), SqlValue(std::int64_t{3}), SqlValue(2.5), SqlValue(std::string("t"))}};
  EXPECT_FALSE(OptInt(row, 0));
  EXPECT_FALSE(OptDouble(row, 0));
  EXPECT_FALSE(OptString(row, 0));
  EXPECT_FALSE(OptBool(row, 0));
  EXPECT_EQ(OptInt(row, 1), 3);
  EXPECT_EQ(OptBool(row, 1), true);
  EXPECT_EQ(OptDouble(row, 1), 3.0);
  EXPECT_EQ(OptDouble(row, 2), 2.5);
  EXPECT_EQ(OptString(row, 3), "t");
}

// The currency check charging and solar share: what a user writes in YAML, and the message they get.
TEST(ConfigChecks, CurrencyCodeIsThreeCapitalLetters) {
  EXPECT_EQ(checks::CurrencyCode(Poco::Dynamic::Var(std::string("EUR"))), "");
  for (const char* bad : {"eur", "EURO", "", "E1R", "\xc3\x89UR"}) {
    EXPECT_EQ(checks::CurrencyCode(Poco::Dynamic::Var(std::string(bad))),
              "must be a three-letter currency code like EUR")
        << bad;
  }
}

}  // namespace
}  // namespace tessie::sdk
