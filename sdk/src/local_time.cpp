#include "tessie/local_time.hpp"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/unistr.h>

#include <chrono>
#include <cstdio>
#include <stdexcept>

namespace tessie::local_time {

namespace {

constexpr std::int64_t kDayMs = 86'400'000;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

std::chrono::sys_days ToSysDays(const CivilDate& d) {
  return std::chrono::sys_days(std::chrono::year_month_day(std::chrono::year(d.year),
                                                           std::chrono::month(static_cast<unsigned>(d.month)),
                                                           std::chrono::day(static_cast<unsigned>(d.day))));
}

CivilDate FromSysDays(std::chrono::sys_days days) {
  const std::chrono::year_month_day ymd(days);
  return {static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
          static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

const icu::BasicTimeZone& Icu(const std::shared_ptr<const void>& zone) {
  return *static_cast<const icu::BasicTimeZone*>(zone.get());
}

// Reads `n` digits at text[pos] into `out`; false when they are not all digits.
bool Digits(std::string_view text, std::size_t pos, std::size_t n, int& out) {
  if (pos + n > text.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
    out = out * 10 + (text[i] - '0');
  }
  return true;
}

// Writes `value` as exactly `width` digits at `out` (hot in history responses: no snprintf).
void PutDigits(char* out, int value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Appends "YYYY-MM-DDThh:mm:ss" of a local (already offset) time.
void AppendLocal(std::string& out, std::int64_t local_ms) {
  const std::int64_t days = FloorDiv(local_ms, kDayMs);
  const std::int64_t ms_of_day = local_ms - days * kDayMs;
  const CivilDate d = FromSysDays(std::chrono::sys_days(std::chrono::days(days)));
  const auto s = static_cast<int>(ms_of_day / 1000);
  if (d.year < 0 || d.year > 9999) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d", d.year, d.month, d.day, s / 3600, s / 60 % 60,
                  s % 60);
    out += buffer;
    return;
  }
  const std::size_t at = out.size();
  out += "0000-00-00T00:00:00";
  PutDigits(&out[at], d.year, 4);
  PutDigits(&out[at + 5], d.month, 2);
  PutDigits(&out[at + 8], d.day, 2);
  PutDigits(&out[at + 11], s / 3600, 2);
  PutDigits(&out[at + 14], s / 60 % 60, 2);
  PutDigits(&out[at + 17], s % 60, 2);
}

}  // namespace

std::string ToString(const CivilDate& date) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
  return buffer;
}

std::optional<CivilDate> ParseDate(std::string_view text) {
  CivilDate d;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-' || !Digits(text, 0, 4, d.year) ||
      !Digits(text, 5, 2, d.month) || !Digits(text, 8, 2, d.day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day ymd(std::chrono::year(d.year), std::chrono::month(static_cast<unsigned>(d.month)),
                                        std::chrono::day(static_cast<unsigned>(d.day)));
  if (!ymd.ok()) return std::nullopt;
  return d;
}

std::int64_t DaysFromCivil(const CivilDate& date) { return ToSysDays(date).time_since_epoch().count(); }

CivilDate CivilFromDays(std::int64_t days) { return FromSysDays(std::chrono::sys_days(std::chrono::days(days))); }

CivilDate AddDays(const CivilDate& date, std::int64_t days) {
  return FromSysDays(ToSysDays(date) + std::chrono::days(days));
}

int IsoWeekday(const CivilDate& date) { return static_cast<int>(std::chrono::weekday(ToSysDays(date)).iso_encoding()); }

bool IsValidDate(const CivilDate& date) {
  if (date.year < 1 || date.year > 9999 || date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) {
    return false;
  }
  return CivilFromDays(DaysFromCivil(date)) == date;
}

int DaysBetween(const CivilDate& from, const CivilDate& to) {
  return static_cast<int>((ToSysDays(to) - ToSysDays(from)).count());
}

CivilDate FirstOfMonth(const CivilDate& date) { return {date.year, date.month, 1}; }

CivilDate AddMonths(const CivilDate& first_of_month, int months) {
  const int index = first_of_month.year * 12 + (first_of_month.month - 1) + months;
  return {static_cast<int>(FloorDiv(index, 12)), static_cast<int>(index - FloorDiv(index, 12) * 12) + 1, 1};
}

std::string IsoUtc(std::int64_t utc_ms) {
  std::string out;
  AppendIsoUtc(out, utc_ms);
  return out;
}

void AppendIsoUtc(std::string& out, std::int64_t utc_ms) {
  AppendLocal(out, utc_ms);
  out.push_back('Z');
}

std::optional<std::int64_t> ParseRfc3339Ms(std::string_view text) {
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
  if (text.size() < 16 || !ParseDate(text.substr(0, 10)) || (text[10] != 'T' && text[10] != 't' && text[10] != ' ') ||
      !Digits(text, 11, 2, hour) || text[13] != ':' || !Digits(text, 14, 2, minute)) {
    return std::nullopt;
  }
  Digits(text, 0, 4, year);
  Digits(text, 5, 2, month);
  Digits(text, 8, 2, day);
  std::size_t pos = 16;
  std::int64_t fraction_ms = 0;
  if (pos < text.size() && text[pos] == ':') {
    if (!Digits(text, pos + 1, 2, second)) return std::nullopt;
    pos += 3;
    if (pos < text.size() && text[pos] == '.') {
      ++pos;
      int scale = 100;
      const std::size_t first = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        fraction_ms += (text[pos] - '0') * scale;
        scale /= 10;
        ++pos;
      }
      if (pos == first) return std::nullopt;
    }
  }
  if (hour > 23 || minute > 59 || second > 60) return std::nullopt;
  std::int64_t offset_ms = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    int oh = 0, om = 0;
    const int sign = text[pos] == '-' ? -1 : 1;
    if (!Digits(text, pos + 1, 2, oh)) return std::nullopt;
    pos += 3;
    if (pos < text.size() && text[pos] == ':') ++pos;
    if (!Digits(text, pos, 2, om)) return std::nullopt;
    pos += 2;
    if (oh > 23 || om > 59) return std::nullopt;
    offset_ms = sign * (oh * 3600'000LL + om * 60'000LL);
  } else {
    return std::nullopt;  // RFC 3339 needs a zone designator
  }
  if (pos != text.size()) return std::nullopt;
  const std::int64_t local_ms = DaysFromCivil({year, month, day}) * kDayMs + hour * 3600'000LL + minute * 60'000LL +
                                second * 1000LL + fraction_ms;
  return local_ms - offset_ms;
}

