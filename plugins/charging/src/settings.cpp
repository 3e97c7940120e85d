#include "settings.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <cctype>
#include <chrono>
#include <cmath>
#include <cstdio>

#include "tessie/local_time.hpp"

namespace tessie::charging {

namespace {

using Poco::Dynamic::Var;

bool IsMap(const Var& v) { return v.type() == typeid(Poco::JSON::Object::Ptr); }
bool IsList(const Var& v) { return v.type() == typeid(Poco::JSON::Array::Ptr); }

std::optional<double> Number(const Var& v) {
  if (v.isEmpty() || v.isString() || v.type() == typeid(bool) || !v.isNumeric()) return std::nullopt;
  const double d = v.convert<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

std::string Describe(const Var& v) {
  if (IsMap(v)) return "a map";
  if (IsList(v)) return "a list";
  if (v.isEmpty()) return "nothing";
  return "'" + v.toString() + "'";
}

std::string ClockText(int minute) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minute / 60, minute % 60);
  return buf;
}

std::string NonNegativePrice(const Var& v) {
  auto d = Number(v);
  return d && *d >= 0 ? "" : "must be a price per kWh (a number >= 0)";
}

std::vector<TouPeriod> ToPeriods(const Var& value) {
  std::vector<TouPeriod> out;
  auto list = value.extract<Poco::JSON::Array::Ptr>();
  for (std::size_t i = 0; i < list->size(); ++i) {
    auto item = list->get(static_cast<unsigned>(i)).extract<Poco::JSON::Object::Ptr>();
    TouPeriod p;
    p.from_min = *ParseClock(item->get("from").toString());
    p.to_min = *ParseClock(item->get("to").toString());
    p.price_per_kwh = *Number(item->get("price_per_kwh"));
    out.push_back(p);
  }
  return out;
}

// The first minute of the day no period covers, if any.
std::optional<int> Uncovered(const std::vector<TouPeriod>& periods) {
  for (int m = 0; m < 1440; ++m) {
    bool covered = false;
    for (const auto& p : periods) covered = covered || p.Contains(m);
    if (!covered) return m;
  }
  return std::nullopt;
}

}  // namespace

std::optional<int> ParseClock(const std::string& text) {
  if (text.size() != 5 || text[2] != ':') return std::nullopt;
  for (int i : {0, 1, 3, 4})
    if (!std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  const int h = (text[0] - '0') * 10 + (text[1] - '0');
  const int m = (text[3] - '0') * 10 + (text[4] - '0');
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  return h * 60 + m;
}

std::string ValidateTimeOfUse(const Var& value) {
  const std::string shape = "time_of_use must be a list of {from: \"HH:MM\", to: \"HH:MM\", price_per_kwh: number}";
  if (!IsList(value)) return shape + ", got " + Describe(value);
  auto list = value.extract<Poco::JSON::Array::Ptr>();
  std::vector<TouPeriod> periods;
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string where = "time_of_use item " + std::to_string(i + 1) + ": ";
    const Var item_var = list->get(static_cast<unsigned>(i));
    if (!IsMap(item_var)) return where + "expected a map with from, to and price_per_kwh, got " + Describe(item_var);
    auto item = item_var.extract<Poco::JSON::Object::Ptr>();
    for (const auto& [key, v] : *item) {
      if (key != "from" && key != "to" && key != "price_per_kwh") {
        std::string message = where;
        message += "unknown key '" + key + "' (use from, to and price_per_kwh)";
        return message;
      }
    }
    TouPeriod p;
    for (const char* key : {"from", "to"}) {
      if (!item->has(key) || item->isNull(key)) return where + "'" + key + "' is missing";
      const Var v = item->get(key);
      auto minute = v.isString() ? ParseClock(v.toString()) : std::nullopt;
      if (!minute || (std::string(key) == "from" && *minute == 1440))
        return where + "'" + key + "' must be a local time like \"22:00\" (HH:MM, 00:00 to 24:00, quoted), got " +
               Describe(v);
      (std::string(key) == "from" ? p.from_min : p.to_min) = *minute;
    }
    if (!item->has("price_per_kwh")) return where + "'price_per_kwh' is missing";
    if (!NonNegativePrice(item->get("price_per_kwh")).empty())
      return where + "'price_per_kwh' must be a number >= 0, got " + Describe(item->get("price_per_kwh"));
    p.price_per_kwh = *Number(item->get("price_per_kwh"));
    if (p.from_min == p.to_min)
      return where + "'from' and 'to' are equal; a period must have a length (use 00:00 to 24:00 for a whole day)";
    for (std::size_t j = 0; j < periods.size(); ++j) {
      for (int m = 0; m < 1440; ++m) {
        if (periods[j].Contains(m) && p.Contains(m))
          return "time_of_use items " + std::to_string(j + 1) + " and " + std::to_string(i + 1) + " overlap at " +
                 ClockText(m);
      }
    }
    periods.push_back(p);
  }
  return "";
}

