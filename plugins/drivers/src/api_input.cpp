#include "api_input.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <set>

namespace tessie::plugins::drivers {

namespace {

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int Digits(std::string_view s) {
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

// JSON integers only: not strings, not booleans (Poco reports bool as an integer), not fractions.
bool IsWholeNumber(const Poco::Dynamic::Var& value) {
  return !value.isEmpty() && value.isInteger() && !value.isString() && !value.isBoolean();
}

std::int64_t JsonId(const Poco::Dynamic::Var& value, const std::string& what) {
  if (!IsWholeNumber(value)) throw InputError(what + " must be a whole number (a vehicle's or driver's id)");
  const auto id = value.convert<Poco::Int64>();
  if (id <= 0) throw InputError(what + " must be a positive id");
  return id;
}

std::string JsonString(const Poco::Dynamic::Var& value, const std::string& what) {
  if (value.isEmpty() || !value.isString()) throw InputError(what + " must be a string");
  return value.convert<std::string>();
}

void RejectUnknownKeys(const Poco::JSON::Object& o, const std::set<std::string>& known, const std::string& where) {
  for (const auto& [key, value] : o) {
    if (!known.count(key)) {
      std::string message = "unknown key '";
      message += key;
      message += "' in ";
      message += where;
      message += " (expected ";
      bool first = true;
      for (const auto& k : known) {
        message += first ? "" : ", ";
        message += k;
        first = false;
      }
      throw InputError(message + ")");
    }
  }
}

Poco::JSON::Array::Ptr ArrayOf(const Poco::JSON::Object& o, const std::string& key, const std::string& what) {
  if (!o.has(key) || o.isNull(key)) return nullptr;
  if (!o.isArray(key)) throw InputError(what + " must be an array");
  return o.getArray(key);
}

void ParseRule(const Poco::JSON::Object& r, const std::string& where, Driver& driver) {
  std::optional<std::int64_t> vehicle_id;
  if (r.has("vehicle_id") && !r.isNull("vehicle_id")) vehicle_id = JsonId(r.get("vehicle_id"), where + ".vehicle_id");
  const bool is_place = r.has("start_place");
  const bool is_time = r.has("from") || r.has("to") || r.has("weekdays");
  if (is_place && is_time)
    throw InputError(where + " mixes 'start_place' with 'from'/'to'/'weekdays': use one rule for each");
  if (is_place) {
    RejectUnknownKeys(r, {"start_place", "vehicle_id"}, where);
    PlaceRule rule{JsonString(r.get("start_place"), where + ".start_place"), vehicle_id};
    if (rule.start_place.empty()) throw InputError(where + ".start_place must not be empty");
    driver.place_rules.push_back(std::move(rule));
    return;
  }
  if (!is_time) throw InputError(where + " needs either 'start_place' or 'from' and 'to' (with optional 'weekdays')");
  RejectUnknownKeys(r, {"weekdays", "from", "to", "vehicle_id"}, where);
  if (!r.has("from") || !r.has("to")) throw InputError(where + " needs both 'from' and 'to' (\"HH:MM\")");
  TimeRule rule;
  rule.vehicle_id = vehicle_id;
  rule.from_min = ParseClock(JsonString(r.get("from"), where + ".from"), false);
  rule.to_min = ParseClock(JsonString(r.get("to"), where + ".to"), true);
  if (rule.from_min == rule.to_min)
    throw InputError(where + ": 'from' and 'to' are equal; for a whole day use \"00:00\" to \"24:00\"");
  if (auto days = ArrayOf(r, "weekdays", where + ".weekdays")) {
    std::set<int> seen;
    for (std::size_t i = 0; i < days->size(); ++i) {
      const auto v = days->get(static_cast<unsigned>(i));
      if (!IsWholeNumber(v) || v.convert<Poco::Int64>() < 1 || v.convert<Poco::Int64>() > 7)
        throw InputError(where + ".weekdays must hold numbers 1..7 (1 = Monday, 7 = Sunday)");
      seen.insert(v.convert<int>());
    }
    rule.weekdays.assign(seen.begin(), seen.end());
  }
  driver.time_rules.push_back(std::move(rule));
}

}  // namespace

int ParseClock(const std::string& text, bool allow_end_of_day) {
  const std::string_view s(text);
  if (s.size() != 5 || s[2] != ':' || !IsDigits(s.substr(0, 2)) || !IsDigits(s.substr(3, 2)))
    throw InputError("'" + text + "' is not a time of day: use \"HH:MM\", e.g. \"07:30\"");
  const int h = Digits(s.substr(0, 2));
  const int m = Digits(s.substr(3, 2));
  if (allow_end_of_day && h == 24 && m == 0) return 24 * 60;
  if (h > 23 || m > 59)
    throw InputError("'" + text + "' is not a time of day: hours 00..23, minutes 00..59" +
                     (allow_end_of_day ? std::string(" (or 24:00 for the end of the day)") : std::string()));
  return h * 60 + m;
}

std::string FormatClock(int minutes) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", minutes / 60, minutes % 60);
  return buf;
}

Driver ParseDriverBody(const Poco::JSON::Object& body) {
  RejectUnknownKeys(body, {"name", "profile_id", "default_for_vehicles", "rules"}, "the driver");
  Driver d;
  if (!body.has("name")) throw InputError("'name' is required: the driver's name, e.g. \"Alex\"");
  d.name = JsonString(body.get("name"), "'name'");
  if (d.name.empty() || d.name.size() > 100) throw InputError("'name' must be 1 to 100 characters");
  if (body.has("profile_id") && !body.isNull("profile_id")) {
    d.profile_id = JsonString(body.get("profile_id"), "'profile_id'");
    if (d.profile_id->size() > 50) throw InputError("'profile_id' must be at most 50 characters");
  }
  if (auto vehicles = ArrayOf(body, "default_for_vehicles", "'default_for_vehicles'")) {
    for (std::size_t i = 0; i < vehicles->size(); ++i) {
      const auto id =
          JsonId(vehicles->get(static_cast<unsigned>(i)), "default_for_vehicles[" + std::to_string(i) + "]");
      if (std::find(d.default_for_vehicles.begin(), d.default_for_vehicles.end(), id) == d.default_for_vehicles.end())
        d.default_for_vehicles.push_back(id);
    }
  }
  if (auto rules = ArrayOf(body, "rules", "'rules'")) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      const std::string where = "rules[" + std::to_string(i) + "]";
      auto rule = rules->getObject(static_cast<unsigned>(i));
      if (!rule) throw InputError(where + " must be an object");
      ParseRule(*rule, where, d);
    }
  }
  return d;
}

