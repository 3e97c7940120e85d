#include "local_zone.hpp"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace tessie::solar {

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::unique_ptr<icu::TimeZone> CreateZone(const std::string& iana_name) {
  if (iana_name.empty()) return nullptr;
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_name)));
  if (!zone || *zone == icu::TimeZone::getUnknown()) return nullptr;
  return zone;
}

}  // namespace

std::int64_t DaysFromCivil(const CivilDate& date) {
  using namespace std::chrono;
  return sys_days(year{date.year} / month{static_cast<unsigned>(date.month)} / day{static_cast<unsigned>(date.day)})
      .time_since_epoch()
      .count();
}

CivilDate CivilFromDays(std::int64_t days) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

CivilDate AddDays(const CivilDate& date, std::int64_t days) { return CivilFromDays(DaysFromCivil(date) + days); }

int IsoWeekday(const CivilDate& date) {
  // 1970-01-01 was a Thursday (4).
  const std::int64_t d = DaysFromCivil(date) + 3;
  return static_cast<int>(d - FloorDiv(d, 7) * 7) + 1;
}

bool IsValidDate(const CivilDate& date) {
  if (date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31)
    return false;
  return CivilFromDays(DaysFromCivil(date)) == date;
}

std::string FormatDate(const CivilDate& date) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buf;
}

struct LocalZone::Impl {
  std::unique_ptr<icu::TimeZone> zone;
};

bool LocalZone::IsKnown(const std::string& iana_name) { return CreateZone(iana_name) != nullptr; }

LocalZone::LocalZone(const std::string& iana_name) : name_(iana_name) {
  auto impl = std::make_shared<Impl>();
  impl->zone = CreateZone(iana_name);
  if (!impl->zone) {
    throw std::invalid_argument("unknown time zone '" + iana_name + "' (use an IANA name like Europe/Berlin)");
  }
  impl_ = std::move(impl);
}

std::int64_t LocalZone::OffsetMs(std::int64_t utc_ms) const {
  int32_t raw_ms = 0;
  int32_t dst_ms = 0;
  UErrorCode status = U_ZERO_ERROR;
  impl_->zone->getOffset(static_cast<UDate>(utc_ms), false, raw_ms, dst_ms, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not compute the UTC offset in " + name_);
  return static_cast<std::int64_t>(raw_ms) + dst_ms;
}

CivilDate LocalZone::DateAt(std::int64_t utc_ms) const {
  return CivilFromDays(FloorDiv(utc_ms + OffsetMs(utc_ms), kMsPerDay));
}

std::int64_t LocalZone::StartOfDayMs(const CivilDate& date) const {
  const std::int64_t local_ms = DaysFromCivil(date) * kMsPerDay;
  // The offsets in force around that midnight: a zone changes its offset at most once within a few hours of
  // it, so the offsets a day before and a day after are the candidates.
  const std::int64_t before_ms = OffsetMs(local_ms - kMsPerDay);
  const std::int64_t after_ms = OffsetMs(local_ms + kMsPerDay);
  std::int64_t best = 0;
  bool found = false;
  for (const std::int64_t offset : {before_ms, after_ms}) {
    const std::int64_t utc = local_ms - offset;
    if (utc + OffsetMs(utc) == local_ms && (!found || utc < best)) {
      best = utc;
      found = true;
    }
  }
  // Midnight skipped by a change to a later offset: the day starts at the change, which is local midnight
  // read with the earlier offset.
  return found ? best : local_ms - before_ms;
}

}  // namespace tessie::solar
