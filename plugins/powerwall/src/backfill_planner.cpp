#include "backfill_planner.hpp"

#include <algorithm>

namespace tessie::powerwall {

namespace {

CivilDate NextNeeded(const CivilDate& first, const std::optional<CivilDate>& done_through) {
  return done_through && *done_through >= first ? AddDays(*done_through, 1) : first;
}

}  // namespace

HistoryStep BackfillPlanner::Next(const std::optional<CivilDate>& done_through, const CivilDate& today) const {
  const CivilDate first = std::min(first_day_, today);
  HistoryStep step;
  step.days_total = DaysBetween(first, today) + 1;
  step.days_done =
      done_through && *done_through >= first ? std::min(DaysBetween(first, *done_through) + 1, step.days_total) : 0;
  const CivilDate next = NextNeeded(first, done_through);
  if (next < today) {  // a day before today never fetched complete: one day per run
    step.mode = HistoryStep::Mode::kBackfill;
    step.days = {next};
    return step;
  }
  step.mode = HistoryStep::Mode::kCurrent;
  const CivilDate yesterday = AddDays(today, -1);
  if (yesterday >= first) step.days.push_back(yesterday);
  step.days.push_back(today);
  return step;
}

std::vector<CivilDate> BackfillPlanner::Remaining(const std::optional<CivilDate>& done_through,
                                                  const CivilDate& today) const {
  std::vector<CivilDate> out;
  for (CivilDate d = NextNeeded(std::min(first_day_, today), done_through); d <= today; d = AddDays(d, 1)) {
    out.push_back(d);
  }
  return out;
}

std::optional<CivilDate> BackfillPlanner::Advance(const std::optional<CivilDate>& done_through,
                                                  const CivilDate& fetched, const CivilDate& today) const {
  if (!(fetched < today)) return done_through;  // today is never complete
  const CivilDate next = NextNeeded(std::min(first_day_, today), done_through);
  if (fetched > next) return done_through;  // a hole before it
  if (done_through && *done_through >= fetched) return done_through;
  return fetched;
}

}  // namespace tessie::powerwall
