// DriveRecorder: what is stored for the detector's decisions, and who is named the driver.
#include "drive_recorder.hpp"

#include <gtest/gtest.h>

#include <map>
#include <stdexcept>

#include "drive_test_samples.hpp"

namespace tessie::drivers {
namespace {

using namespace test_samples;

// The drivers plugin's tables, in memory.
class MemoryDrives : public DriveRepository {
 public:
  struct Drive {
    std::int64_t vehicle_id = 0;
    VehicleLabel label;
    std::vector<DriveSample> points;
    std::optional<DriveSummary> summary;  // set when closed
    AttributionResult driver;
  };

  std::int64_t OpenDrive(std::int64_t vehicle_id, const VehicleLabel& label, const DriveSample& first) override {
    const auto key = next_key_++;
    drives[key] = {vehicle_id, label, {first}, std::nullopt, {}};
    return key;
  }
  void AddPoint(std::int64_t drive_key, const DriveSample& sample) override {
    if (fail_points) throw std::runtime_error("disk full");
    drives.at(drive_key).points.push_back(sample);
  }
  void DeleteDrive(std::int64_t drive_key) override { drives.erase(drive_key); }
  void CloseDrive(std::int64_t drive_key, const DriveSummary& summary, const AttributionResult& driver) override {
    auto& d = drives.at(drive_key);
    d.summary = summary;
    d.driver = driver;
  }
  void SaveParked(std::int64_t vehicle_id, const DriveSample& sample) override { parked[vehicle_id] = sample; }

  std::map<std::int64_t, Drive> drives;
  std::map<std::int64_t, DriveSample> parked;
  bool fail_points = false;

 private:
  std::int64_t next_key_ = 41;
};

// Alex drives kVehicle by default; Kim whenever a drive starts at work.
Attribution Household() {
  Driver alex{1, "Alex", std::nullopt, {kVehicle}, {}, {}};
  Driver kim{2, "Kim", std::nullopt, {}, {}, {{"Work", std::nullopt}}};
  return Attribution(local_time::Zone("UTC"), {alex, kim});
}

constexpr const char* kVin = "5YJ3E7EB0KF000001";

class DriveRecorderTest : public ::testing::Test {
 protected:
  std::vector<RecorderNote> Feed(const DriveSample& s) {
    return recorder_.OnSample(kVehicle, label_, s, s.time_ms, household_);
  }

  const VehicleLabel label_{kVin, "Blue"};
  MemoryDrives drives_;
  Attribution household_ = Household();
  DriveRecorder recorder_{DriveOptions{}, drives_};
};

TEST_F(DriveRecorderTest, ADriveIsStoredWithItsPathAndTheDriverTheRulesName) {
  Feed(At(0, "P", 0, "Home"));
  Feed(At(1, "D", 0, "Home"));
  Feed(At(5, "D", 3));
  const auto notes = Feed(At(10, "P", 6, "Shop"));

  ASSERT_EQ(drives_.drives.size(), 1u);
  const auto& [key, drive] = *drives_.drives.begin();
  EXPECT_EQ(key, 41);
  EXPECT_EQ(drive.label.vin, kVin);
  EXPECT_EQ(drive.label.display_name, "Blue");
  // The parked origin, the two driving samples and the park sample that ends it.
  EXPECT_EQ(drive.points.size(), 4u);
  ASSERT_TRUE(drive.summary);
  EXPECT_NEAR(drive.summary->distance_km, 6, 1e-9);
  EXPECT_EQ(drive.summary->end_place, "Shop");
  EXPECT_EQ(drive.driver, (AttributionResult{1, AttributionSource::kVehicleDefault}));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0].level, RecorderNote::Level::kInfo);
  EXPECT_EQ(notes[0].text,
            "vehicle " + std::to_string(kVehicle) + ": drive 41 finished, 6.0 km, driver 1 (vehicle_default)");
}

