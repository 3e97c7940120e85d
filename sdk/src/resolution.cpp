#include "tessie/sdk/resolution.hpp"

#include <algorithm>

#include "tessie/sdk/query.hpp"

namespace tessie::sdk::query {

namespace {

struct Name {
  std::string_view text;
  Resolution resolution;
};

constexpr Name kNames[] = {
    {"raw", Resolution::kRaw}, {"5m", Resolution::k5m}, {"15m", Resolution::k15m},
    {"1h", Resolution::k1h},   {"1d", Resolution::k1d}, {"1mo", Resolution::k1mo},
};

// Deprecated: the energy history's first spellings. Documented as such in docs/ and the openapi files.
constexpr Name kAliases[] = {
    {"5min", Resolution::k5m},
    {"hour", Resolution::k1h},
    {"day", Resolution::k1d},
    {"month", Resolution::k1mo},
};

}  // namespace

std::string_view ResolutionName(Resolution resolution) {
  for (const auto& n : kNames)
    if (n.resolution == resolution) return n.text;
  return "";
}

std::optional<Resolution> ParseResolution(std::string_view text) {
  for (const auto& n : kNames)
    if (n.text == text) return n.resolution;
  for (const auto& n : kAliases)
    if (n.text == text) return n.resolution;
  return std::nullopt;
}

std::optional<std::int64_t> ResolutionMs(Resolution resolution) {
  switch (resolution) {
    case Resolution::k5m:
      return 300'000;
    case Resolution::k15m:
      return 900'000;
    case Resolution::k1h:
      return 3'600'000;
    case Resolution::k1d:
      return 86'400'000;
    case Resolution::kRaw:
    case Resolution::k1mo:
      return std::nullopt;
  }
  return std::nullopt;
}

Resolution ResolutionParam(const HttpRequest& request, const std::string& name, Resolution fallback,
                           const std::vector<Resolution>& allowed) {
  const auto value = request.Query(name);
  if (!value) return fallback;
  const auto parsed = ParseResolution(*value);
  if (parsed && std::find(allowed.begin(), allowed.end(), *parsed) != allowed.end()) return *parsed;
  std::string names;
  for (const auto r : allowed) names += (names.empty() ? "" : ", ") + std::string(ResolutionName(r));
  throw BadParameter(name, "one of " + names, *value);
}

}  // namespace tessie::sdk::query
