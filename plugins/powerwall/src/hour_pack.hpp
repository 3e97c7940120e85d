#pragma once
// A local day's hour buckets packed into one text value (powerwall_daily.hours), so that a year at hour
// resolution reads 365 rows instead of 105,120 five-minute intervals.
//
// Format: base64 (RFC 4648, no line breaks) of records, one per hour bucket with data, in time order, each
// little-endian: int32 start (seconds after the day's start_ms), int32 length (s), int32 UTC offset at the
// start (s), int32 intervals (5-minute rows summed), then the 16 flows as float64 Wh in kFlowNames order.
// Hours are those of the site's zone: a daylight-saving day has 23 or 25 buckets.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "energy_math.hpp"

namespace tessie::powerwall {

// Packs `hours` (BucketIntervals(zone, kHour, …) of one local day starting at `day_start_ms`).
std::string PackHours(const local_time::Zone& zone, std::int64_t day_start_ms, const std::vector<Bucket>& hours);

// The buckets again, labels included (no zone look-up); nullopt when `packed` is not a valid value.
std::optional<std::vector<Bucket>> UnpackHours(std::string_view packed, std::int64_t day_start_ms);

}  // namespace tessie::powerwall
