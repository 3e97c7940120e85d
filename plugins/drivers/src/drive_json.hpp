#pragma once
// The JSON of the drives and driver statistics REST answers (openapi.yaml). Plain logic: no I/O.
#include <Poco/JSON/Object.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "driver_stats.hpp"
#include "stored_drive.hpp"

namespace tessie::drivers {

// Times as ISO 8601 UTC; positions to 6 decimals, km and kWh to 3, speeds and efficiency to 1.
Poco::JSON::Object::Ptr DriveToJson(const DriveRow& drive);
// `drive` with its "path".
Poco::JSON::Object::Ptr DriveWithPathToJson(const DriveRow& drive, const std::vector<PathPoint>& path);

// GET /api/drivers/:id/stats. With one currency, charging_cost_share is a number in it; with several, null
// (each is in charging_cost_shares); with none, 0.
Poco::JSON::Object::Ptr DriverStatsToJson(std::int64_t driver_id, const std::string& name,
                                          std::optional<std::int64_t> from_ms, std::optional<std::int64_t> to_ms,
                                          const DriverStats& stats);

}  // namespace tessie::drivers
