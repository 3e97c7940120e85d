#pragma once
// Local days of an energy site: civil dates, IANA time zones (ICU's zone data) and the RFC 3339 strings
// Tesla's calendar_history expects. Days follow the site's own zone, so a day has 23, 24 or 25 hours.
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tessie::powerwall {

// A calendar date without a zone (proleptic Gregorian).
struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

std::string ToString(const CivilDate& date);                // "2026-03-08"
std::optional<CivilDate> ParseDate(std::string_view text);  // strict YYYY-MM-DD; nullopt when not a real date
CivilDate AddDays(const CivilDate& date, int days);
int DaysBetween(const CivilDate& from, const CivilDate& to);  // to − from, in days
CivilDate FirstOfMonth(const CivilDate& date);
CivilDate AddMonths(const CivilDate& first_of_month, int months);  // keeps day 1

// "2026-06-01T07:00:00Z" (seconds precision).
std::string IsoUtc(std::int64_t utc_ms);
void AppendIsoUtc(std::string& out, std::int64_t utc_ms);  // the same, appended to `out`
// Local wall time of `utc_ms` at a known offset, e.g. "2026-03-08T00:00:00-08:00" (no zone look-up).
std::string FormatWithOffset(std::int64_t utc_ms, std::int64_t offset_ms);
// RFC 3339 / ISO 8601 with Z or ±hh:mm (fractions allowed) → UTC epoch ms; nullopt when malformed.
std::optional<std::int64_t> ParseRfc3339Ms(std::string_view text);

// One IANA zone. Immutable after construction; const methods are thread-safe.
class SiteTimeZone {
 public:
  // Throws std::invalid_argument naming `iana_name` when ICU does not know it.
  explicit SiteTimeZone(const std::string& iana_name);

  const std::string& Name() const { return name_; }
  // Offset from UTC (daylight saving included) in force at `utc_ms`.
  std::int64_t OffsetMs(std::int64_t utc_ms) const;
  CivilDate LocalDate(std::int64_t utc_ms) const;
  // The first instant of the local date. When midnight does not exist (a DST gap at 00:00) that is the end
  // of the gap; when it exists twice, the first one.
  std::int64_t StartOfDayMs(const CivilDate& date) const;
  // Local wall time with the offset in force, e.g. "2026-03-08T00:00:00-08:00" (UTC: "+00:00").
  std::string FormatRfc3339(std::int64_t utc_ms) const;

 private:
  std::string name_;
  std::shared_ptr<const void> zone_;  // icu::BasicTimeZone, type-erased to keep ICU out of this header
};

// One local day of a site as calendar_history wants it: [start, end) from local midnight to the next local
// midnight, as UTC ms and as RFC 3339 with the offset in force at each end.
struct DayWindow {
  CivilDate date;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string start;  // start_date
  std::string end;    // end_date
};
DayWindow DayWindowOf(const SiteTimeZone& zone, const CivilDate& date);

}  // namespace tessie::powerwall
