#include "attribution.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace tessie::drivers {
namespace {

std::int64_t Utc(int y, unsigned m, unsigned d, int hour, int minute = 0) {
  using namespace std::chrono;
  const sys_days day = year_month_day(year(y), month(m), std::chrono::day(d));
  return duration_cast<milliseconds>(day.time_since_epoch() + hours(hour) + minutes(minute)).count();
}

constexpr std::int64_t kCar = 1001;
constexpr std::int64_t kOtherCar = 2002;

TimeRule Window(std::vector<int> weekdays, int from_h, int from_m, int to_h, int to_m,
                std::optional<std::int64_t> vehicle = std::nullopt) {
  return {std::move(weekdays), from_h * 60 + from_m, to_h * 60 + to_m, vehicle};
}

// Alex owns the car by default, Sam drives on weekday mornings, Kim whenever the drive starts at work.
Attribution Household(const std::string& zone = "Europe/Berlin") {
  Driver alex{1, "Alex", std::nullopt, {kCar}, {}, {}};
  Driver sam{2, "Sam", "profile-2", {}, {Window({1, 2, 3, 4, 5}, 7, 0, 9, 0)}, {}};
  Driver kim{3, "Kim", std::nullopt, {}, {}, {{"Work", std::nullopt}}};
  return Attribution(local_time::Zone(zone), {alex, sam, kim});
}

TEST(Attribution, PlaceRuleBeatsTimeRuleBeatsVehicleDefault) {
  const auto a = Household();
  // Monday 2024-03-04, 08:00 in Berlin (CET, UTC+1) = 07:00Z.
  const auto monday_8 = Utc(2024, 3, 4, 7);
  EXPECT_EQ(a.Attribute({kCar, monday_8, "Work"}), (AttributionResult{3, AttributionSource::kPlaceRule}));
  EXPECT_EQ(a.Attribute({kCar, monday_8, "Home"}), (AttributionResult{2, AttributionSource::kTimeRule}));
  EXPECT_EQ(a.Attribute({kCar, monday_8, ""}), (AttributionResult{2, AttributionSource::kTimeRule}));
  const auto monday_noon = Utc(2024, 3, 4, 11);
  EXPECT_EQ(a.Attribute({kCar, monday_noon, "Home"}), (AttributionResult{1, AttributionSource::kVehicleDefault}));
  EXPECT_EQ(a.Attribute({kOtherCar, monday_noon, "Home"}), (AttributionResult{std::nullopt, AttributionSource::kNone}))
      << "no rule and no default for the other car";
  const auto saturday_8 = Utc(2024, 3, 9, 7);
  EXPECT_EQ(a.Attribute({kCar, saturday_8, ""}), (AttributionResult{1, AttributionSource::kVehicleDefault}))
      << "Sam's rule is for weekdays only";
}

TEST(Attribution, PlaceNamesCompareIgnoringCaseAndNoPlaceMatchesNoPlaceRule) {
  const auto a = Household();
  const auto noon = Utc(2024, 3, 4, 11);
  EXPECT_EQ(a.Attribute({kCar, noon, "work"}).driver_id, 3);
  EXPECT_EQ(a.Attribute({kCar, noon, "Workshop"}).driver_id, 1);
}

TEST(Attribution, TimeWindowEndIsExclusiveAndUsesLocalTime) {
  const auto a = Household();
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 4, 5, 59), ""}).driver_id, 1);  // 06:59 local
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 4, 6, 0), ""}).driver_id, 2);   // 07:00 local
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 4, 7, 59), ""}).driver_id, 2);  // 08:59 local
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 4, 8, 0), ""}).driver_id, 1);   // 09:00 local
}