DriveAssignment ParseDriveAssignment(const Poco::JSON::Object& body) {
  RejectUnknownKeys(body, {"driver_id", "automatic"}, "the assignment");
  DriveAssignment a;
  if (body.has("automatic")) {
    const auto v = body.get("automatic");
    if (v.type() != typeid(bool) || !v.extract<bool>())
      throw InputError("'automatic' can only be true (let the rules choose the driver again)");
    if (body.has("driver_id")) throw InputError("give either 'driver_id' or 'automatic', not both");
    a.automatic = true;
    return a;
  }
  if (!body.has("driver_id"))
    throw InputError(
        "'driver_id' is required: a driver's id, or null for no driver ({\"automatic\": true} "
        "hands the drive back to the rules)");
  if (!body.isNull("driver_id")) a.driver_id = JsonId(body.get("driver_id"), "'driver_id'");
  return a;
}

std::int64_t ParseId(const std::string& text, const std::string& what) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!IsDigits(text) || ec != std::errc() || end != text.data() + text.size() || v <= 0)
    throw InputError(what + " must be a positive whole number, got '" + text + "'");
  return v;
}

std::int64_t ParseBoundedInt(const std::string& text, const std::string& what, std::int64_t min, std::int64_t max) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (!IsDigits(text) || ec != std::errc() || end != text.data() + text.size() || v < min || v > max)
    throw InputError(what + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max) +
                     ", got '" + text + "'");
  return v;
}