std::string ValidatePlacePrices(const Var& value) {
  if (!IsMap(value)) return "places must be a map of place name to price per kWh, got " + Describe(value);
  auto map = value.extract<Poco::JSON::Object::Ptr>();
  for (const auto& [name, v] : *map) {
    if (!NonNegativePrice(v).empty())
      return "places." + name + " must be a price per kWh (a number >= 0), got " + Describe(v);
  }
  return "";
}

std::string ValidateCapacities(const Var& value) {
  if (!IsMap(value))
    return "battery_capacity_kwh must be a map of VIN to usable capacity in kWh, got " + Describe(value);
  auto map = value.extract<Poco::JSON::Object::Ptr>();
  for (const auto& [vin, v] : *map) {
    auto d = Number(v);
    if (!d || *d <= 0 || *d > 500)
      return "battery_capacity_kwh." + vin + " must be a capacity in kWh (a number between 0 and 500), got " +
             Describe(v);
  }
  return "";
}

sdk::ConfigSchema Schema() {
  auto positive = [](const Var& v) -> std::string {
    auto d = Number(v);
    return d && *d > 0 ? "" : "must be greater than 0";
  };
  return {
      sdk::ConfigField::Duration("session_gap",
                                 "data samples further apart than this are a gap (the car slept, was offline or not "
                                 "polled); longer than the vehicle plugin's charging_interval (15m)")
          .Default(std::chrono::minutes(30))
          .Validate([](const Var& v) -> std::string {
            return v.convert<Poco::Int64>() >= 60'000 ? "" : "must be at least 1m";
          }),
      sdk::ConfigField::String("currency", "ISO 4217 code of every price (EUR, USD, ...)")
          .Default("EUR")
          .Validate(sdk::checks::CurrencyCode),
      sdk::ConfigField::Double("price_per_kwh", "flat price per kWh of AC charging (and outside time_of_use periods)")
          .Validate(NonNegativePrice),
      sdk::ConfigField::Any("time_of_use",
                            "list of {from: \"HH:MM\", to: \"HH:MM\", price_per_kwh} in time_zone; periods may cross "
                            "midnight")
          .Validate(ValidateTimeOfUse),
      // Each item of time_of_use, checked by the host with its position in the file.
      sdk::ConfigField::String("time_of_use[].from", "local start time, \"HH:MM\" (00:00 to 23:59)")
          .Required()
          .Validate([](const Var& v) -> std::string {
            const auto minute = ParseClock(v.toString());
            return minute && *minute < 1440 ? "" : "must be a local time like \"22:00\" (HH:MM, 00:00 to 23:59)";
          }),
      sdk::ConfigField::String("time_of_use[].to", "local end time, \"HH:MM\" (00:01 to 24:00)")
          .Required()
          .Validate([](const Var& v) -> std::string {
            return ParseClock(v.toString()) ? "" : "must be a local time like \"06:00\" (HH:MM, 00:00 to 24:00)";
          }),
      sdk::ConfigField::Double("time_of_use[].price_per_kwh", "price per kWh in the period")
          .Required()
          .Validate(NonNegativePrice),
      sdk::ConfigField::String("time_zone", "IANA time zone of time_of_use periods, date parameters and monthly stats")
          .Default("UTC")
          .Validate([](const Var& v) -> std::string {
            return local_time::Zone::IsKnown(v.toString()) ? ""
                                                           : "unknown time zone (use an IANA name like Europe/Berlin)";
          }),
      sdk::ConfigField::Any("places", "map of place name (from the vehicle plugin) to price per kWh; overrides")
          .Validate(ValidatePlacePrices),
      sdk::ConfigField::Double("places.*", "price per kWh at that place").Validate(NonNegativePrice),
      sdk::ConfigField::Double("supercharger_price_per_kwh",
                               "price per kWh at Superchargers (absent: Supercharger sessions have no cost)")
          .Validate(NonNegativePrice),
      sdk::ConfigField::StringList("free_supercharging", "VINs that charge for free at Superchargers")
          .Default(Poco::JSON::Array::Ptr(new Poco::JSON::Array)),
      sdk::ConfigField::Any("battery_capacity_kwh",
                            "map of VIN to usable capacity in kWh, for charges missed while the car was unreachable")
          .Validate(ValidateCapacities),
      sdk::ConfigField::Double("battery_capacity_kwh.*", "usable capacity of that car in kWh")
          .Validate([](const Var& v) -> std::string {
            auto d = Number(v);
            return d && *d > 0 && *d <= 500 ? "" : "must be a capacity in kWh (a number between 0 and 500)";
          }),
      sdk::ConfigField::Double("wh_per_km", "battery energy per rated km, for missed charges when no capacity is known")
          .Default(150.0)
          .Validate(positive),
      sdk::ConfigField::Int("missed_charge_min_soc_gain",
                            "battery level points gained while unreachable before a missed charge is recorded")
          .Default(2)
          .Validate(
              [](const Var& v) -> std::string { return v.convert<Poco::Int64>() >= 1 ? "" : "must be at least 1"; }),
      // Keys checked together (the host hands this check the whole section, so --check-config reports it).
      sdk::ConfigField::Any("", "").Validate([](const Var& v) -> std::string {
        try {
          ReadSettings(sdk::ConfigSection(v.extract<Poco::JSON::Object::Ptr>()));
        } catch (const sdk::ConfigError& e) {
          return e.what();
        }
        return "";
      }),
  };
}