TEST(Attribution, WindowAcrossMidnightBelongsToTheDayItOpens) {
  // Friday nights 22:00–02:00 in UTC, to keep the arithmetic visible.
  Driver night{5, "Night owl", std::nullopt, {}, {Window({5}, 22, 0, 2, 0)}, {}};
  const Attribution a(local_time::Zone("UTC"), {night});
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 8, 23), ""}).driver_id, 5);             // Friday 23:00
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 9, 1, 30), ""}).driver_id, 5);          // Saturday 01:30
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 9, 2), ""}).driver_id, std::nullopt);   // Saturday 02:00
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 9, 23), ""}).driver_id, std::nullopt);  // Saturday 23:00
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 8, 1), ""}).driver_id, std::nullopt);   // Friday 01:00 (Thursday's night)
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 8, 21, 59), ""}).driver_id, std::nullopt);
}

TEST(Attribution, WindowAcrossMidnightOnSundayContinuesIntoMonday) {
  Driver night{5, "Night owl", std::nullopt, {}, {Window({7}, 23, 0, 1, 0)}, {}};
  const Attribution a(local_time::Zone("UTC"), {night});
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 11, 0, 30), ""}).driver_id, 5);             // Monday 00:30
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 12, 0, 30), ""}).driver_id, std::nullopt);  // Tuesday 00:30
}

TEST(Attribution, LocalTimeFollowsDaylightSavingChanges) {
  const auto a = Household();
  // Berlin switches to CEST (UTC+2) on Sunday 2024-03-31. 07:30 local is 06:30Z before and 05:30Z after.
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 29, 6, 30), ""}).driver_id, 2);  // Fri 07:30 CET
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 4, 1, 5, 30), ""}).driver_id, 2);   // Mon 07:30 CEST
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 4, 1, 7, 30), ""}).driver_id, 1)
      << "09:30 CEST is outside 07:00–09:00 although it would be 08:30 at the winter offset";
  // And back to CET on Sunday 2024-10-27: 08:30 local is 06:30Z before and 07:30Z after.
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 10, 25, 6, 30), ""}).driver_id, 2);  // Fri 08:30 CEST
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 10, 28, 7, 30), ""}).driver_id, 2);  // Mon 08:30 CET
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 10, 28, 5, 30), ""}).driver_id, 1);  // Mon 06:30 CET
}

TEST(Attribution, TheNightOfTheClockChangeUsesTheOffsetInForce) {
  // 01:00–03:00 local on Sundays. On 2024-03-31 local time jumps from 02:00 to 03:00 (01:00Z).
  Driver early{4, "Early", std::nullopt, {}, {Window({7}, 1, 0, 3, 0)}, {}};
  const Attribution a(local_time::Zone("Europe/Berlin"), {early});
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 31, 0, 30), ""}).driver_id, 4);            // 01:30 CET
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 31, 1, 0), ""}).driver_id, std::nullopt);  // 03:00 CEST
}

TEST(Attribution, VehicleRestrictedRulesApplyOnlyToThatVehicleAndWinTies) {
  Driver anyone{1, "Anyone", std::nullopt, {}, {Window({}, 0, 0, 24, 0)}, {}};
  Driver second_car{9, "Second car", std::nullopt, {}, {Window({}, 0, 0, 24, 0, kOtherCar)}, {}};
  const Attribution a(local_time::Zone("UTC"), {anyone, second_car});
  EXPECT_EQ(a.Attribute({kOtherCar, Utc(2024, 3, 4, 12), ""}).driver_id, 9) << "specific beats generic";
  EXPECT_EQ(a.Attribute({kCar, Utc(2024, 3, 4, 12), ""}).driver_id, 1);

  Driver place_specific{3, "P", std::nullopt, {}, {}, {{"Gym", kOtherCar}}};
  const Attribution b(local_time::Zone("UTC"), {place_specific});
  EXPECT_EQ(b.Attribute({kOtherCar, Utc(2024, 3, 4, 12), "Gym"}).driver_id, 3);
  EXPECT_EQ(b.Attribute({kCar, Utc(2024, 3, 4, 12), "Gym"}).driver_id, std::nullopt);
}

