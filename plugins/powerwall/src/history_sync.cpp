#include "history_sync.hpp"

#include "job_later.hpp"
#include "tessie/sdk/events/energy.hpp"
#include "tessie/sdk/events/sync.hpp"

namespace tessie::powerwall {
namespace {

constexpr int kProgressLogEveryDays = 30;

}  // namespace

void HistorySync::Run(std::int64_t id, sdk::JobRun& run) {
  const auto active = sites_.Active(id);
  if (!active) {
    run.SetNextDelay(std::chrono::hours(1));
    return;
  }
  if (!ctx_.Tesla().Connected()) {
    run.SetNextDelay(std::chrono::minutes(5));
    return;
  }
  try {
    Step(*active->site, id, *active->zone, active->installation_date, run);
  } catch (const sdk::FleetError& e) {
    if (EndRunIfLater(e, run, settings_.backfill_delay, "energy site " + std::to_string(id) + " history", ctx_.Log())) {
      return;
    }
    throw;
  }
}

bool HistorySync::LoadProgress(Site& site, std::int64_t id) {
  if (site.progress_loaded) return false;
  if (const auto progress = store_.LoadProgress(id)) {
    site.done_through = progress->done_through;
    site.outages_done = progress->outages_done;
  }
  site.progress_loaded = true;
  return true;
}

void HistorySync::SaveProgress(const Site& site, std::int64_t id, const CivilDate& first_day, const HistoryStep& step,
                               std::int64_t now) {
  const bool current = step.mode == HistoryStep::Mode::kCurrent;
  store_.SaveProgress(id, {current, first_day, site.done_through, step.days_done, step.days_total, site.outages_done},
                      now);
  // The host's first-run status ("fetching the energy history: N of M days").
  sdk::events::SyncBackfill progress;
  progress.target = "energy_site:" + std::to_string(id);
  progress.name = sites_.Name(id);
  progress.days_done = current ? step.days_total : step.days_done;
  progress.days_total = step.days_total;
  ctx_.Events().Publish(progress);
}

void HistorySync::Step(Site& site, std::int64_t id, const local_time::Zone& zone, const std::optional<CivilDate>& installed,
                       sdk::JobRun& run) {
  const bool resumed = LoadProgress(site, id) && site.outages_done;
  auto& api = ctx_.Tesla();
  const std::int64_t now = sdk::ToEpochMs(ctx_.Time().Now());
  const CivilDate today = zone.LocalDate(now);
  const BackfillPlanner planner(FirstBackfillDay(settings_.backfill, settings_.backfill_max_days, installed, today));
  const HistoryStep step = planner.Next(site.done_through, today);
  const std::string label = "energy site " + std::to_string(id);
  if (resumed && step.mode == HistoryStep::Mode::kBackfill) {
    ctx_.Log().Info(label + ": resuming the energy history backfill at " + ToString(step.days.front()) + " (" +
                    std::to_string(step.days_done) + "/" + std::to_string(step.days_total) + " days done)");
  }

  if (step.mode == HistoryStep::Mode::kBackfill && !site.outages_done) {
    // Every grid outage since the first day, once, before the days themselves.
    ctx_.Log().Info(label + ": backfilling energy history, " + std::to_string(step.days_total - step.days_done) +
                    " of " + std::to_string(step.days_total) + " days to fetch (from " + ToString(step.days.front()) +
                    ", one day per request)");
    const auto events = api.GetBackupHistory(id, "lifetime", DayWindowOf(zone, planner.FirstDay()).start,
                                             DayWindowOf(zone, today).end, zone.Name());
    StoreOutages(id, events, now);
    site.outages_done = true;
    SaveProgress(site, id, planner.FirstDay(), step, now);
    run.SetNextDelay(settings_.backfill_delay);
    return;
  }

  std::optional<DayMerge> today_result;
  for (const auto& day : step.days) {
    DayMerge result = FetchDay(id, zone, day, now);
    // Yesterday's final totals before today's first ones, so Home Assistant counts the day's last minutes
    // (only while the published counters are still yesterday's).
    if (day == AddDays(today, -1)) mqtt_.PublishDailyCounters(site, day, result.totals, /*only_if_current=*/true);
    if (day == today) today_result = std::move(result);
    site.done_through = planner.Advance(site.done_through, day, today);
    // Outages starting on recent days (older ones came with the one lifetime request): today on every run,
    // yesterday once more when the backfill reaches it after midnight.
    const bool recent = step.mode == HistoryStep::Mode::kCurrent ? day == today : day >= AddDays(today, -1);
    if (recent) {
      const DayWindow w = DayWindowOf(zone, day);
      StoreOutages(id, api.GetBackupHistory(id, "day", w.start, w.end, zone.Name()), now);
    }
  }
  const HistoryStep after = planner.Next(site.done_through, today);
  SaveProgress(site, id, planner.FirstDay(), after, now);

  if (step.mode == HistoryStep::Mode::kBackfill) {
    if (after.mode == HistoryStep::Mode::kCurrent) {
      ctx_.Log().Info(label + ": energy history backfill complete (" + std::to_string(after.days_done) + "/" +
                      std::to_string(after.days_total) + " days)");
    } else if (after.days_done % kProgressLogEveryDays == 0) {
      ctx_.Log().Info(label + ": energy history backfill " + std::to_string(after.days_done) + "/" +
                      std::to_string(after.days_total) + " days (through " + ToString(*site.done_through) + ")");
    }
    run.SetNextDelay(after.mode == HistoryStep::Mode::kCurrent ? std::chrono::milliseconds(1'000)
                                                               : settings_.backfill_delay);
    return;
  }
  if (today_result) mqtt_.PublishDailyCounters(site, today, today_result->totals);
}

DayMerge HistorySync::FetchDay(std::int64_t id, const local_time::Zone& zone, const CivilDate& day, std::int64_t now) {
  const DayWindow w = DayWindowOf(zone, day);
  const auto history = ctx_.Tesla().GetEnergyHistory(id, "day", w.start, w.end, zone.Name());
  DayMerge merge = MergeDay(zone, w, store_.IntervalFlows(id, w.start_ms, w.end_ms), history.rows);
  if (merge.changed.empty()) return merge;
  store_.StoreDay(id, w, merge, now);
  sdk::events::EnergyIntervals event;
  event.energy_site_id = id;
  event.time_zone = zone.Name();
  event.rows = merge.changed;
  ctx_.Events().Publish(event);
  return merge;
}

void HistorySync::StoreOutages(std::int64_t id, const std::vector<sdk::BackupEvent>& events, std::int64_t now) {
  for (const auto& e : events) {
    const auto stored_s = store_.OutageDuration(id, e.timestamp_ms);
    if (stored_s && *stored_s == e.duration_s) continue;
    store_.UpsertOutage(id, {e.timestamp_ms, e.duration_s}, now);
    if (!stored_s) {
      ctx_.Log().Info("energy site " + std::to_string(id) + ": grid outage at " + IsoUtc(e.timestamp_ms) + " for " +
                      std::to_string(e.duration_s) + " s");
      ctx_.Events().Publish(sdk::events::GridOutage{id, e.timestamp_ms, e.duration_s});
    }
  }
}

}  // namespace tessie::powerwall
