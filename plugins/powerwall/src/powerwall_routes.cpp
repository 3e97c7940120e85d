#include "powerwall_routes.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <utility>

#include "history_json.hpp"
#include "site_query.hpp"
#include "tessie/sdk/row.hpp"

namespace tessie::powerwall {
namespace {

using Poco::Dynamic::Var;
using sdk::HttpError;
using sdk::HttpRequest;
using sdk::HttpResponse;

Poco::JSON::Object::Ptr NewObject() { return new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER); }

// A signed power as its two unsigned directions (both null when the power is unknown).
void SetSplit(Poco::JSON::Object& o, const std::optional<double>& signed_w, const std::string& positive_name,
              const std::string& negative_name) {
  if (!signed_w) {
    o.set(positive_name, Var());
    o.set(negative_name, Var());
    return;
  }
  const auto split = Split(*signed_w);
  o.set(positive_name, split.positive_w);
  o.set(negative_name, split.negative_w);
}

Poco::JSON::Object::Ptr SiteJson(const SiteRow& s, SiteZones& zones) {
  auto o = NewObject();
  o->set("energy_site_id", s.id);
  o->set("site_name", s.name);
  o->set("resource_type", s.resource_type);
  o->set("time_zone", zones.For(s.time_zone)->Name());
  o->set("installation_date", sdk::ToVar(s.installation_date));
  o->set("battery_count", sdk::ToVar(s.battery_count));
  o->set("nameplate_energy_wh", sdk::ToVar(s.nameplate_energy_wh));
  o->set("nameplate_power_w", sdk::ToVar(s.nameplate_power_w));
  o->set("backup_reserve_percent", sdk::ToVar(s.backup_reserve_percent));
  o->set("storm_mode_enabled", sdk::ToVar(s.storm_mode_enabled));
  o->set("wall_connector_count", s.wall_connector_count);
  o->set("has_solar", s.has_solar);
  o->set("has_battery", s.has_battery);
  o->set("has_grid", s.has_grid);
  o->set("updated", IsoUtc(s.updated_ms));
  auto backfill = NewObject();
  backfill->set("state", s.backfill_state ? Var(*s.backfill_state) : Var(std::string("pending")));
  backfill->set("first_day", sdk::ToVar(s.first_day));
  backfill->set("done_through", sdk::ToVar(s.done_through));
  backfill->set("days_done", s.days_done ? Var(*s.days_done) : Var(0));
  backfill->set("days_total", s.days_total ? Var(*s.days_total) : Var(0));
  o->set("backfill", backfill);
  return o;
}

}  // namespace

void PowerwallRoutes::Register(sdk::HttpRoutes& http) {
  http.Add("GET", "/api/energy/sites", [this](const HttpRequest&) { return Sites(); },
           {.summary = "The account's energy sites with their backfill progress"});
  http.Add("GET", "/api/energy/sites/:id", [this](const HttpRequest& r) { return OneSite(r); },
           {.summary = "One energy site"});
  http.Add("GET", "/api/energy/sites/:id/live", [this](const HttpRequest& r) { return Live(r); },
           {.summary = "The latest stored live_status of a site, with explicit signs"});
  http.Add("GET", "/api/energy/sites/:id/history", [this](const HttpRequest& r) { return History(r); },
           {.summary = "Energy per flow per 5 minutes, hour, day or month (local to the site)"});
  http.Add("GET", "/api/energy/sites/:id/outages", [this](const HttpRequest& r) { return Outages(r); },
           {.summary = "Grid outages of a site"});
}

namespace {

// The site row (404 when unknown) and its zone.
std::pair<SiteRow, std::shared_ptr<const local_time::Zone>> Resolve(const HttpRequest& request, PowerwallStore& store,
                                                                SiteZones& zones) {
  const std::int64_t id = ParseSiteId(request.Param("id"));
  auto site = store.FindSiteRow(id);
  if (!site) throw HttpError::NotFound("no energy site " + std::to_string(id) + " (GET /api/energy/sites lists them)");
  auto zone = zones.For(site->time_zone);
  return {std::move(*site), zone};
}

}  // namespace

HttpResponse PowerwallRoutes::Sites() {
  const auto sites = store_.SiteRows();
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& s : sites) items->add(SiteJson(s, zones_));
  Poco::JSON::Object o;
  o.set("items", items);
  o.set("total", static_cast<int>(sites.size()));
  return HttpResponse::Json(o);
}

HttpResponse PowerwallRoutes::OneSite(const HttpRequest& request) {
  return HttpResponse::Json(SiteJson(Resolve(request, store_, zones_).first, zones_));
}

