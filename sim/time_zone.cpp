#include "time_zone.h"

#include <unicode/timezone.h>
#include <unicode/unistr.h>

#include <Poco/DateTime.h>
#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/DateTimeParser.h>
#include <Poco/Timestamp.h>

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace tessie::sim {
namespace {

const icu::TimeZone& Zone(const std::shared_ptr<const void>& zone) {
  return *static_cast<const icu::TimeZone*>(zone.get());
}

Poco::DateTime ToDateTime(double t_s) {
  return Poco::DateTime(Poco::Timestamp::fromEpochTime(static_cast<std::time_t>(std::floor(t_s))));
}

}  // namespace

TimeZone::TimeZone(const std::string& name) : name_(name) {
  std::shared_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(name)));
  if (!zone || *zone == icu::TimeZone::getUnknown()) {
    throw std::invalid_argument("unknown time zone '" + name + "' (use an IANA name like Europe/London)");
  }
  zone_ = zone;
}

int TimeZone::OffsetS(double t_s) const {
  int32_t raw_ms = 0;
  int32_t dst_ms = 0;
  UErrorCode status = U_ZERO_ERROR;
  Zone(zone_).getOffset(t_s * 1000.0, false, raw_ms, dst_ms, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU getOffset failed for " + name_);
  return (raw_ms + dst_ms) / 1000;
}

double TimeZone::LocalDayStartS(int year, int month, int day) const {
  const double local_s = static_cast<double>(Poco::DateTime(year, month, day).timestamp().epochTime());
  // The offset at local midnight may differ from the one 24 h earlier; two passes settle it.
  double utc_s = local_s - OffsetS(local_s);
  utc_s = local_s - OffsetS(utc_s);
  return utc_s;
}

double TimeZone::LocalMidnightS(double t_s) const {
  const Poco::DateTime local = ToDateTime(t_s + OffsetS(t_s));
  return LocalDayStartS(local.year(), local.month(), local.day());
}

std::string TimeZone::FormatRfc3339(double t_s) const {
  const int offset_s = OffsetS(t_s);
  const int abs_min = std::abs(offset_s) / 60;
  char zone[16];
  std::snprintf(zone, sizeof zone, "%c%02d:%02d", offset_s < 0 ? '-' : '+', abs_min / 60, abs_min % 60);
  return Poco::DateTimeFormatter::format(ToDateTime(t_s + offset_s), "%Y-%m-%dT%H:%M:%S") + zone;
}

std::string TimeZone::LocalDate(double t_s) const {
  return Poco::DateTimeFormatter::format(ToDateTime(t_s + OffsetS(t_s)), "%Y-%m-%d");
}

double ParseRfc3339(const std::string& text) {
  Poco::DateTime parsed;
  int tzd_s = 0;
  if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, parsed, tzd_s) &&
      !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed, tzd_s)) {
    throw std::invalid_argument("not an RFC 3339 time: '" + text + "' (expected e.g. 2026-03-02T07:30:00Z)");
  }
  return static_cast<double>(parsed.timestamp().epochMicroseconds()) / 1e6 - tzd_s;
}

std::string FormatUtc(double t_s) { return Poco::DateTimeFormatter::format(ToDateTime(t_s), "%Y-%m-%dT%H:%M:%SZ"); }

}  // namespace tessie::sim
