#include "query.hpp"

#include <cctype>
#include <cstdio>
#include <set>

namespace tessie::charging {

namespace {

using sdk::HttpError;
constexpr std::int64_t kMsPerDay = 86'400'000;

bool AllDigits(const std::string& s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}
int Num(const std::string& s, std::size_t from, std::size_t n) { return std::stoi(s.substr(from, n)); }

void RejectUnknown(const sdk::HttpRequest& r, const std::set<std::string>& known) {
  for (const auto& [name, value] : r.query) {
    if (!known.count(name)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      std::string message = "unknown query parameter '" + name + "' (use ";
      message += list;
      message += ")";
      throw HttpError::BadRequest(message);
    }
  }
}

VehicleFilter ParseVehicle(const sdk::HttpRequest& r) {
  VehicleFilter f;
  auto v = r.Query("vehicle");
  if (!v) return f;
  if (!v->empty() && v->size() <= 19 && AllDigits(*v, 0, v->size())) {
    f.vehicle_id = std::stoll(*v);
    return f;
  }
  bool vin = v->size() == 17;
  for (char c : *v) vin = vin && std::isalnum(static_cast<unsigned char>(c));
  if (!vin)
    throw HttpError::BadRequest("vehicle must be a vehicle id (digits) or a 17-character VIN, got '" + *v + "'");
  std::string upper = *v;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  f.vin = upper;
  return f;
}

std::optional<std::int64_t> ParseTime(const sdk::HttpRequest& r, const std::string& name, const LocalZone& zone,
                                      bool end_of_day) {
  auto v = r.Query(name);
  if (!v) return std::nullopt;
  auto t = ParseTimeParam(*v, zone, end_of_day);
  if (!t)
    throw HttpError::BadRequest(name + " must be a date like 2026-06-01 or a time like 2026-06-01T07:00:00Z, got '" +
                                *v + "'");
  return t;
}

int ParseInt(const sdk::HttpRequest& r, const std::string& name, int fallback, int min, int max) {
  auto v = r.Query(name);
  if (!v) return fallback;
  if (v->empty() || v->size() > 9 || !AllDigits(*v, 0, v->size()) || std::stoi(*v) < min || std::stoi(*v) > max)
    throw HttpError::BadRequest(name + " must be a whole number from " + std::to_string(min) + " to " +
                                std::to_string(max) + ", got '" + *v + "'");
  return std::stoi(*v);
}

void CheckRange(const std::optional<std::int64_t>& from, const std::optional<std::int64_t>& to) {
  if (from && to && *from >= *to) throw HttpError::BadRequest("from must be before to");
}

}  // namespace

std::string FormatIsoUtc(std::int64_t utc_ms) { return local_time::IsoUtc(utc_ms); }

std::optional<std::int64_t> ParseTimeParam(const std::string& text, const LocalZone& zone, bool end_of_day) {
  // YYYY-MM-DD
  if (!AllDigits(text, 0, 4) || text.size() < 10 || text[4] != '-' || !AllDigits(text, 5, 2) || text[7] != '-' ||
      !AllDigits(text, 8, 2))
    return std::nullopt;
  const int y = Num(text, 0, 4), mo = Num(text, 5, 2), d = Num(text, 8, 2);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
  const CivilDate date{y, mo, d};
  if (CivilFromDays(DaysFromCivil(date)) != date) return std::nullopt;  // 2026-02-30
  if (text.size() == 10) return zone.ToUtc(end_of_day ? AddDays(date, 1) : date, 0);
  // THH:MM[:SS[.fff]][Z|±HH:MM]
  if ((text[10] != 'T' && text[10] != 't' && text[10] != ' ') || !AllDigits(text, 11, 2) || text.size() < 16 ||
      text[13] != ':' || !AllDigits(text, 14, 2))
    return std::nullopt;
  const int h = Num(text, 11, 2), mi = Num(text, 14, 2);
  int sec = 0, ms = 0;
  std::size_t pos = 16;
  if (pos < text.size() && text[pos] == ':') {
    if (!AllDigits(text, pos + 1, 2)) return std::nullopt;
    sec = Num(text, pos + 1, 2);
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      std::size_t digits = 0;
      ++pos;
      while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
        if (digits < 3) ms = ms * 10 + (text[pos] - '0');
        ++digits;
        ++pos;
      }
      if (digits == 0) return std::nullopt;
      for (std::size_t i = digits; i < 3; ++i) ms *= 10;
    }
  }
  if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
  const std::int64_t ms_of_day = ((h * 60 + mi) * 60 + sec) * 1000LL + ms;
  const std::int64_t wall_ms = DaysFromCivil(date) * kMsPerDay + ms_of_day;
  if (pos == text.size()) return zone.ToUtc(date, ms_of_day);
  if ((text[pos] == 'Z' || text[pos] == 'z') && pos + 1 == text.size()) return wall_ms;
  if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 && AllDigits(text, pos + 1, 2) &&
      text[pos + 3] == ':' && AllDigits(text, pos + 4, 2)) {
    const int oh = Num(text, pos + 1, 2), om = Num(text, pos + 4, 2);
    if (oh > 18 || om > 59) return std::nullopt;
    const std::int64_t offset_ms = (oh * 60 + om) * 60'000LL * (text[pos] == '-' ? -1 : 1);
    return wall_ms - offset_ms;
  }
  return std::nullopt;
}

SessionQuery ParseSessionQuery(const sdk::HttpRequest& r, const LocalZone& zone) {
  RejectUnknown(r, {"vehicle", "from", "to", "place", "type", "limit", "offset"});
  SessionQuery q;
  q.vehicle = ParseVehicle(r);
  q.from_ms = ParseTime(r, "from", zone, false);
  q.to_ms = ParseTime(r, "to", zone, true);
  CheckRange(q.from_ms, q.to_ms);
  if (auto place = r.Query("place")) {
    if (place->empty()) throw HttpError::BadRequest("place must be a place name, got an empty value");
    q.place = *place;
  }
  if (auto type = r.Query("type")) {
    std::string upper = *type;
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper != "AC" && upper != "DC") throw HttpError::BadRequest("type must be AC or DC, got '" + *type + "'");
    q.charger_kind = upper;
  }
  q.limit = ParseInt(r, "limit", 50, 1, kMaxLimit);
  q.offset = ParseInt(r, "offset", 0, 0, 100'000'000);
  return q;
}

StatsQuery ParseStatsQuery(const sdk::HttpRequest& r, const LocalZone& zone) {
  RejectUnknown(r, {"vehicle", "from", "to"});
  StatsQuery q;
  q.vehicle = ParseVehicle(r);
  q.from_ms = ParseTime(r, "from", zone, false);
  q.to_ms = ParseTime(r, "to", zone, true);
  CheckRange(q.from_ms, q.to_ms);
  return q;
}

std::int64_t ParseSessionId(const std::string& text) {
  if (text.empty() || text.size() > 18 || !AllDigits(text, 0, text.size()))
    throw HttpError::BadRequest("session id must be a number, got '" + text + "'");
  return std::stoll(text);
}

}  // namespace tessie::charging
