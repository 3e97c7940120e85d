#include "api_input.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <limits>
#include <set>
#include <string_view>

#include "tessie/sdk/query.hpp"

namespace tessie::drivers {

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

// A string a person typed: valid UTF-8, no control characters, not blank, at most `max_chars` characters.
std::string JsonText(const Poco::Dynamic::Var& value, const std::string& what, std::size_t max_chars) {
  std::string text = JsonString(value, what);
  const auto chars = CountTextCharacters(text);
  if (!chars) {
    throw InputError(what + " must be text without control characters (no NUL, escape, tab or line breaks) " +
                     "in valid UTF-8");
  }
  if (*chars == 0 || *chars > max_chars || IsBlank(text)) {
    throw InputError(what + " must be 1 to " + std::to_string(max_chars) + " characters, not only spaces");
  }
  return text;
}

// At most `max` entries: a body is a person's settings, not a bulk import.
void CheckListSize(const Poco::JSON::Array& list, std::size_t max, const std::string& what) {
  if (list.size() > max) {
    throw InputError(what + " has " + std::to_string(list.size()) + " entries; at most " + std::to_string(max) +
                     " are allowed");
  }
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
    if (JsonString(r.get("start_place"), where + ".start_place").empty())
      throw InputError(where + ".start_place must not be empty");
    PlaceRule rule{JsonText(r.get("start_place"), where + ".start_place", kMaxPlaceChars), vehicle_id};
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
    CheckListSize(*days, 7, where + ".weekdays");
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

std::optional<std::size_t> CountTextCharacters(std::string_view text) {
  std::size_t chars = 0;
  for (std::size_t i = 0; i < text.size(); ++chars) {
    const auto b = static_cast<unsigned char>(text[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (b < 0x80) {
      cp = b;
      len = 1;
    } else if (b >= 0xC2 && b <= 0xDF) {
      cp = b & 0x1F;
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      cp = b & 0x0F;
      len = 3;
    } else if (b >= 0xF0 && b <= 0xF4) {
      cp = b & 0x07;
      len = 4;
    } else {
      return std::nullopt;  // a continuation byte first, an overlong lead (C0, C1) or beyond U+10FFFF
    }
    if (i + len > text.size()) return std::nullopt;
    for (std::size_t k = 1; k < len; ++k) {
      const auto c = static_cast<unsigned char>(text[i + k]);
      if ((c & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
      return std::nullopt;  // overlong, out of range, or a UTF-16 surrogate
    // C0 and C1 controls, DEL, the line and paragraph separators, and the bidirectional overrides and isolates
    // (they reorder what follows them on screen).
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
        (cp >= 0x2066 && cp <= 0x2069))
      return std::nullopt;
    i += len;
  }
  return chars;
}

std::string TrimName(std::string_view name) {
  const auto space_at_front = [&] {
    if (!name.empty() && (name.front() == ' ' || name.front() == '\t')) return std::size_t{1};
    if (name.size() >= 2 && name.substr(0, 2) == "\xC2\xA0") return std::size_t{2};
    return std::size_t{0};
  };
  const auto space_at_back = [&] {
    if (!name.empty() && (name.back() == ' ' || name.back() == '\t')) return std::size_t{1};
    if (name.size() >= 2 && name.substr(name.size() - 2) == "\xC2\xA0") return std::size_t{2};
    return std::size_t{0};
  };
  for (auto n = space_at_front(); n > 0; n = space_at_front()) name.remove_prefix(n);
  for (auto n = space_at_back(); n > 0; n = space_at_back()) name.remove_suffix(n);
  return std::string(name);
}

std::string NameKey(std::string_view name) {
  std::string key = TrimName(name);
  for (auto& c : key)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return key;
}

bool IsBlank(std::string_view text) {
  // Spaces: ASCII, no-break (U+00A0), the U+2000..U+200B family, ideographic (U+3000) and the BOM (U+FEFF).
  static const std::string_view kSpaces[] = {" ",
                                             "\xC2\xA0",
                                             "\xE3\x80\x80",
                                             "\xEF\xBB\xBF",
                                             "\xE2\x80\x80",
                                             "\xE2\x80\x81",
                                             "\xE2\x80\x82",
                                             "\xE2\x80\x83",
                                             "\xE2\x80\x84",
                                             "\xE2\x80\x85",
                                             "\xE2\x80\x86",
                                             "\xE2\x80\x87",
                                             "\xE2\x80\x88",
                                             "\xE2\x80\x89",
                                             "\xE2\x80\x8A",
                                             "\xE2\x80\x8B",
                                             "\xE2\x80\xAF",
                                             "\xE2\x81\x9F"};
  std::size_t i = 0;
  while (i < text.size()) {
    bool matched = false;
    for (const auto space : kSpaces) {
      if (text.substr(i, space.size()) == space) {
        i += space.size();
        matched = true;
        break;
      }
    }
    if (!matched) return false;
  }
  return true;
}

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
  d.name = TrimName(JsonText(body.get("name"), "'name'", kMaxNameChars));
  if (body.has("profile_id") && !body.isNull("profile_id")) {
    d.profile_id = JsonText(body.get("profile_id"), "'profile_id'", kMaxProfileIdChars);
  }
  if (auto vehicles = ArrayOf(body, "default_for_vehicles", "'default_for_vehicles'")) {
    CheckListSize(*vehicles, kMaxListEntries, "'default_for_vehicles'");
    for (std::size_t i = 0; i < vehicles->size(); ++i) {
      const auto id =
          JsonId(vehicles->get(static_cast<unsigned>(i)), "default_for_vehicles[" + std::to_string(i) + "]");
      if (std::find(d.default_for_vehicles.begin(), d.default_for_vehicles.end(), id) == d.default_for_vehicles.end())
        d.default_for_vehicles.push_back(id);
    }
  }
  if (auto rules = ArrayOf(body, "rules", "'rules'")) {
    CheckListSize(*rules, kMaxRules, "'rules'");
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
  const auto v = sdk::query::ParseInt(text, 1, std::numeric_limits<std::int64_t>::max());
  if (!v || text[0] == '-') throw InputError(what + " must be a positive whole number, got '" + text + "'");
  return *v;
}

std::int64_t ParseBoundedInt(const std::string& text, const std::string& what, std::int64_t min, std::int64_t max) {
  const auto v = sdk::query::ParseInt(text, min, max);
  if (!v || text[0] == '-')
    throw InputError(sdk::query::BadParameter(
                         what, "a whole number from " + std::to_string(min) + " to " + std::to_string(max), text)
                         .what());
  return *v;
}

std::optional<std::int64_t> TimeQueryParam(const sdk::HttpRequest& request, const std::string& name,
                                           const local_time::Zone& zone) {
  // An empty value has always meant "no bound" here (the dashboard sends from= when the field is cleared).
  if (auto v = request.Query(name); !v || v->empty()) return std::nullopt;
  // A bare date is the local midnight starting that day, also for `to` (this API's exclusive end, as before).
  return sdk::query::ZonedTimeParam(request, name, zone, /*end=*/false);
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

}  // namespace tessie::drivers
