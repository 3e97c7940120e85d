#pragma once
// IANA time zones for rules that depend on local time (ICU's zone data).
#include <cstdint>
#include <memory>
#include <string>

namespace tessie::plugins::drivers {

struct LocalTime {
  int year = 1970;
  int month = 1;          // 1..12
  int day = 1;            // 1..31
  int weekday = 4;        // ISO: 1 = Monday ... 7 = Sunday
  int minute_of_day = 0;  // 0..1439
};

// Immutable after construction; const methods are thread-safe.
class TimeZone {
 public:
  // Throws std::invalid_argument naming `iana_name` when ICU does not know it ("Europe/Berlin", "UTC").
  explicit TimeZone(const std::string& iana_name);

  const std::string& Name() const { return name_; }
  // Offset from UTC (including daylight saving) in force at `utc_ms`.
  std::int64_t OffsetMs(std::int64_t utc_ms) const;
  LocalTime Local(std::int64_t utc_ms) const;
  // UTC epoch ms of local midnight starting the local date (year, month, day).
  std::int64_t LocalMidnightUtcMs(int year, int month, int day) const;

 private:
  std::string name_;
  std::shared_ptr<const void> zone_;  // icu::TimeZone, type-erased to keep ICU out of this header
};

}  // namespace tessie::plugins::drivers
