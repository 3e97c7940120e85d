#include "settings.hpp"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

namespace tessie::solar {
namespace {

// A section as the host hands it over: the given values, defaults for the rest (after validation).
sdk::ConfigSection Section(const std::map<std::string, Poco::Dynamic::Var>& values) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  for (const auto& field : Schema()) {
    auto it = values.find(field.key);
    if (it != values.end()) {
      EXPECT_EQ(field.validate ? field.validate(it->second) : "", "") << field.key;
      o->set(field.key, it->second);
    } else if (!field.default_value.isEmpty()) {
      o->set(field.key, field.default_value);
    }
  }
  return sdk::ConfigSection(o);
}

std::string Problem(const std::string& key, const Poco::Dynamic::Var& value) {
  for (const auto& field : Schema())
    if (field.key == key) return field.validate ? field.validate(value) : "";
  return "no such key";
}

TEST(SettingsTest, Defaults) {
  const Settings s = ReadSettings(Section({}));
  EXPECT_EQ(s.share.home.home_places, std::vector<std::string>{"Home"});
  EXPECT_FALSE(s.share.home.unknown_place_is_home);
  EXPECT_TRUE(s.share.share.battery_counts_as_solar);
  EXPECT_FALSE(s.share.prices.grid_per_kwh);
  EXPECT_EQ(s.share.prices.feed_in_per_kwh, 0);
  EXPECT_EQ(s.share.prices.currency, "EUR");
  EXPECT_FALSE(s.share.site_id);
  EXPECT_FALSE(s.time_zone);
}

TEST(SettingsTest, ReadsEveryKey) {
  Poco::JSON::Array::Ptr places = new Poco::JSON::Array;
  places->add(std::string("Home"));
  places->add(std::string("Cottage"));
  const Settings s = ReadSettings(Section({{"site_id", Poco::Int64(1689047239870291)},
                                           {"home_places", places},
                                           {"unknown_place_is_home", true},
                                           {"battery_counts_as_solar", false},
                                           {"grid_price_per_kwh", 0.32},
                                           {"feed_in_price_per_kwh", 0.08},
                                           {"currency", std::string("USD")},
                                           {"time_zone", std::string("America/Los_Angeles")}}));
  EXPECT_EQ(s.share.site_id, 1689047239870291);
  EXPECT_EQ(s.share.home.home_places, (std::vector<std::string>{"Home", "Cottage"}));
  EXPECT_TRUE(s.share.home.unknown_place_is_home);
  EXPECT_FALSE(s.share.share.battery_counts_as_solar);
  EXPECT_EQ(s.share.prices.grid_per_kwh, 0.32);
  EXPECT_EQ(s.share.prices.feed_in_per_kwh, 0.08);
  EXPECT_EQ(s.share.prices.currency, "USD");
  EXPECT_EQ(s.time_zone, "America/Los_Angeles");
}

TEST(SettingsTest, ValidatorsSayWhatIsWrong) {
  EXPECT_NE(Problem("grid_price_per_kwh", -0.1), "");
  EXPECT_NE(Problem("feed_in_price_per_kwh", std::string("cheap")), "");
  EXPECT_NE(Problem("currency", std::string("euro")), "");
  EXPECT_NE(Problem("time_zone", std::string("Mars/Olympus")), "");
  EXPECT_NE(Problem("site_id", Poco::Int64(0)), "");
  Poco::JSON::Array::Ptr empty_name = new Poco::JSON::Array;
  empty_name->add(std::string(""));
  EXPECT_NE(Problem("home_places", empty_name), "");
  EXPECT_EQ(Problem("time_zone", std::string("Europe/Berlin")), "");
}

}  // namespace
}  // namespace tessie::solar
