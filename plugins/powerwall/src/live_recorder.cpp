#include "live_recorder.hpp"

#include "job_later.hpp"
#include "tessie/sdk/events/energy.hpp"

namespace tessie::powerwall {

void LiveRecorder::Run(std::int64_t id, sdk::JobRun& run) {
  const auto active = sites_.Active(id);
  if (!active) {
    run.SetNextDelay(std::chrono::hours(1));
    return;
  }
  auto& api = ctx_.Tesla();
  if (!api.Connected()) {
    run.SetNextDelay(std::chrono::minutes(5));
    return;
  }
  sdk::LiveStatus live;
  try {
    live = api.GetLiveStatus(id);
  } catch (const sdk::FleetError& e) {
    if (EndRunIfLater(e, run, live_interval_, "energy site " + std::to_string(id) + " live_status", ctx_.Log())) {
      return;
    }
    throw;
  }
  const std::int64_t ts = live.timestamp_ms.value_or(sdk::ToEpochMs(ctx_.Time().Now()));
  if (!store_.InsertLive(id, ts, live)) return;  // the same sample again (cache): nothing new

  sdk::events::EnergyLive event;
  event.energy_site_id = id;
  event.time_zone = active->zone->Name();
  event.timestamp_ms = ts;
  event.live = live;
  ctx_.Events().Publish(event);

  const auto& zone = *active->zone;
  mqtt_.PublishLive(*active->site, zone, ts, live,
                    [&](const CivilDate& date) { return WallConnectorEnergyWh(id, zone, date); });
}

double LiveRecorder::WallConnectorEnergyWh(std::int64_t id, const local_time::Zone& zone, const CivilDate& date) {
  const DayWindow day = DayWindowOf(zone, date);
  const std::int64_t max_gap = WallConnectorMaxGapMs(live_interval_);
  return IntegrateEnergyWh(store_.WallConnectorSamples(id, day.start_ms - max_gap, day.end_ms + max_gap), day.start_ms,
                           day.end_ms, max_gap);
}

}  // namespace tessie::powerwall
