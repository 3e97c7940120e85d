#pragma once
// One parser for the time and number query parameters of every route (?from=, ?to=, ?limit=, ?offset=): a
// malformed, empty or out-of-range value is a 400 that names the parameter, never a 500 or a silently different
// value. Each plugin keeps its own meaning of a bare date (UTC or local midnight, start or end of the day)
// through TimeFormat. Plain logic, thread-safe. Link tessie::query.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "tessie/local_time.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::sdk::query {

// The latest instant accepted: 9999-12-31T23:59:59.999Z.
inline constexpr std::int64_t kMaxEpochMs = 253'402'300'799'999;

// What a time parameter may be. Always accepted: RFC 3339 with Z or an offset ("2026-06-01T07:00:00Z",
// "...+02:00", fractions allowed) and a date "2026-06-01".
struct TimeFormat {
  // A wall time with neither Z nor an offset ("2026-06-01T07:00" or "...T07:00:00[.fff]").
  enum class WallTime { kRejected, kUtc, kLocal };

  // Digits only are epoch milliseconds from 0 to kMaxEpochMs. Four digits are refused as ambiguous ("2026" is
  // a year to a person, 2 s after 1970 to the parser).
  bool epoch_ms = false;
  WallTime wall_time = WallTime::kRejected;
  // Also "+0200" for an offset (ISO 8601's basic form; RFC 3339 needs "+02:00").
  bool offset_without_colon = false;
  // A bare date → UTC epoch ms (local midnight, or the next one for an inclusive end). Unset: UTC midnight.
  std::function<std::int64_t(const local_time::CivilDate&)> date_to_utc;
  // For WallTime::kLocal: a local wall time (date, ms of the day) → UTC epoch ms.
  std::function<std::int64_t(const local_time::CivilDate&, std::int64_t)> wall_to_utc;
  // What the error message offers, e.g. "a date like 2026-06-01 (UTC) or an RFC 3339 time like
  // 2026-06-01T07:00:00Z". Empty: a text built from the flags above.
  std::string hint;
};

// UTC epoch ms of `text`, or nullopt when it is none of the forms `format` accepts.
std::optional<std::int64_t> ParseTime(std::string_view text, const TimeFormat& format);
// A whole number in [min, max] written as optional '-' and digits (no '+', spaces, fractions or exponents);
// nullopt otherwise, also on overflow.
std::optional<std::int64_t> ParseInt(std::string_view text, std::int64_t min, std::int64_t max);

// "<name> must be <what>, got '<text>'" (the value cut to 64 bytes): the 400 every parameter error uses.
HttpError BadParameter(std::string_view name, std::string_view what, std::string_view text);

// The time parameter `name`, or nullopt when the request has none. Throws BadParameter for anything else
// (an empty value included).
std::optional<std::int64_t> TimeParam(const HttpRequest& request, const std::string& name, const TimeFormat& format);
// The number parameter `name`, or `fallback` when absent. Throws BadParameter when empty, malformed or
// outside [min, max].
std::int64_t IntParam(const HttpRequest& request, const std::string& name, std::int64_t fallback, std::int64_t min,
                      std::int64_t max);

}  // namespace tessie::sdk::query
