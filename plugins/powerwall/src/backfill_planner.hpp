#pragma once
// Which local days of a site's energy history to fetch next (plain logic, no I/O).
//
// The history job asks for one step per run. While days before yesterday are missing it backfills them
// one day per request, oldest first (kBackfill); afterwards it keeps current by re-fetching yesterday
// and today (kCurrent; yesterday again because Tesla fills in late data). Progress is the last local day
// known complete ("done through"): stored after each day, so a restart resumes where it stopped, and a
// host that was off for a week catches up the missed days the same way.
#include <optional>
#include <vector>

#include "local_time.hpp"

namespace tessie::powerwall {

struct HistoryStep {
  enum class Mode { kBackfill, kCurrent };
  Mode mode = Mode::kBackfill;
  std::vector<CivilDate> days;  // to fetch in this run, oldest first
  int days_done = 0;            // from the first day through done_through
  int days_total = 0;           // from the first day through today
};

// Immutable; thread-safe.
class BackfillPlanner {
 public:
  // `first_day`: the installation date in the site's zone (or a later cap).
  explicit BackfillPlanner(CivilDate first_day) : first_day_(first_day) {}

  const CivilDate& FirstDay() const { return first_day_; }
  HistoryStep Next(const std::optional<CivilDate>& done_through, const CivilDate& today) const;
  // Every day still to fetch at least once, oldest first (today included: it is never complete).
  std::vector<CivilDate> Remaining(const std::optional<CivilDate>& done_through, const CivilDate& today) const;
  // The new "done through" after `fetched` was stored at a time when the local date was `today`: a day
  // counts only once it has ended, and only when every day before it is done (no holes).
  std::optional<CivilDate> Advance(const std::optional<CivilDate>& done_through, const CivilDate& fetched,
                                   const CivilDate& today) const;

 private:
  CivilDate first_day_;
};

}  // namespace tessie::powerwall
