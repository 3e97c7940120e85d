#include "local_time.hpp"

namespace tessie::powerwall {

DayWindow DayWindowOf(const local_time::Zone& zone, const CivilDate& date) {
  DayWindow w;
  w.date = date;
  w.start_ms = zone.StartOfDayMs(date);
  w.end_ms = zone.StartOfDayMs(AddDays(date, 1));
  w.start = zone.FormatRfc3339(w.start_ms);
  w.end = zone.FormatRfc3339(w.end_ms);
  return w;
}

}  // namespace tessie::powerwall
