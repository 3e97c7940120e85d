#pragma once
// One parser for the time and number query parameters of every route (?from=, ?to=, ?limit=, ?offset=): a
// malformed, empty or out-of-range value is a 400 that names the parameter, never a 500 or a silently different
// value. New routes read times with TimeRangeParams / ZonedTimeParam / DateParam below, which accept the same
// forms on every route; TimeFormat and TimeParam remain for the routes that still keep their own meaning of a
// bare date (until they move). Plain logic, thread-safe. Link tessie::query.
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

// ---- The one way every route reads its time parameters (docs/architecture.md, "Time parameters") ----------
// Accepted for a time, everywhere:
//   - a date "2026-06-01": local midnight in `zone`; as the end of a range (`to`) it is inclusive, i.e. the
//     next local midnight (to=2026-06-01 covers all of June 1st);
//   - RFC 3339 with Z or an offset, "2026-06-01T07:00:00Z", "...+02:00" (also "+0200"), fractions allowed;
//   - a local wall time without an offset, "2026-06-01T07:00[:00[.fff]]", in `zone`;
//   - epoch milliseconds, 0 to kMaxEpochMs (never 4 digits: "2026" is a year to a person).
// Anything else is a 400 naming the parameter and the forms above.
struct TimeRange {
  std::int64_t from_ms = 0;  // inclusive
  std::int64_t to_ms = 0;    // exclusive
};

// The TimeFormat above for `zone`: `end` makes a bare date mean the next local midnight. The returned format
// refers to `zone`, which must outlive it.
TimeFormat ZonedTimeFormat(const local_time::Zone& zone, bool end);
// ?from= and ?to=, each defaulting when absent. Throws BadParameter for a malformed value and a 400 when
// from > to (from == to, an empty range, is allowed).
TimeRange TimeRangeParams(const HttpRequest& request, const local_time::Zone& zone, std::int64_t default_from,
                          std::int64_t default_to);
// One time parameter `name` in `zone` (`end`: a bare date is the next local midnight), nullopt when absent.
std::optional<std::int64_t> ZonedTimeParam(const HttpRequest& request, const std::string& name,
                                           const local_time::Zone& zone, bool end = false);
// A date parameter "YYYY-MM-DD" (a real day), nullopt when absent; throws BadParameter otherwise.
std::optional<local_time::CivilDate> DateParam(const HttpRequest& request, const std::string& name);

}  // namespace tessie::sdk::query