HttpResponse PowerwallRoutes::Live(const HttpRequest& request) {
  const auto [site, zone] = Resolve(request, store_, zones_);
  const auto stored = store_.LatestLive(site.id);
  auto o = NewObject();
  o->set("energy_site_id", site.id);
  auto signs = NewObject();
  signs->set("battery_power_w", "+ discharging (battery to home or grid), - charging");
  signs->set("grid_power_w", "+ importing from the grid, - exporting to the grid");
  o->set("sign_convention", signs);
  if (!stored) {
    o->set("timestamp", Var());
    return HttpResponse::Json(o);
  }
  const sdk::LiveStatus& l = stored->live;
  o->set("timestamp", IsoUtc(stored->ts_ms));
  o->set("local_time", zone->FormatRfc3339(stored->ts_ms));
  o->set("solar_power_w", sdk::ToVar(l.solar_power_w));
  o->set("load_power_w", sdk::ToVar(l.load_power_w));
  o->set("battery_power_w", sdk::ToVar(l.battery_power_w));
  SetSplit(*o, l.battery_power_w, "battery_discharging_w", "battery_charging_w");
  o->set("grid_power_w", sdk::ToVar(l.grid_power_w));
  SetSplit(*o, l.grid_power_w, "grid_import_w", "grid_export_w");
  o->set("generator_power_w", sdk::ToVar(l.generator_power_w));
  o->set("wall_connector_power_w", sdk::ToVar(l.wall_connector_power_w));
  o->set("battery_percentage", sdk::ToVar(l.percentage_charged));
  o->set("energy_left_wh", sdk::ToVar(l.energy_left_wh));
  o->set("total_pack_energy_wh", sdk::ToVar(l.total_pack_energy_wh));
  o->set("grid_status", sdk::ToVar(l.grid_status));
  o->set("island_status", sdk::ToVar(l.island_status));
  o->set("storm_mode_active", sdk::ToVar(l.storm_mode_active));
  o->set("backup_capable", sdk::ToVar(l.backup_capable));
  return HttpResponse::Json(o);
}

HttpResponse PowerwallRoutes::History(const HttpRequest& request) {
  const auto [site, zone] = Resolve(request, store_, zones_);
  const HistoryQuery q = ParseHistoryQuery(request, *zone, sdk::ToEpochMs(clock_.Now()));
  HistoryBody body;
  body.energy_site_id = site.id;
  body.time_zone = zone->Name();
  body.resolution = q.resolution;
  body.from_ms = q.from_ms;
  body.to_ms = q.to_ms;
  body.detail = q.detail;

  // Every bucket that overlaps [from, to) is returned whole.
  if (q.resolution == Resolution::kHour) {
    // The packed hours of each local day (365 rows for a year, not 105,120 intervals), streamed from storage
    // into the body a day at a time.
    HistoryWriter writer(body, static_cast<std::size_t>((q.to_ms - q.from_ms) / 3'600'000 + 2));
    store_.ForEachDayHours(site.id, *zone, zone->LocalDate(q.from_ms), zone->LocalDate(q.to_ms - 1),
                           [&](const std::vector<Bucket>& hours) {
                             for (const auto& b : hours) {
                               if (b.end_ms > q.from_ms && b.start_ms < q.to_ms) writer.Add(b);
                             }
                           });
    return HttpResponse::Text(writer.Finish(), "application/json");
  }
  std::vector<Bucket> buckets;
  if (q.resolution == Resolution::kFiveMinutes) {
    buckets = BucketIntervals(*zone, q.resolution,
                              store_.Intervals(site.id, BucketStartMs(*zone, q.resolution, q.from_ms), q.to_ms));
  } else {
    CivilDate first = zone->LocalDate(q.from_ms);
    CivilDate last = zone->LocalDate(q.to_ms - 1);
    if (q.resolution == Resolution::kMonth) {
      first = FirstOfMonth(first);
      last = AddDays(AddMonths(FirstOfMonth(last), 1), -1);
    }
    buckets = BucketDays(*zone, q.resolution, store_.DailyFlows(site.id, first, last));
  }
  return HttpResponse::Text(HistoryJson(body, buckets), "application/json");
}

HttpResponse PowerwallRoutes::Outages(const HttpRequest& request) {
  const auto [site, zone] = Resolve(request, store_, zones_);
  const TimeRange range = ParseOutageRange(request, *zone, sdk::ToEpochMs(clock_.Now()));
  const auto outages = store_.Outages(site.id, range.from_ms, range.to_ms);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  std::int64_t total_s = 0;
  for (const auto& outage : outages) {
    auto item = NewObject();
    item->set("started", IsoUtc(outage.started_ms));
    item->set("ended", IsoUtc(outage.started_ms + outage.duration_s * 1000));
    item->set("local_start", zone->FormatRfc3339(outage.started_ms));
    item->set("duration_s", outage.duration_s);
    total_s += outage.duration_s;
    items->add(item);
  }
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("energy_site_id", site.id);
  out.set("from", IsoUtc(range.from_ms));
  out.set("to", IsoUtc(range.to_ms));
  out.set("items", items);
  out.set("total", static_cast<int>(outages.size()));
  out.set("total_duration_s", total_s);
  return HttpResponse::Json(out);
}

}  // namespace tessie::powerwall