namespace {
std::unique_ptr<icu::BasicTimeZone> CreateZone(const std::string& iana_name) {
  if (iana_name.empty()) return nullptr;
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_name)));
  auto* basic = dynamic_cast<icu::BasicTimeZone*>(zone.get());
  if (!basic || *zone == icu::TimeZone::getUnknown()) return nullptr;
  zone.release();
  return std::unique_ptr<icu::BasicTimeZone>(basic);
}
}  // namespace

bool Zone::IsKnown(const std::string& iana_name) { return CreateZone(iana_name) != nullptr; }

Zone::Zone(const std::string& iana_name) : name_(iana_name) {
  auto zone = CreateZone(iana_name);
  if (!zone) {
    throw std::invalid_argument("unknown time zone '" + iana_name +
                                "': use an IANA name such as America/Los_Angeles, Europe/Berlin or UTC");
  }
  zone_ = std::shared_ptr<const icu::BasicTimeZone>(std::move(zone));
}

std::int64_t Zone::OffsetMs(std::int64_t utc_ms) const {
  std::int32_t raw_ms = 0;
  std::int32_t dst_ms = 0;
  UErrorCode status = U_ZERO_ERROR;
  Icu(zone_).getOffset(static_cast<UDate>(utc_ms), false, raw_ms, dst_ms, status);
  if (U_FAILURE(status)) return 0;
  return static_cast<std::int64_t>(raw_ms) + dst_ms;
}

CivilDate Zone::LocalDate(std::int64_t utc_ms) const {
  const std::int64_t local_ms = utc_ms + OffsetMs(utc_ms);
  return FromSysDays(std::chrono::sys_days(std::chrono::days(FloorDiv(local_ms, kDayMs))));
}

LocalDateTime Zone::Local(std::int64_t utc_ms) const {
  const std::int64_t local_ms = utc_ms + OffsetMs(utc_ms);
  const std::int64_t days = FloorDiv(local_ms, kDayMs);
  LocalDateTime out;
  out.date = CivilFromDays(days);
  out.ms_of_day = local_ms - days * kDayMs;
  out.weekday = IsoWeekday(out.date);
  return out;
}

std::int64_t Zone::ToUtc(const CivilDate& date, std::int64_t ms_of_day) const {
  const std::int64_t local_ms = DaysFromCivil(date) * kDayMs + ms_of_day;
  // The offset at the wanted instant may differ from the one at the first guess; two passes settle it.
  std::int64_t utc = local_ms - OffsetMs(local_ms);
  utc = local_ms - OffsetMs(utc);
  return utc;
}

std::optional<std::int64_t> Zone::NextTransitionMs(std::int64_t utc_ms) const {
  icu::TimeZoneTransition transition;
  if (!Icu(zone_).getNextTransition(static_cast<UDate>(utc_ms), false, transition)) return std::nullopt;
  return static_cast<std::int64_t>(transition.getTime());
}

std::int64_t Zone::StartOfDayMs(const CivilDate& date) const {
  const std::int64_t local_ms = DaysFromCivil(date) * kDayMs;
  std::int32_t raw_ms = 0;
  std::int32_t dst_ms = 0;
  UErrorCode status = U_ZERO_ERROR;
  // Former: a skipped midnight maps to the instant the gap ends; a repeated one to its first occurrence.
  Icu(zone_).getOffsetFromLocal(static_cast<UDate>(local_ms), UCAL_TZ_LOCAL_FORMER, UCAL_TZ_LOCAL_FORMER, raw_ms,
                                dst_ms, status);
  if (U_FAILURE(status)) return local_ms;
  return local_ms - raw_ms - dst_ms;
}

std::string Zone::FormatRfc3339(std::int64_t utc_ms) const { return FormatWithOffset(utc_ms, OffsetMs(utc_ms)); }

std::string FormatWithOffset(std::int64_t utc_ms, std::int64_t offset_ms) {
  const auto offset_min = static_cast<int>((offset_ms < 0 ? -offset_ms : offset_ms) / 60'000 % 6000);
  std::string out;
  out.reserve(25);
  AppendLocal(out, utc_ms + offset_ms);
  char zone[7] = {offset_ms < 0 ? '-' : '+', '0', '0', ':', '0', '0', '\0'};
  PutDigits(&zone[1], offset_min / 60, 2);
  PutDigits(&zone[4], offset_min % 60, 2);
  return out.append(zone, 6);
}

}  // namespace tessie::local_time
