#pragma once

#include <memory>
#include <string>

namespace tessie::sim {

// An IANA time zone (backed by ICU's zone data). Immutable; const methods are thread-safe.
class TimeZone {
 public:
  // Throws std::invalid_argument for a name ICU does not know.
  explicit TimeZone(const std::string& name);

  const std::string& Name() const { return name_; }
  int OffsetS(double t_s) const;
  // UTC epoch seconds of local midnight for the local date (y, m, d).
  double LocalDayStartS(int year, int month, int day) const;
  // UTC epoch seconds of local midnight starting the local day that contains t_s.
  double LocalMidnightS(double t_s) const;
  // "2024-09-18T08:45:00+10:00" (always a numeric offset, "+00:00" for UTC).
  std::string FormatRfc3339(double t_s) const;
  // "2024-09-18"
  std::string LocalDate(double t_s) const;

 private:
  std::string name_;
  std::shared_ptr<const void> zone_;  // icu::TimeZone, type-erased to keep ICU out of this header
};

// Parses RFC 3339 / ISO 8601 ("2026-03-02T07:30:00Z", "...+10:00"); throws std::invalid_argument.
double ParseRfc3339(const std::string& text);
// "2026-03-02T07:30:00Z"
std::string FormatUtc(double t_s);

}  // namespace tessie::sim
