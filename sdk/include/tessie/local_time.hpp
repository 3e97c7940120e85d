#pragma once
// Local days and wall times in IANA time zones (ICU's zone data), for the plugins whose days, months, tariffs
// and rules follow a place's own clock: civil dates, the first instant of a local day across daylight-saving
// changes (a day has 23, 24 or 25 hours), RFC 3339 text. Plain logic, no I/O. Link tessie::local_time.
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tessie::local_time {

// A calendar date without a zone (proleptic Gregorian).
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

std::int64_t DaysFromCivil(const CivilDate& date);  // days since 1970-01-01
CivilDate CivilFromDays(std::int64_t days);
CivilDate AddDays(const CivilDate& date, std::int64_t days);
int DaysBetween(const CivilDate& from, const CivilDate& to);  // to − from, in days
CivilDate FirstOfMonth(const CivilDate& date);
CivilDate AddMonths(const CivilDate& first_of_month, int months);  // keeps day 1
int IsoWeekday(const CivilDate& date);                             // 1 = Monday ... 7 = Sunday
bool IsValidDate(const CivilDate& date);                           // a real day of the years 1..9999
std::string ToString(const CivilDate& date);                       // "2026-03-08"
std::optional<CivilDate> ParseDate(std::string_view text);         // strict YYYY-MM-DD; nullopt when not a real date

// "2026-06-01T07:00:00Z" (seconds precision).
std::string IsoUtc(std::int64_t utc_ms);
void AppendIsoUtc(std::string& out, std::int64_t utc_ms);  // the same, appended to `out`
// Local wall time of `utc_ms` at a known offset, e.g. "2026-03-08T00:00:00-08:00" (no zone look-up).
std::string FormatWithOffset(std::int64_t utc_ms, std::int64_t offset_ms);
// RFC 3339 / ISO 8601 with Z or ±hh:mm (fractions allowed) → UTC epoch ms; nullopt when malformed.
std::optional<std::int64_t> ParseRfc3339Ms(std::string_view text);

// A local wall time: its date, the time of day and the ISO weekday.
struct LocalDateTime {
  CivilDate date;
  std::int64_t ms_of_day = 0;
  int weekday = 4;  // 1 = Monday ... 7 = Sunday
};

// One IANA zone. Immutable after construction; const methods are thread-safe (ICU's const TimeZone methods are).
class Zone {
 public:
  // Throws std::invalid_argument naming `iana_name` when ICU does not know it.
  explicit Zone(const std::string& iana_name);
  static bool IsKnown(const std::string& iana_name);

  const std::string& Name() const { return name_; }
  // Offset from UTC (daylight saving included) in force at `utc_ms`.
  std::int64_t OffsetMs(std::int64_t utc_ms) const;
  CivilDate LocalDate(std::int64_t utc_ms) const;
  LocalDateTime Local(std::int64_t utc_ms) const;
  // The first instant of the local date. When midnight does not exist (a DST gap at 00:00) that is the end
  // of the gap; when it exists twice, the first one.
  std::int64_t StartOfDayMs(const CivilDate& date) const;
  // The instant of a local wall time; one skipped by a DST change maps to an instant next to it.
  std::int64_t ToUtc(const CivilDate& date, std::int64_t ms_of_day) const;
  // The next instant after `utc_ms` at which the offset changes, if the zone's rules have one.
  std::optional<std::int64_t> NextTransitionMs(std::int64_t utc_ms) const;
  // Local wall time with the offset in force, e.g. "2026-03-08T00:00:00-08:00" (UTC: "+00:00").
  std::string FormatRfc3339(std::int64_t utc_ms) const;

 private:
  std::string name_;
  std::shared_ptr<const void> zone_;  // icu::BasicTimeZone, type-erased to keep ICU out of this header
};

}  // namespace tessie::local_time
