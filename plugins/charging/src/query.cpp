#include "query.hpp"

#include "tessie/sdk/query.hpp"

#include <cctype>
#include <cstdio>
#include <limits>
#include <set>

namespace tessie::charging {

namespace {

using sdk::HttpError;

bool AllDigits(const std::string& s, std::size_t from, std::size_t n) {
  if (from + n > s.size()) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

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
  if (!v->empty() && AllDigits(*v, 0, v->size())) {
    const auto id = sdk::query::ParseInt(*v, 0, std::numeric_limits<std::int64_t>::max());
    if (!id) throw HttpError::BadRequest("vehicle id is too large, got '" + *v + "'");
    f.vehicle_id = *id;
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

int ParseInt(const sdk::HttpRequest& r, const std::string& name, int fallback, int min, int max) {
  return static_cast<int>(sdk::query::IntParam(r, name, fallback, min, max));
}

void CheckRange(const std::optional<std::int64_t>& from, const std::optional<std::int64_t>& to) {
  if (from && to && *from >= *to) throw HttpError::BadRequest("from must be before to");
}

}  // namespace

std::string FormatIsoUtc(std::int64_t utc_ms) { return local_time::IsoUtc(utc_ms); }

std::optional<std::int64_t> ParseTimeParam(const std::string& text, const local_time::Zone& zone, bool end_of_day) {
  return sdk::query::ParseTime(text, sdk::query::ZonedTimeFormat(zone, end_of_day));
}

SessionQuery ParseSessionQuery(const sdk::HttpRequest& r, const local_time::Zone& zone) {
  RejectUnknown(r, {"vehicle", "from", "to", "place", "type", "limit", "offset"});
  SessionQuery q;
  q.vehicle = ParseVehicle(r);
  q.from_ms = sdk::query::ZonedTimeParam(r, "from", zone);
  q.to_ms = sdk::query::ZonedTimeParam(r, "to", zone, /*end=*/true);
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

StatsQuery ParseStatsQuery(const sdk::HttpRequest& r, const local_time::Zone& zone) {
  RejectUnknown(r, {"vehicle", "from", "to"});
  StatsQuery q;
  q.vehicle = ParseVehicle(r);
  q.from_ms = sdk::query::ZonedTimeParam(r, "from", zone);
  q.to_ms = sdk::query::ZonedTimeParam(r, "to", zone, /*end=*/true);
  CheckRange(q.from_ms, q.to_ms);
  return q;
}

std::int64_t ParseSessionId(const std::string& text) {
  if (text.empty() || text.size() > 18 || !AllDigits(text, 0, text.size()))
    throw HttpError::BadRequest("session id must be a number, got '" + text + "'");
  return std::stoll(text);
}

}  // namespace tessie::charging
