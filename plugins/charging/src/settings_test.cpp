#include "settings.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace tessie::charging {
namespace {

Poco::Dynamic::Var Json(const std::string& text) { return Poco::JSON::Parser().parse(text); }

// A section as the host hands it over: the given keys, defaults for the rest.
sdk::ConfigSection Section(const std::string& json) {
  auto values = Json(json).extract<Poco::JSON::Object::Ptr>();
  for (const auto& field : Schema()) {
    if (!values->has(field.key) && !field.default_value.isEmpty()) values->set(field.key, field.default_value);
  }
  return sdk::ConfigSection(values);
}

TEST(Settings, DefaultsAreUsable) {
  const auto s = ReadSettings(Section("{}"));
  EXPECT_EQ(s.detector.gap_ms, 30 * 60 * 1000);
  EXPECT_EQ(s.tariff.currency, "EUR");
  EXPECT_EQ(s.tariff.time_zone, "UTC");
  EXPECT_FALSE(s.tariff.price_per_kwh);
  Tariff tariff(s.tariff);  // constructs without throwing
}

TEST(Settings, ReadsATariff) {
  const auto s = ReadSettings(Section(R"({
    "currency": "CHF", "time_zone": "Europe/Zurich", "price_per_kwh": 0.3,
    "time_of_use": [{"from": "22:00", "to": "06:00", "price_per_kwh": 0.1}],
    "places": {"Work": 0}, "supercharger_price_per_kwh": 0.5, "free_supercharging": ["VIN1"],
    "battery_capacity_kwh": {"VIN1": 75}, "session_gap": 1800000})"));
  EXPECT_EQ(s.tariff.currency, "CHF");
  ASSERT_EQ(s.tariff.time_of_use.size(), 1u);
  EXPECT_EQ(s.tariff.time_of_use[0].from_min, 22 * 60);
  EXPECT_EQ(s.tariff.time_of_use[0].to_min, 6 * 60);
  EXPECT_DOUBLE_EQ(s.tariff.place_prices.at("Work"), 0);
  EXPECT_TRUE(s.tariff.free_supercharging_vins.count("VIN1"));
  EXPECT_DOUBLE_EQ(*s.tariff.supercharger_price_per_kwh, 0.5);
  EXPECT_DOUBLE_EQ(s.detector.capacity_kwh_by_vin.at("VIN1"), 75);
  EXPECT_EQ(s.detector.gap_ms, 30 * 60 * 1000);
}

TEST(Settings, TimeOfUseWithUncoveredHoursNeedsAFlatPrice) {
  try {
    ReadSettings(Section(R"({"time_of_use": [{"from": "22:00", "to": "06:00", "price_per_kwh": 0.1}]})"));
    FAIL() << "expected a config error";
  } catch (const sdk::ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("06:00"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("price_per_kwh"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(ReadSettings(Section(R"({"time_of_use": [
      {"from": "22:00", "to": "06:00", "price_per_kwh": 0.1},
      {"from": "06:00", "to": "22:00", "price_per_kwh": 0.3}]})")));
}

TEST(Settings, MalformedTimeOfUseIsNamed) {
  EXPECT_EQ(ValidateTimeOfUse(Json(R"([{"from": "22:00", "to": "06:00", "price_per_kwh": 0.1}])")), "");
  EXPECT_NE(ValidateTimeOfUse(Json(R"({"from": "22:00"})")).find("must be a list"), std::string::npos);
  EXPECT_NE(ValidateTimeOfUse(Json(R"([{"from": "22:00", "price_per_kwh": 0.1}])")).find("item 1: 'to' is missing"),
            std::string::npos);
  EXPECT_NE(ValidateTimeOfUse(Json(R"([{"from": "7", "to": "09:00", "price_per_kwh": 0.1}])"))
                .find("'from' must be a local time like \"22:00\""),
            std::string::npos);
  EXPECT_NE(ValidateTimeOfUse(Json(R"([{"from": "25:00", "to": "09:00", "price_per_kwh": 0.1}])")).find("'from'"),
            std::string::npos);
  EXPECT_NE(ValidateTimeOfUse(Json(R"([{"from": "07:00", "to": "09:00", "price_per_kwh": -1}])"))
                .find("'price_per_kwh' must be a number >= 0"),
            std::string::npos);
  EXPECT_NE(ValidateTimeOfUse(Json(R"([{"from": "07:00", "to": "09:00", "price": 1}])")).find("unknown key 'price'"),
            std::string::npos);
  EXPECT_NE(ValidateTimeOfUse(Json(R"([{"from": "07:00", "to": "07:00", "price_per_kwh": 1}])")).find("equal"),
            std::string::npos);
  EXPECT_EQ(ValidateTimeOfUse(Json(R"([{"from": "22:00", "to": "06:00", "price_per_kwh": 0.1},
                                       {"from": "05:00", "to": "09:00", "price_per_kwh": 0.2}])")),
            "time_of_use items 1 and 2 overlap at 05:00");
}

TEST(Settings, MalformedPlacesAndCapacitiesAreNamed) {
  EXPECT_EQ(ValidatePlacePrices(Json(R"({"Home": 0.25, "Work": 0})")), "");
  EXPECT_EQ(ValidatePlacePrices(Json(R"({"Home": "cheap"})")),
            "places.Home must be a price per kWh (a number >= 0), got 'cheap'");
  EXPECT_NE(ValidatePlacePrices(Json(R"(["Home"])")).find("must be a map"), std::string::npos);
  EXPECT_NE(ValidateCapacities(Json(R"({"VIN1": -3})")).find("battery_capacity_kwh.VIN1"), std::string::npos);
}

TEST(Settings, SchemaChecksTimeZoneAndCurrency) {
  const auto schema = Schema();
  auto field = [&](const std::string& key) {
    for (const auto& f : schema)
      if (f.key == key) return f;
    throw std::logic_error("no field " + key);
  };
  EXPECT_EQ(field("time_zone").validate(std::string("Europe/Berlin")), "");
  EXPECT_NE(field("time_zone").validate(std::string("Mars/Olympus")), "");
  EXPECT_EQ(field("currency").validate(std::string("USD")), "");
  EXPECT_NE(field("currency").validate(std::string("euro")), "");
}

}  // namespace
}  // namespace tessie::charging