TEST(Attribution, EqualRulesGoToTheLowestDriverId) {
  Driver b{8, "B", std::nullopt, {}, {Window({}, 6, 0, 10, 0)}, {}};
  Driver a{4, "A", std::nullopt, {}, {Window({}, 6, 0, 10, 0)}, {}};
  const Attribution attribution(local_time::Zone("UTC"), {b, a});
  EXPECT_EQ(attribution.Attribute({kCar, Utc(2024, 3, 4, 7), ""}).driver_id, 4);
}

TEST(Attribution, RuleChangeReattributesOnlyDrivesNotAssignedByHand) {
  const auto before = Household();
  const auto monday_8 = Utc(2024, 3, 4, 7);
  const auto monday_noon = Utc(2024, 3, 4, 11);
  std::vector<AttributedDrive> drives = {
      {10, {kCar, monday_8, ""}, before.Attribute({kCar, monday_8, ""})},         // Sam by time rule
      {11, {kCar, monday_noon, ""}, before.Attribute({kCar, monday_noon, ""})},   // Alex by default
      {12, {kCar, monday_8, ""}, {1, AttributionSource::kManual}},                // Alex by hand
      {13, {kCar, monday_noon, ""}, {std::nullopt, AttributionSource::kManual}},  // nobody, by hand
  };
  EXPECT_TRUE(before.Reattribute(drives).empty()) << "unchanged rules change nothing";

  // Sam's morning rule is removed; Kim becomes the car's default.
  Driver alex{1, "Alex", std::nullopt, {}, {}, {}};
  Driver sam{2, "Sam", std::nullopt, {}, {}, {}};
  Driver kim{3, "Kim", std::nullopt, {kCar}, {}, {{"Work", std::nullopt}}};
  const Attribution after(local_time::Zone("Europe/Berlin"), {alex, sam, kim});
  const auto changes = after.Reattribute(drives);
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0].drive_id, 10);
  EXPECT_EQ(changes[0].result, (AttributionResult{3, AttributionSource::kVehicleDefault}));
  EXPECT_EQ(changes[1].drive_id, 11);
  EXPECT_EQ(changes[1].result, (AttributionResult{3, AttributionSource::kVehicleDefault}));
}

TEST(Attribution, SourceNamesRoundTrip) {
  for (auto s : {AttributionSource::kNone, AttributionSource::kVehicleDefault, AttributionSource::kTimeRule,
                 AttributionSource::kPlaceRule, AttributionSource::kManual}) {
    EXPECT_EQ(AttributionSourceFromString(ToString(s)), s);
  }
  EXPECT_EQ(AttributionSourceFromString("bogus"), std::nullopt);
}

TEST(TimeZone, LocalTimeAndMidnightAcrossDaylightSaving) {
  const local_time::Zone berlin("Europe/Berlin");
  const auto t = berlin.Local(Utc(2024, 3, 31, 1, 30));  // 03:30 CEST, Sunday
  EXPECT_EQ(t.date, (local_time::CivilDate{2024, 3, 31}));
  EXPECT_EQ(t.weekday, 7);
  EXPECT_EQ(t.ms_of_day, (3 * 60 + 30) * 60'000);
  EXPECT_EQ(berlin.StartOfDayMs({2024, 3, 31}), Utc(2024, 3, 30, 23));
  EXPECT_EQ(berlin.StartOfDayMs({2024, 4, 1}), Utc(2024, 3, 31, 22));
  const local_time::Zone new_york("America/New_York");
  EXPECT_EQ(new_york.Local(Utc(2024, 3, 9, 2)).weekday, 5) << "Saturday 02:00Z is still Friday in New York";
  EXPECT_THROW(local_time::Zone("Mars/Olympus_Mons"), std::invalid_argument);
}

}  // namespace
}  // namespace tessie::drivers
