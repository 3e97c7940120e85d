#pragma once
// An IANA time zone (ICU) for local months, local dates and time-of-use periods. Plain logic, no I/O.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace tessie::charging {

struct LocalDateTime {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  std::int64_t ms_of_day = 0;
};

// Immutable after construction; const methods are safe to call from several threads (ICU's const
// TimeZone methods are thread-safe).
class LocalZone {
 public:
  // Throws std::invalid_argument for a name ICU does not know.
  explicit LocalZone(const std::string& iana_name);
  static bool IsKnown(const std::string& iana_name);

  const std::string& Name() const { return name_; }
  std::int64_t OffsetMs(std::int64_t utc_ms) const;
  LocalDateTime ToLocal(std::int64_t utc_ms) const;
  // The instant of a local wall-clock time (a wall time skipped by a DST change maps to an instant next to it).
  std::int64_t ToUtc(int year, int month, int day, std::int64_t ms_of_day = 0) const;
  // The next instant after `utc_ms` at which the offset changes, if any within the zone's rules.
  std::optional<std::int64_t> NextTransitionMs(std::int64_t utc_ms) const;

 private:
  struct Impl;
  std::string name_;
  std::shared_ptr<const Impl> impl_;
};

// Days since 1970-01-01 of a civil date, and back (proleptic Gregorian).
std::int64_t DaysFromCivil(int year, int month, int day);
void CivilFromDays(std::int64_t days, int& year, int& month, int& day);

}  // namespace tessie::charging