std::int64_t ParseTime(const std::string& text, const std::string& what, const TimeZone& zone) {
  const auto bad = [&] {
    return InputError(what + " '" + text +
                      "' is not a time: use \"2024-03-01T07:00:00Z\", an offset like \"+01:00\" instead of Z, "
                      "or a date \"2024-03-01\" (local midnight in " +
                      zone.Name() + ")");
  };
  const std::string_view s(text);
  if (s.size() < 10 || !IsDigits(s.substr(0, 4)) || s[4] != '-' || !IsDigits(s.substr(5, 2)) || s[7] != '-' ||
      !IsDigits(s.substr(8, 2)))
    throw bad();
  const int year = Digits(s.substr(0, 4));
  const int month = Digits(s.substr(5, 2));
  const int day = Digits(s.substr(8, 2));
  const std::chrono::year_month_day ymd{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                        std::chrono::day(static_cast<unsigned>(day))};
  if (!ymd.ok()) throw bad();
  if (s.size() == 10) return zone.StartOfDayMs({year, month, day});

  if ((s[10] != 'T' && s[10] != 't' && s[10] != ' ') || s.size() < 17 || !IsDigits(s.substr(11, 2)) || s[13] != ':' ||
      !IsDigits(s.substr(14, 2)))
    throw bad();
  const int hour = Digits(s.substr(11, 2));
  const int minute = Digits(s.substr(14, 2));
  int second = 0;
  std::int64_t millis = 0;
  std::size_t i = 16;
  if (i < s.size() && s[i] == ':') {
    if (s.size() < i + 3 || !IsDigits(s.substr(i + 1, 2))) throw bad();
    second = Digits(s.substr(i + 1, 2));
    i += 3;
    if (i < s.size() && s[i] == '.') {
      std::size_t j = i + 1;
      std::int64_t scale = 100;
      while (j < s.size() && s[j] >= '0' && s[j] <= '9') {
        millis += (s[j] - '0') * scale;
        scale /= 10;
        ++j;
      }
      if (j == i + 1) throw bad();
      i = j;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) throw bad();
  std::int64_t offset_min = 0;
  if (i < s.size() && (s[i] == 'Z' || s[i] == 'z') && i + 1 == s.size()) {
    offset_min = 0;
  } else if (i < s.size() && (s[i] == '+' || s[i] == '-') && s.size() == i + 6 && IsDigits(s.substr(i + 1, 2)) &&
             s[i + 3] == ':' && IsDigits(s.substr(i + 4, 2))) {
    offset_min = Digits(s.substr(i + 1, 2)) * 60 + Digits(s.substr(i + 4, 2));
    if (s[i] == '-') offset_min = -offset_min;
  } else {
    throw bad();
  }
  const auto days = std::chrono::sys_days(ymd).time_since_epoch().count();
  return ((static_cast<std::int64_t>(days) * 24 + hour) * 60 + minute - offset_min) * 60000 + second * 1000LL + millis;
}

std::string FormatIsoUtc(std::int64_t utc_ms) {
  const std::int64_t day_ms = 24LL * 3600 * 1000;
  std::int64_t days = utc_ms / day_ms;
  std::int64_t rest = utc_ms % day_ms;
  if (rest < 0) {
    rest += day_ms;
    --days;
  }
  const std::chrono::year_month_day ymd{std::chrono::sys_days(std::chrono::days(days))};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), static_cast<int>(rest / 3600000),
                static_cast<int>(rest / 60000 % 60), static_cast<int>(rest / 1000 % 60), static_cast<int>(rest % 1000));
  return buf;
}

Poco::JSON::Object::Ptr DriverToJson(const Driver& driver) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
  o->set("id", driver.id);
  o->set("name", driver.name);
  o->set("profile_id", driver.profile_id ? Poco::Dynamic::Var(*driver.profile_id) : Poco::Dynamic::Var());
  Poco::JSON::Array::Ptr vehicles = new Poco::JSON::Array;
  for (auto v : driver.default_for_vehicles) vehicles->add(v);
  o->set("default_for_vehicles", vehicles);
  Poco::JSON::Array::Ptr rules = new Poco::JSON::Array;
  for (const auto& r : driver.time_rules) {
    Poco::JSON::Object::Ptr rule = new Poco::JSON::Object;
    Poco::JSON::Array::Ptr days = new Poco::JSON::Array;
    for (int d : r.weekdays) days->add(d);
    rule->set("weekdays", days);
    rule->set("from", FormatClock(r.from_min));
    rule->set("to", FormatClock(r.to_min));
    rule->set("vehicle_id", r.vehicle_id ? Poco::Dynamic::Var(*r.vehicle_id) : Poco::Dynamic::Var());
    rules->add(rule);
  }
  for (const auto& r : driver.place_rules) {
    Poco::JSON::Object::Ptr rule = new Poco::JSON::Object;
    rule->set("start_place", r.start_place);
    rule->set("vehicle_id", r.vehicle_id ? Poco::Dynamic::Var(*r.vehicle_id) : Poco::Dynamic::Var());
    rules->add(rule);
  }
  o->set("rules", rules);
  return o;
}

}  // namespace tessie::plugins::drivers
