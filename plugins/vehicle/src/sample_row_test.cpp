#include "sample_row.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace tessie::vehicle {
namespace {

std::size_t ColumnCount() {
  std::stringstream ss(kSampleColumns);
  std::size_t n = 0;
  for (std::string column; std::getline(ss, column, ',');) ++n;
  return n;
}

TEST(SampleRow, EveryColumnGetsOneValue) {
  EXPECT_EQ(ColumnCount(), kSampleColumnCount);
  EXPECT_EQ(SampleValues(sdk::VehicleData{}, "").size(), kSampleColumnCount);
}

TEST(SampleRow, WhatTheCarDidNotReportIsNull) {
  const auto values = SampleValues(sdk::VehicleData{}, "");
  for (std::size_t i = 0; i + 2 < values.size(); ++i) {
    EXPECT_TRUE(std::holds_alternative<std::monostate>(values[i])) << "column " << i;
  }
  EXPECT_EQ(std::get<std::string>(values[kSampleColumnCount - 2]), "");  // place: none
  EXPECT_TRUE(std::holds_alternative<std::monostate>(values.back()));    // no raw response
}

TEST(SampleRow, ValuesLandInTheirColumns) {
  sdk::VehicleData d;
  d.odometer_km = 12345.6;
  d.battery_level = 80;
  d.charging_state = "Charging";
  d.heading = 270;
  d.locked = true;
  d.sentry_mode = false;
  d.active_route_destination = "Work";
  d.raw_json = R"({"response":{}})";
  const auto v = SampleValues(d, "Home");
  EXPECT_EQ(std::get<double>(v[0]), 12345.6);
  EXPECT_EQ(std::get<std::int64_t>(v[1]), 80);
  EXPECT_EQ(std::get<std::string>(v[5]), "Charging");
  EXPECT_EQ(std::get<std::int64_t>(v[13]), 270);
  EXPECT_EQ(std::get<std::int64_t>(v[18]), 1);  // locked: booleans as 0/1
  EXPECT_EQ(std::get<std::int64_t>(v[19]), 0);
  EXPECT_EQ(std::get<std::string>(v[23]), "Work");
  EXPECT_EQ(std::get<std::string>(v[24]), "Home");
  EXPECT_EQ(std::get<std::string>(v[25]), R"({"response":{}})");
}

TEST(SampleRow, TheCarsTimestampWinsOverThePollsTime) {
  sdk::VehicleData d;
  EXPECT_EQ(SampleTimestampMs(d, 5000), 5000);
  d.timestamp_ms = 4000;
  EXPECT_EQ(SampleTimestampMs(d, 5000), 4000);
}

}  // namespace
}  // namespace tessie::vehicle
