#include "tessie/sdk/query.hpp"

#include <charconv>

namespace tessie::sdk::query {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

bool AllDigits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

int Two(std::string_view s, std::size_t at) { return (s[at] - '0') * 10 + (s[at + 1] - '0'); }

// "YYYY-MM-DD[Tt ]HH:MM[:SS[.f+]]" without a zone designator: the date and the ms of the day.
std::optional<std::pair<local_time::CivilDate, std::int64_t>> ParseWallTime(std::string_view s) {
  if (s.size() < 16) return std::nullopt;
  const auto date = local_time::ParseDate(s.substr(0, 10));
  if (!date || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !AllDigits(s.substr(11, 2)) || s[13] != ':' ||
      !AllDigits(s.substr(14, 2))) {
    return std::nullopt;
  }
  const int hour = Two(s, 11), minute = Two(s, 14);
  int second = 0;
  std::int64_t millis = 0;
  std::size_t i = 16;
  if (i < s.size()) {
    if (s[i] != ':' || s.size() < i + 3 || !AllDigits(s.substr(i + 1, 2))) return std::nullopt;
    second = Two(s, i + 1);
    i += 3;
    if (i < s.size()) {
      if (s[i] != '.' || i + 1 == s.size() || !AllDigits(s.substr(i + 1))) return std::nullopt;
      std::int64_t scale = 100;
      for (std::size_t j = i + 1; j < s.size() && scale > 0; ++j, scale /= 10) millis += (s[j] - '0') * scale;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  return std::make_pair(*date, ((hour * 60LL + minute) * 60 + second) * 1000 + millis);
}

std::string DefaultHint(const TimeFormat& f) {
  std::string hint = "a date like 2026-06-01";
  hint += f.date_to_utc ? " (local)" : " (UTC)";
  hint += ", an RFC 3339 time like 2026-06-01T07:00:00Z or with an offset like +02:00";
  if (f.wall_time == TimeFormat::WallTime::kLocal) hint += ", a local time like 2026-06-01T07:00";
  if (f.wall_time == TimeFormat::WallTime::kUtc) hint += ", a UTC time like 2026-06-01T07:00";
  if (f.epoch_ms) hint += ", or epoch milliseconds";
  return hint;
}

}  // namespace

std::optional<std::int64_t> ParseTime(std::string_view text, const TimeFormat& format) {
  if (format.epoch_ms && AllDigits(text)) {
    if (text.size() == 4) return std::nullopt;  // a year, most likely: ask for a date
    const auto ms = ParseInt(text, 0, kMaxEpochMs);
    return ms;
  }
  if (const auto date = local_time::ParseDate(text)) {
    return format.date_to_utc ? format.date_to_utc(*date) : local_time::DaysFromCivil(*date) * kDayMs;
  }
  // RFC 3339: a wall time and Z or ±HH:MM (±HHMM only where the plugin has always taken it).
  std::optional<std::int64_t> offset_ms;
  std::string_view wall_text = text;
  const auto sign_at = [&](std::size_t n) {
    return text.size() > n && (text[text.size() - n] == '+' || text[text.size() - n] == '-');
  };
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    offset_ms = 0;
    wall_text = text.substr(0, text.size() - 1);
  } else if (sign_at(6) && text[text.size() - 3] == ':' && AllDigits(text.substr(text.size() - 5, 2)) &&
             AllDigits(text.substr(text.size() - 2))) {
    const int hours = Two(text, text.size() - 5), minutes = Two(text, text.size() - 2);
    if (hours > 23 || minutes > 59) return std::nullopt;
    offset_ms = (hours * 60LL + minutes) * 60'000 * (text[text.size() - 6] == '-' ? -1 : 1);
    wall_text = text.substr(0, text.size() - 6);
  } else if (format.offset_without_colon && sign_at(5) && AllDigits(text.substr(text.size() - 4))) {
    const int hours = Two(text, text.size() - 4), minutes = Two(text, text.size() - 2);
    if (hours > 23 || minutes > 59) return std::nullopt;
    offset_ms = (hours * 60LL + minutes) * 60'000 * (text[text.size() - 5] == '-' ? -1 : 1);
    wall_text = text.substr(0, text.size() - 5);
  }
  if (offset_ms) {
    const auto wall = ParseWallTime(wall_text);
    if (!wall) return std::nullopt;
    return local_time::DaysFromCivil(wall->first) * kDayMs + wall->second - *offset_ms;
  }
  if (format.wall_time == TimeFormat::WallTime::kRejected) return std::nullopt;
  const auto wall = ParseWallTime(text);
  if (!wall) return std::nullopt;
  if (format.wall_time == TimeFormat::WallTime::kLocal && format.wall_to_utc) {
    return format.wall_to_utc(wall->first, wall->second);
  }
  return local_time::DaysFromCivil(wall->first) * kDayMs + wall->second;
}

std::optional<std::int64_t> ParseInt(std::string_view text, std::int64_t min, std::int64_t max) {
  const std::string_view digits = !text.empty() && text[0] == '-' ? text.substr(1) : text;
  if (!AllDigits(digits)) return std::nullopt;
  std::int64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < min || value > max) return std::nullopt;
  return value;
}