Settings ReadSettings(const sdk::ConfigSection& c) {
  Settings s;
  s.detector.gap_ms = c.GetDuration("session_gap").count();
  s.detector.wh_per_km = c.GetDouble("wh_per_km");
  s.detector.min_missed_soc_gain = static_cast<int>(c.GetInt("missed_charge_min_soc_gain"));
  if (c.Has("battery_capacity_kwh")) {
    auto map = c.GetRaw("battery_capacity_kwh").extract<Poco::JSON::Object::Ptr>();
    for (const auto& [vin, v] : *map) s.detector.capacity_kwh_by_vin[vin] = v.convert<double>();
  }
  TariffConfig& t = s.tariff;
  t.currency = c.GetString("currency");
  t.time_zone = c.GetString("time_zone");
  if (c.Has("price_per_kwh")) t.price_per_kwh = c.GetDouble("price_per_kwh");
  if (c.Has("supercharger_price_per_kwh")) t.supercharger_price_per_kwh = c.GetDouble("supercharger_price_per_kwh");
  if (c.Has("time_of_use")) t.time_of_use = ToPeriods(c.GetRaw("time_of_use"));
  if (c.Has("places")) {
    auto map = c.GetRaw("places").extract<Poco::JSON::Object::Ptr>();
    for (const auto& [name, v] : *map) t.place_prices[name] = v.convert<double>();
  }
  for (const auto& vin : c.GetStringList("free_supercharging")) t.free_supercharging_vins.insert(vin);
  if (!t.time_of_use.empty() && !t.price_per_kwh) {
    if (auto gap = Uncovered(t.time_of_use)) {
      throw sdk::ConfigError("time_of_use leaves " + ClockText(*gap) +
                             " without a period: add a period for the rest of the day or set price_per_kwh for "
                             "the hours between periods");
    }
  }
  return s;
}

}  // namespace tessie::charging
