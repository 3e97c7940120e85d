#pragma once
// One vocabulary for the `resolution` query parameter of every history route: raw, 5m, 15m, 1h, 1d, 1mo.
// The energy routes' first spellings (5min, hour, day, month) are accepted as deprecated aliases; answers name
// the canonical one. Each route allows the subset it can compute; anything else is a 400 that names the parameter
// and the allowed values. Plain logic, thread-safe. Link tessie::query.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tessie/sdk/http.hpp"

namespace tessie::sdk::query {

enum class Resolution { kRaw, k5m, k15m, k1h, k1d, k1mo };

// "raw", "5m", "15m", "1h", "1d", "1mo".
std::string_view ResolutionName(Resolution resolution);
// A canonical name or a deprecated alias ("5min" → 5m, "hour" → 1h, "day" → 1d, "month" → 1mo); nullopt otherwise.
std::optional<Resolution> ParseResolution(std::string_view text);
// Length of a bucket in ms for fixed-length resolutions (5m .. 1d); nullopt for raw and 1mo (calendar months).
std::optional<std::int64_t> ResolutionMs(Resolution resolution);

// The query parameter `name` (normally "resolution"): `fallback` when absent; throws BadParameter ("resolution must
// be one of 5m, 1h, 1d, 1mo, got 'week'") when empty, unknown, or not in `allowed`.
Resolution ResolutionParam(const HttpRequest& request, const std::string& name, Resolution fallback,
                           const std::vector<Resolution>& allowed);

}  // namespace tessie::sdk::query
