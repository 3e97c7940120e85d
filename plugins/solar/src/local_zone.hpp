#pragma once
// Civil dates and an IANA time zone (ICU) for the local days, weeks, months and years of the stats.
// Plain logic, no I/O.
#include <compare>
#include <cstdint>
#include <memory>
#include <string>

namespace tessie::solar {

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

// Days since 1970-01-01 (proleptic Gregorian) and back.
std::int64_t DaysFromCivil(const CivilDate& date);
CivilDate CivilFromDays(std::int64_t days);
CivilDate AddDays(const CivilDate& date, std::int64_t days);
// ISO weekday: 1 = Monday ... 7 = Sunday.
int IsoWeekday(const CivilDate& date);
// True for a date that exists (2026-02-30 does not).
bool IsValidDate(const CivilDate& date);
// "2026-06-01".
std::string FormatDate(const CivilDate& date);

// Immutable after construction; const methods may be called from several threads (ICU's const TimeZone
// methods are thread-safe).
class LocalZone {
 public:
  // Throws std::invalid_argument naming `iana_name` when ICU does not know it.
  explicit LocalZone(const std::string& iana_name);
  static bool IsKnown(const std::string& iana_name);

  const std::string& Name() const { return name_; }
  // Offset from UTC, daylight saving included, in force at `utc_ms`.
  std::int64_t OffsetMs(std::int64_t utc_ms) const;
  // The local date at `utc_ms`.
  CivilDate DateAt(std::int64_t utc_ms) const;
  // The first instant of the local day: local midnight, or the first instant after it when a DST change
  // skips midnight; the earlier one when midnight happens twice.
  std::int64_t StartOfDayMs(const CivilDate& date) const;

 private:
  struct Impl;
  std::string name_;
  std::shared_ptr<const Impl> impl_;
};

}  // namespace tessie::solar
