#include "query.hpp"

#include <cctype>
#include <cstdio>

namespace tessie::solar {

namespace {

using sdk::HttpError;
constexpr std::int64_t kMsPerDay = 86'400'000;

bool AllDigits(const std::string& s, std::size_t from, std::size_t n) {
  if (from + n > s.size() || n == 0) return false;
  for (std::size_t i = from; i < from + n; ++i)
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
  return true;
}

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::optional<CivilDate> ParseDate(const std::string& text) {
  if (text.size() != 10 || !AllDigits(text, 0, 4) || text[4] != '-' || !AllDigits(text, 5, 2) || text[7] != '-' ||
      !AllDigits(text, 8, 2))
    return std::nullopt;
  const CivilDate d{std::stoi(text.substr(0, 4)), std::stoi(text.substr(5, 2)), std::stoi(text.substr(8, 2))};
  if (!IsValidDate(d)) return std::nullopt;
  return d;
}

StatsQuery ParseStatsQuery(const sdk::HttpRequest& r) {
  for (const auto& [name, value] : r.query) {
    if (name != "site" && name != "period" && name != "date")
      throw HttpError::BadRequest("unknown query parameter '" + name + "' (use site, period, date)");
  }
  StatsQuery q;
  if (auto site = r.Query("site")) {
    if (site->empty() || site->size() > 18 || !AllDigits(*site, 0, site->size()))
      throw HttpError::BadRequest("site must be an energy site id (digits), got '" + *site + "'");
    q.site_id = std::stoll(*site);
  }
  if (auto period = r.Query("period")) {
    auto p = ParsePeriod(*period);
    if (!p) throw HttpError::BadRequest("period must be day, week, month, year or lifetime, got '" + *period + "'");
    q.period = *p;
  }
  if (auto date = r.Query("date")) {
    q.date = ParseDate(*date);
    if (!q.date) throw HttpError::BadRequest("date must be a local date like 2026-06-01, got '" + *date + "'");
  }
  return q;
}

std::string FormatIsoUtc(std::int64_t utc_ms) {
  const std::int64_t days = FloorDiv(utc_ms, kMsPerDay);
  const auto date = CivilFromDays(days);
  const std::int64_t s = (utc_ms - days * kMsPerDay) / 1000;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02dZ", date.year, date.month, date.day,
                static_cast<int>(s / 3600), static_cast<int>(s / 60 % 60), static_cast<int>(s % 60));
  return buf;
}

}  // namespace tessie::solar
