#pragma once
// The decisions of the sync jobs (plain logic, no I/O): what to store of a discovered site, which day the
// backfill starts at, when a failed Fleet call is only "later", and what one fetched day changes.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "energy_math.hpp"
#include "local_time.hpp"
#include "tessie/sdk/fleet.hpp"

namespace tessie::powerwall {

// A site as discovery stores it: the products summary, completed by site_info when that answered.
struct SiteRecord {
  std::int64_t id = 0;
  std::string name;  // site_info's when it has one, else the summary's
  std::string resource_type;
  bool has_solar = false;  // either source saying so
  bool has_battery = false;
  bool has_grid = false;
  std::optional<sdk::SiteInfo> info;  // nullopt: keep what is stored of site_info
};
SiteRecord MergeSite(const sdk::EnergySiteSummary& summary, const std::optional<sdk::SiteInfo>& info);

// The first local day the history should hold: the installation date (a year back when unknown), capped
// to `max_days` back when that is above 0, today when backfilling is off, never after today.
CivilDate FirstBackfillDay(bool backfill, int max_days, const std::optional<CivilDate>& installed,
                           const CivilDate& today);

// The delay before the next try when a Fleet error only means "later" (rate limited: Retry-After, at
// least `normal`; no Tesla account yet: 5 minutes); nullopt for errors that are real failures.
std::optional<std::chrono::milliseconds> LaterDelay(const sdk::FleetError& error, std::chrono::milliseconds normal);

// How far apart two wall connector samples may be and still count as continuous charging.
std::int64_t WallConnectorMaxGapMs(std::chrono::milliseconds live_interval);

// One local day fetched from calendar_history merged into what is stored of it.
struct DayMerge {
  std::vector<sdk::EnergyHistoryRow> changed;  // new or different rows, to write and announce
  Flows flows{};                               // the day's flows after the merge
  EnergyTotals totals;
  int intervals = 0;  // 5-minute intervals the day holds after the merge
  std::string hours;  // the day's hour buckets, packed (hour_pack.hpp); "" when nothing changed
};
// `stored`: the day's stored intervals by start. Rows outside the day's window are ignored.
DayMerge MergeDay(const local_time::Zone& zone, const DayWindow& window, std::map<std::int64_t, Flows> stored,
                  const std::vector<sdk::EnergyHistoryRow>& fetched);

}  // namespace tessie::powerwall
