#include "local_zone.hpp"

#include <unicode/basictz.h>
#include <unicode/timezone.h>
#include <unicode/tztrans.h>
#include <unicode/unistr.h>

#include <chrono>
#include <stdexcept>

namespace tessie::charging {

namespace {
constexpr std::int64_t kMsPerDay = 86'400'000;

std::int64_t FloorDiv(std::int64_t a, std::int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }
}  // namespace

struct LocalZone::Impl {
  std::unique_ptr<icu::TimeZone> zone;
};

std::int64_t DaysFromCivil(int year, int month, int day) {
  using namespace std::chrono;
  return sys_days(std::chrono::year{year} / std::chrono::month{static_cast<unsigned>(month)} /
                  std::chrono::day{static_cast<unsigned>(day)})
      .time_since_epoch()
      .count();
}

void CivilFromDays(std::int64_t days, int& year, int& month, int& day) {
  using namespace std::chrono;
  const year_month_day ymd{sys_days{std::chrono::days{days}}};
  year = static_cast<int>(ymd.year());
  month = static_cast<int>(static_cast<unsigned>(ymd.month()));
  day = static_cast<int>(static_cast<unsigned>(ymd.day()));
}

bool LocalZone::IsKnown(const std::string& iana_name) {
  if (iana_name.empty()) return false;
  std::unique_ptr<icu::TimeZone> zone(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_name)));
  return zone && *zone != icu::TimeZone::getUnknown();
}

LocalZone::LocalZone(const std::string& iana_name) : name_(iana_name) {
  auto impl = std::make_shared<Impl>();
  impl->zone.reset(icu::TimeZone::createTimeZone(icu::UnicodeString::fromUTF8(iana_name)));
  if (iana_name.empty() || !impl->zone || *impl->zone == icu::TimeZone::getUnknown()) {
    throw std::invalid_argument("unknown time zone '" + iana_name + "' (use an IANA name like Europe/Berlin)");
  }
  impl_ = std::move(impl);
}

std::int64_t LocalZone::OffsetMs(std::int64_t utc_ms) const {
  int32_t raw_ms = 0;
  int32_t dst_ms = 0;
  UErrorCode status = U_ZERO_ERROR;
  impl_->zone->getOffset(static_cast<UDate>(utc_ms), false, raw_ms, dst_ms, status);
  if (U_FAILURE(status)) throw std::runtime_error("ICU could not compute the offset of " + name_);
  return static_cast<std::int64_t>(raw_ms) + dst_ms;
}

LocalDateTime LocalZone::ToLocal(std::int64_t utc_ms) const {
  const std::int64_t local_ms = utc_ms + OffsetMs(utc_ms);
  const std::int64_t days = FloorDiv(local_ms, kMsPerDay);
  LocalDateTime out;
  CivilFromDays(days, out.year, out.month, out.day);
  out.ms_of_day = local_ms - days * kMsPerDay;
  return out;
}

std::int64_t LocalZone::ToUtc(int year, int month, int day, std::int64_t ms_of_day) const {
  const std::int64_t local_ms = DaysFromCivil(year, month, day) * kMsPerDay + ms_of_day;
  // The offset at the wanted instant may differ from the one at the first guess; two passes settle it.
  std::int64_t utc = local_ms - OffsetMs(local_ms);
  utc = local_ms - OffsetMs(utc);
  return utc;
}

std::optional<std::int64_t> LocalZone::NextTransitionMs(std::int64_t utc_ms) const {
  const auto* basic = dynamic_cast<const icu::BasicTimeZone*>(impl_->zone.get());
  if (!basic) return std::nullopt;
  icu::TimeZoneTransition transition;
  if (!basic->getNextTransition(static_cast<UDate>(utc_ms), false, transition)) return std::nullopt;
  return static_cast<std::int64_t>(transition.getTime());
}

}  // namespace tessie::charging
