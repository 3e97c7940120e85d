#include "settings.hpp"

#include <Poco/JSON/Array.h>

#include <cctype>
#include <cmath>

#include "tessie/local_time.hpp"

namespace tessie::solar {

namespace {

using Poco::Dynamic::Var;

std::string Price(const Var& v) {
  if (v.isEmpty() || v.isString() || v.type() == typeid(bool) || !v.isNumeric())
    return "must be a price per kWh (a number >= 0)";
  const double d = v.convert<double>();
  return std::isfinite(d) && d >= 0 ? "" : "must be a price per kWh (a number >= 0)";
}

}  // namespace

sdk::ConfigSchema Schema() {
  Poco::JSON::Array::Ptr home(new Poco::JSON::Array);
  home->add(std::string("Home"));
  return {
      sdk::ConfigField::Int("site_id",
                            "energy site whose wall connector charges the cars at home (absent: the only site the "
                            "powerwall plugin reports)")
          .Validate([](const Var& v) -> std::string {
            return v.convert<Poco::Int64>() > 0 ? "" : "must be an energy site id";
          }),
      sdk::ConfigField::StringList("home_places",
                                   "place names (as the vehicle plugin names them) where a charging session counts "
                                   "as charged at home")
          .Default(home)
          .Validate([](const Var& v) -> std::string {
            if (v.type() != typeid(Poco::JSON::Array::Ptr)) return "";
            auto list = v.extract<Poco::JSON::Array::Ptr>();
            for (std::size_t i = 0; i < list->size(); ++i) {
              if (list->getElement<std::string>(static_cast<unsigned>(i)).empty())
                return "must not contain an empty place name (use unknown_place_is_home for sessions without a place)";
            }
            return "";
          }),
      sdk::ConfigField::Bool("unknown_place_is_home",
                             "AC sessions without a place count as at home (only while there is a single energy site)")
          .Default(false),
      sdk::ConfigField::Bool("battery_counts_as_solar",
                             "energy the home battery discharges while a car charges counts as solar")
          .Default(true),
      sdk::ConfigField::Double("grid_price_per_kwh",
                               "price of grid energy per kWh (absent: no money_saved and no solar-aware session cost)")
          .Validate(Price),
      sdk::ConfigField::Double("feed_in_price_per_kwh", "what exported energy earns per kWh")
          .Default(0.0)
          .Validate(Price),
      sdk::ConfigField::String("currency", "ISO 4217 code of the prices (EUR, USD, ...)")
          .Default("EUR")
          .Validate(sdk::checks::CurrencyCode),
      sdk::ConfigField::String("time_zone",
                               "IANA time zone of the stats' local days (absent: the site's installation_time_zone, "
                               "else UTC)")
          .Validate([](const Var& v) -> std::string {
            return local_time::Zone::IsKnown(v.toString()) ? ""
                                                           : "unknown time zone (use an IANA name like Europe/Berlin)";
          }),
  };
}

Settings ReadSettings(const sdk::ConfigSection& c) {
  Settings s;
  if (c.Has("site_id")) s.share.site_id = c.GetInt("site_id");
  s.share.home.home_places = c.GetStringList("home_places");
  s.share.home.unknown_place_is_home = c.GetBool("unknown_place_is_home");
  s.share.share.battery_counts_as_solar = c.GetBool("battery_counts_as_solar");
  if (c.Has("grid_price_per_kwh")) s.share.prices.grid_per_kwh = c.GetDouble("grid_price_per_kwh");
  s.share.prices.feed_in_per_kwh = c.GetDouble("feed_in_price_per_kwh");
  s.share.prices.currency = c.GetString("currency");
  if (c.Has("time_zone")) s.time_zone = c.GetString("time_zone");
  return s;
}

}  // namespace tessie::solar
