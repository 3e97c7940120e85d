#include "time_zone.hpp"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <chrono>
#include <stdexcept>

namespace tessie::plugins::drivers {

namespace {

const icu::TimeZone& Zone(const std::shared_ptr<const void>& zone) {
  return *static_cast<const icu::TimeZone*>(zone.get());
}

constexpr std::int64_t kDayMs = 24LL * 3600 * 1000;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

TimeZone::TimeZone(const std::string& iana_name) : name_(iana_name) {
  std::shared_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_name)));
  if (!zone || *zone == icu::TimeZone::getUnknown()) {
    throw std::invalid_argument("unknown time zone '" + iana_name +
                                "': use an IANA name such as Europe/Berlin, America/New_York or UTC");
  }
  zone_ = zone;
}

std::int64_t TimeZone::OffsetMs(std::int64_t utc_ms) const {
  std::int32_t raw_ms = 0;
  std::int32_t dst_ms = 0;
  UErrorCode status = U_ZERO_ERROR;
  Zone(zone_).getOffset(static_cast<UDate>(utc_ms), false, raw_ms, dst_ms, status);
  if (U_FAILURE(status)) return 0;
  return static_cast<std::int64_t>(raw_ms) + dst_ms;
}

LocalTime TimeZone::Local(std::int64_t utc_ms) const {
  const std::int64_t local_ms = utc_ms + OffsetMs(utc_ms);
  const std::int64_t days = FloorDiv(local_ms, kDayMs);
  const std::int64_t ms_of_day = local_ms - days * kDayMs;
  const std::chrono::sys_days date{std::chrono::days(days)};
  const std::chrono::year_month_day ymd(date);
  LocalTime t;
  t.year = static_cast<int>(ymd.year());
  t.month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  t.day = static_cast<int>(static_cast<unsigned>(ymd.day()));
  t.weekday = static_cast<int>(std::chrono::weekday(date).iso_encoding());
  t.minute_of_day = static_cast<int>(ms_of_day / 60000);
  return t;
}

std::int64_t TimeZone::LocalMidnightUtcMs(int year, int month, int day) const {
  const std::chrono::sys_days date =
      std::chrono::year_month_day(std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                  std::chrono::day(static_cast<unsigned>(day)));
  const std::int64_t local_ms = static_cast<std::int64_t>(date.time_since_epoch().count()) * kDayMs;
  std::int32_t raw_ms = 0;
  std::int32_t dst_ms = 0;
  UErrorCode status = U_ZERO_ERROR;
  Zone(zone_).getOffset(static_cast<UDate>(local_ms), true, raw_ms, dst_ms, status);
  if (U_FAILURE(status)) return local_ms;
  return local_ms - raw_ms - dst_ms;
}

}  // namespace tessie::plugins::drivers
