#pragma once
// Parsing and formatting of what the REST routes accept and return. Plain logic: no I/O. Every parse
// failure throws InputError with a message for the user (DriversRoutes turns it into a 400).
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "attribution.hpp"
#include "tessie/local_time.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::drivers {

class InputError : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// Limits of a driver body. Text is counted in Unicode characters (code points), not bytes.
inline constexpr std::size_t kMaxNameChars = 100;
inline constexpr std::size_t kMaxProfileIdChars = 50;
inline constexpr std::size_t kMaxPlaceChars = 200;
inline constexpr std::size_t kMaxRules = 100;
inline constexpr std::size_t kMaxListEntries = 100;  // default_for_vehicles

// The number of characters of `text`, or nullopt when it is not valid UTF-8 (overlong forms and surrogates
// included) or holds a control character (C0, DEL, C1), a line/paragraph separator or a bidi override.
std::optional<std::size_t> CountTextCharacters(std::string_view text);
// Whether `text` holds only space characters (ASCII, no-break, the U+2000 family, ideographic, BOM).
bool IsBlank(std::string_view text);

// A driver's name as stored: without leading or trailing spaces (ASCII and no-break).
std::string TrimName(std::string_view name);
// The key two drivers' names are compared by (a duplicate is refused): trimmed, ASCII letters folded to
// lower case. "Alex", " alex " and "ALEX" are the same name; "Álex" is not "álex" (no Unicode folding).
std::string NameKey(std::string_view name);

// The body of POST /api/drivers and PUT /api/drivers/:id. `id` of the result is 0. The name is trimmed.
// {"name", "profile_id"?, "default_for_vehicles"?: [ids], "rules"?: [{"weekdays", "from", "to",
// "vehicle_id"?} | {"start_place", "vehicle_id"?}]}; unknown keys are rejected.
Driver ParseDriverBody(const Poco::JSON::Object& body);

// The body of PUT /api/drives/:id: {"driver_id": N} or {"driver_id": null} (a manual choice, kept across
// rule changes), or {"automatic": true} (drop the manual choice; the rules decide again).
struct DriveAssignment {
  bool automatic = false;
  std::optional<std::int64_t> driver_id;
};
DriveAssignment ParseDriveAssignment(const Poco::JSON::Object& body);

// "HH:MM", 00:00..23:59, and 24:00 when `allow_end_of_day`. Returns minutes after midnight.
int ParseClock(const std::string& text, bool allow_end_of_day);
std::string FormatClock(int minutes);

// A positive decimal id (path parameters, query parameters); `what` names it in the error.
std::int64_t ParseId(const std::string& text, const std::string& what);
// A non-negative decimal integer query parameter within [min, max].
std::int64_t ParseBoundedInt(const std::string& text, const std::string& what, std::int64_t min, std::int64_t max);

// The time query parameter `name` in the forms every route accepts (sdk/query.hpp, ZonedTimeParam): RFC 3339
// with Z or an offset, a local wall time or a date "2024-03-01" in `zone` (a date is the local midnight starting
// that day, for `to` too), or epoch ms. nullopt when absent or empty; sdk::HttpError 400 when malformed.
std::optional<std::int64_t> TimeQueryParam(const sdk::HttpRequest& request, const std::string& name,
                                           const local_time::Zone& zone);
// "2024-03-01T07:00:00.000Z"
std::string FormatIsoUtc(std::int64_t utc_ms);

Poco::JSON::Object::Ptr DriverToJson(const Driver& driver);

}  // namespace tessie::drivers
