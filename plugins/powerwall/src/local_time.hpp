#pragma once
// Local days of an energy site (tessie/local_time.hpp) and the day windows Tesla's calendar_history expects.
// Days follow the site's own zone, so a day has 23, 24 or 25 hours.
#include <cstdint>
#include <string>

#include "tessie/local_time.hpp"

namespace tessie::powerwall {

using local_time::AddDays;
using local_time::AddMonths;
using local_time::AppendIsoUtc;
using local_time::CivilDate;
using local_time::DaysBetween;
using local_time::FirstOfMonth;
using local_time::FormatWithOffset;
using local_time::IsoUtc;
using local_time::ParseDate;
using local_time::ParseRfc3339Ms;
using local_time::ToString;

// One local day of a site as calendar_history wants it: [start, end) from local midnight to the next local
// midnight, as UTC ms and as RFC 3339 with the offset in force at each end.
struct DayWindow {
  CivilDate date;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string start;  // start_date
  std::string end;    // end_date
};
DayWindow DayWindowOf(const local_time::Zone& zone, const CivilDate& date);

}  // namespace tessie::powerwall
