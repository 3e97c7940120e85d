#pragma once
// The plugin's own small conversions, kept in one file so that phase 2 of issue 14 can swap them for the
// SDK's row and time helpers in one place.
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <cstdint>
#include <optional>
#include <string>

#include "tessie/sdk/storage.hpp"

namespace tessie::vehicle {

// Epoch ms → "2026-06-01T07:00:00Z" (whole seconds, UTC).
inline std::string Iso(std::int64_t ms) {
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%SZ");
}

// A value the car may not have reported → an SQL parameter (NULL when absent; booleans as 0/1).
inline sdk::SqlValue Sql(const std::optional<double>& v) { return v ? sdk::SqlValue(*v) : sdk::SqlValue(); }
inline sdk::SqlValue Sql(const std::optional<int>& v) {
  return v ? sdk::SqlValue(static_cast<std::int64_t>(*v)) : sdk::SqlValue();
}
inline sdk::SqlValue Sql(const std::optional<bool>& v) {
  return v ? sdk::SqlValue(static_cast<std::int64_t>(*v ? 1 : 0)) : sdk::SqlValue();
}
inline sdk::SqlValue Sql(const std::optional<std::string>& v) { return v ? sdk::SqlValue(*v) : sdk::SqlValue(); }

}  // namespace tessie::vehicle