HttpError BadParameter(std::string_view name, std::string_view what, std::string_view text) {
  std::string shown(text.substr(0, 64));
  if (text.size() > 64) shown += "...";
  return HttpError::BadRequest(std::string(name) + " must be " + std::string(what) + ", got '" + shown + "'");
}

std::optional<std::int64_t> TimeParam(const HttpRequest& request, const std::string& name, const TimeFormat& format) {
  const auto value = request.Query(name);
  if (!value) return std::nullopt;
  if (auto ms = ParseTime(*value, format)) return ms;
  throw BadParameter(name, format.hint.empty() ? DefaultHint(format) : format.hint, *value);
}

std::int64_t IntParam(const HttpRequest& request, const std::string& name, std::int64_t fallback, std::int64_t min,
                      std::int64_t max) {
  const auto value = request.Query(name);
  if (!value) return fallback;
  if (auto n = ParseInt(*value, min, max)) return *n;
  throw BadParameter(name, "a whole number from " + std::to_string(min) + " to " + std::to_string(max), *value);
}

TimeFormat ZonedTimeFormat(const local_time::Zone& zone, bool end) {
  TimeFormat format;
  format.epoch_ms = true;
  format.wall_time = TimeFormat::WallTime::kLocal;
  format.offset_without_colon = true;
  format.date_to_utc = [&zone, end](const local_time::CivilDate& date) {
    return zone.StartOfDayMs(end ? local_time::AddDays(date, 1) : date);
  };
  format.wall_to_utc = [&zone](const local_time::CivilDate& date, std::int64_t ms_of_day) {
    return zone.ToUtc(date, ms_of_day);
  };
  format.hint = "a date like 2026-06-01 (local to " + zone.Name() +
                "), an RFC 3339 time like 2026-06-01T07:00:00Z or with an offset like +02:00, a local time like "
                "2026-06-01T07:00, or epoch milliseconds";
  return format;
}

std::optional<std::int64_t> ZonedTimeParam(const HttpRequest& request, const std::string& name,
                                           const local_time::Zone& zone, bool end) {
  return TimeParam(request, name, ZonedTimeFormat(zone, end));
}

TimeRange TimeRangeParams(const HttpRequest& request, const local_time::Zone& zone, std::int64_t default_from,
                          std::int64_t default_to) {
  TimeRange range;
  range.from_ms = ZonedTimeParam(request, "from", zone, false).value_or(default_from);
  range.to_ms = ZonedTimeParam(request, "to", zone, true).value_or(default_to);
  if (range.from_ms > range.to_ms) {
    throw HttpError::BadRequest("from must not be after to (from is " + local_time::IsoUtc(range.from_ms) +
                                ", to is " + local_time::IsoUtc(range.to_ms) + ")");
  }
  return range;
}

std::optional<local_time::CivilDate> DateParam(const HttpRequest& request, const std::string& name) {
  const auto value = request.Query(name);
  if (!value) return std::nullopt;
  if (auto date = local_time::ParseDate(*value)) return date;
  throw BadParameter(name, "a date like 2026-06-01", *value);
}

}  // namespace tessie::sdk::query
