#include "backfill_planner.hpp"

#include <gtest/gtest.h>

namespace tessie::powerwall {
namespace {

using Mode = HistoryStep::Mode;

TEST(BackfillPlanner, FirstStartBackfillsFromTheInstallationDateOneDayPerRun) {
  const BackfillPlanner planner({2026, 5, 28});
  const CivilDate today{2026, 6, 1};
  const auto step = planner.Next(std::nullopt, today);
  EXPECT_EQ(step.mode, Mode::kBackfill);
  ASSERT_EQ(step.days.size(), 1u);
  EXPECT_EQ(step.days[0], (CivilDate{2026, 5, 28}));
  EXPECT_EQ(step.days_done, 0);
  EXPECT_EQ(step.days_total, 5);
  EXPECT_EQ(planner.Remaining(std::nullopt, today).size(), 5u);
}

TEST(BackfillPlanner, ResumesAfterTheLastCompletedDayThenKeepsCurrent) {
  const BackfillPlanner planner({2026, 5, 28});
  const CivilDate today{2026, 6, 1};
  std::optional<CivilDate> done;
  std::vector<CivilDate> fetched;
  for (int run = 0; run < 10; ++run) {
    const auto step = planner.Next(done, today);
    if (step.mode == Mode::kCurrent) break;
    fetched.push_back(step.days[0]);
    done = planner.Advance(done, step.days[0], today);
  }
  ASSERT_EQ(fetched.size(), 4u);  // 05-28 .. 05-31; today is never complete
  EXPECT_EQ(done, (CivilDate{2026, 5, 31}));
  const auto current = planner.Next(done, today);
  EXPECT_EQ(current.mode, Mode::kCurrent);
  EXPECT_EQ(current.days, (std::vector<CivilDate>{{2026, 5, 31}, {2026, 6, 1}}));
  EXPECT_EQ(current.days_done, 4);
  EXPECT_EQ(current.days_total, 5);
  // A restart in the middle resumes after the stored day.
  EXPECT_EQ(planner.Next(CivilDate{2026, 5, 29}, today).days[0], (CivilDate{2026, 5, 30}));
  EXPECT_EQ(planner.Remaining(CivilDate{2026, 5, 29}, today),
            (std::vector<CivilDate>{{2026, 5, 30}, {2026, 5, 31}, {2026, 6, 1}}));
}

TEST(BackfillPlanner, AfterMidnightOrDaysOffTheMissedDaysAreFetchedFirst) {
  const BackfillPlanner planner({2025, 1, 1});
  // Done through 05-31, now it is 06-03: 06-01 and 06-02 are backfilled, then current.
  auto step = planner.Next(CivilDate{2026, 5, 31}, {2026, 6, 3});
  EXPECT_EQ(step.mode, Mode::kBackfill);
  EXPECT_EQ(step.days[0], (CivilDate{2026, 6, 1}));
  // Just after midnight: yesterday once more on its own, then current.
  step = planner.Next(CivilDate{2026, 6, 1}, {2026, 6, 3});
  EXPECT_EQ(step.days[0], (CivilDate{2026, 6, 2}));
}

TEST(BackfillPlanner, TodayNeverCountsAsDoneAndHolesAreNotSkipped) {
  const BackfillPlanner planner({2026, 5, 1});
  const CivilDate today{2026, 6, 1};
  EXPECT_EQ(planner.Advance(CivilDate{2026, 5, 31}, today, today), (CivilDate{2026, 5, 31}));
  EXPECT_EQ(planner.Advance(CivilDate{2026, 5, 10}, {2026, 5, 20}, today), (CivilDate{2026, 5, 10}));  // hole
  EXPECT_EQ(planner.Advance(CivilDate{2026, 5, 10}, {2026, 5, 11}, today), (CivilDate{2026, 5, 11}));
  EXPECT_EQ(planner.Advance(CivilDate{2026, 5, 31}, {2026, 5, 31}, today), (CivilDate{2026, 5, 31}));  // refetch
  EXPECT_EQ(planner.Advance(std::nullopt, {2026, 5, 1}, today), (CivilDate{2026, 5, 1}));
}

TEST(BackfillPlanner, SiteInstalledTodayOrInTheFutureOnlyKeepsToday) {
  const CivilDate today{2026, 6, 1};
  for (const CivilDate first : {CivilDate{2026, 6, 1}, CivilDate{2026, 7, 1}}) {
    const auto step = BackfillPlanner(first).Next(std::nullopt, today);
    EXPECT_EQ(step.mode, Mode::kCurrent);
    EXPECT_EQ(step.days, (std::vector<CivilDate>{today}));
    EXPECT_EQ(step.days_total, 1);
  }
}

TEST(BackfillPlanner, CountsEveryDayFromInstallationThroughToday) {
  const BackfillPlanner planner({2024, 3, 1});
  const auto step = planner.Next(std::nullopt, {2026, 6, 1});
  EXPECT_EQ(step.days_total, 823);
  EXPECT_EQ(planner.Next(CivilDate{2024, 3, 31}, {2026, 6, 1}).days_done, 31);
}

}  // namespace
}  // namespace tessie::powerwall