TEST_F(DriveRecorderTest, ADriveSeenLateKeepsTheSampleThatRevealedIt) {
  Feed(At(0, "P", 100, "Work"));
  auto seen = At(30, "D", 106);
  seen.speed_kmh = 48;
  Feed(seen);
  ASSERT_EQ(drives_.drives.size(), 1u);
  const auto& drive = drives_.drives.begin()->second;
  ASSERT_EQ(drive.points.size(), 2u) << "the parked origin, then the sample under way";
  EXPECT_EQ(drive.points[0].place, "Work");
  EXPECT_EQ(drive.points[1].time_ms, seen.time_ms);

  Feed(At(45, "P", 116, "Home"));
  EXPECT_EQ(drives_.drives.begin()->second.driver, (AttributionResult{2, AttributionSource::kPlaceRule}))
      << "the drive started at work, where the car was parked";
}

TEST_F(DriveRecorderTest, ATooShortDriveIsDeleted) {
  Feed(At(0, "P", 0));
  Feed(At(1, "D", 0.001));
  const auto notes = Feed(At(2, "P", 0.002));
  EXPECT_TRUE(drives_.drives.empty());
  EXPECT_TRUE(notes.empty());
}

TEST_F(DriveRecorderTest, OnlyParkedSamplesAreKeptAsTheNextDrivesOrigin) {
  Feed(At(0, "P", 0, "Home"));
  Feed(At(1, "D", 1));
  ASSERT_EQ(drives_.parked.count(kVehicle), 1u);
  EXPECT_EQ(drives_.parked[kVehicle].time_ms, kT0);
  Feed(At(5, "P", 3, "Shop"));
  EXPECT_EQ(drives_.parked[kVehicle].place, "Shop");
}

TEST_F(DriveRecorderTest, AFailedWriteIsReportedAndTheNextDecisionStillApplies) {
  Feed(At(0, "P", 0, "Home"));
  Feed(At(1, "D", 0));
  drives_.fail_points = true;
  const auto failed = Feed(At(5, "D", 3));
  ASSERT_EQ(failed.size(), 1u);
  EXPECT_EQ(failed[0].level, RecorderNote::Level::kError);
  EXPECT_EQ(failed[0].text, "vehicle " + std::to_string(kVehicle) + ": could not store drive 41: disk full");
  // The park sample's point fails too, but the drive is still closed.
  const auto closed = Feed(At(10, "P", 6));
  ASSERT_EQ(closed.size(), 2u);
  EXPECT_EQ(closed[0].level, RecorderNote::Level::kError);
  EXPECT_EQ(closed[1].level, RecorderNote::Level::kInfo);
  EXPECT_TRUE(drives_.drives.at(41).summary);
}

TEST_F(DriveRecorderTest, SleepAndSweepEndTheOpenDrive) {
  Feed(At(0, "D", 0));
  Feed(At(5, "D", 3));
  recorder_.OnState(kVehicle, label_, kT0 + 6 * kMinute, "asleep", household_);
  ASSERT_TRUE(drives_.drives.at(41).summary);

  Feed(At(10, "D", 3));
  Feed(At(15, "D", 6));
  EXPECT_TRUE(recorder_.Sweep(kT0 + 20 * kMinute, household_).empty()) << "not yet max_gap since the last sample";
  const auto notes = recorder_.Sweep(kT0 + 31 * kMinute, household_);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_TRUE(drives_.drives.at(42).summary);
}

TEST_F(DriveRecorderTest, AResumedDriveIsClosedUnderItsStoredKey) {
  EXPECT_FALSE(recorder_.ResumeDrive(kVehicle, 7, {}, kT0)) << "a drive without points cannot be resumed";
  drives_.drives[7] = {kVehicle, label_, {At(0, "D", 0), At(5, "D", 3)}, std::nullopt, {}};
  EXPECT_TRUE(recorder_.ResumeDrive(kVehicle, 7, drives_.drives[7].points, kT0 + 5 * kMinute));
  EXPECT_FALSE(recorder_.ResumeDrive(kVehicle, 8, {At(1, "D", 1)}, kT0))
      << "a car has one open drive; a second one found at start is dropped";
  Feed(At(10, "P", 6));
  EXPECT_TRUE(drives_.drives.at(7).summary);
  EXPECT_EQ(drives_.drives.size(), 1u);
}

}  // namespace
}  // namespace tessie::drivers
