// The solar plugin: keeps a copy of each site's 5-minute intervals and of the charging sessions, computes
// the solar share of every session charged at home, and serves solar/home energy statistics.
#include <Poco/JSON/Object.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>

#include "openapi_part.hpp"
#include "query.hpp"
#include "settings.hpp"
#include "share_service.hpp"
#include "solar_store.hpp"
#include "stats.hpp"
#include "tessie/local_time.hpp"
#include "tessie/sdk/events/charging.hpp"
#include "tessie/sdk/events/energy.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/plugin.hpp"

namespace tessie::solar {
namespace {

using namespace tessie::sdk;

double Round(double v, double factor) { return std::round(v * factor) / factor; }
Poco::Dynamic::Var OptNumber(const std::optional<double>& v, double factor) {
  return v ? Poco::Dynamic::Var(Round(*v, factor)) : Poco::Dynamic::Var();
}
std::string Pct(double pct) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %%", pct);
  return buf;
}

// Threads: energy.intervals arrives on the powerwall plugin's job thread, charging.solar_share_request on the
// charging plugin's publisher threads (possibly at the same time), REST handlers on HTTP workers. `mutex_`
// serialises the ShareService (every write to solar_* tables goes through it); REST handlers only read the
// database and the settings, which are immutable after Configure. ChargingSolarShare events are published
// after `mutex_` is released (the charging plugin stores them on this thread). Events go one way: this plugin
// answers requests and publishes shares, and never hears the charging.session_closed that follows.
class SolarPlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    return {"solar",
            "0.1.0",
            "solar share of home charging sessions and solar/home energy statistics from the powerwall plugin's "
            "5-minute intervals",
            {},
            Schema()};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    ctx_ = &ctx;
    settings_ = ReadSettings(ctx.Config());
    store_ = std::make_unique<SolarStore>(ctx.Db(), ctx.Time());
    service_ = std::make_unique<ShareService>(settings_.share, *store_);
    ctx.Db().Migrate(SolarStore::Migrations());
    ctx.Http().Add("GET", "/api/energy/solar/stats", [this](const HttpRequest& r) { return Stats(r); },
                   {.summary = "solar production, home consumption, self-consumption and savings of a period"});
  }

  void Start(Context& ctx) override {
    ctx.Events().Subscribe<events::EnergyIntervals>([this](const events::EnergyIntervals& e) { OnIntervals(e); });
    ctx.Events().Subscribe<events::ChargingSolarShareRequest>(
        [this](const events::ChargingSolarShareRequest& r) { OnShareRequest(r); });
  }

  void Stop() override {}

 private:
  std::int64_t NowMs() const { return ToEpochMs(ctx_->Time().Now()); }

  void OnIntervals(const events::EnergyIntervals& e) {
    std::vector<events::ChargingSolarShare> shares;
    try {
      std::lock_guard lock(mutex_);
      shares = service_->OnIntervals(e, NowMs());
    } catch (const std::exception& ex) {
      throw std::runtime_error("energy site " + std::to_string(e.energy_site_id) + ": could not store " +
                               std::to_string(e.rows.size()) + " interval(s): " + ex.what());
    }
    Publish(shares);
  }

  // A session was closed: the share known now is the answer (the charging plugin stores it before it publishes
  // the session); one that needs intervals still to come is published as ChargingSolarShare once they are in.
  void OnShareRequest(const events::ChargingSolarShareRequest& r) {
    const auto& e = r.session;
    std::vector<events::ChargingSolarShare> shares;
    try {
      std::lock_guard lock(mutex_);
      shares = service_->OnSession(e, NowMs());
    } catch (const std::exception& ex) {
      throw std::runtime_error("charging session " + std::to_string(e.session_id) + " (" + e.vin +
                               "): could not compute its solar share: " + ex.what());
    }
    for (const auto& s : shares) {
      LogShare(s);
      if (r.answer) *r.answer = s;
    }
  }

  void Publish(const std::vector<events::ChargingSolarShare>& shares) {
    for (const auto& s : shares) {
      LogShare(s);
      ctx_->Events().Publish(s);
    }
  }

  void LogShare(const events::ChargingSolarShare& s) {
    ctx_->Log().Info("charging session " + std::to_string(s.session_id) + ": solar share " + Pct(s.solar_percentage));
  }

  HttpResponse Stats(const HttpRequest& r) {
    const StatsQuery q = ParseStatsQuery(r);
    const auto sites = store_->Sites();
    std::string known;
    for (const auto& [id, zone] : sites) known += (known.empty() ? "" : ", ") + std::to_string(id);
    std::optional<std::pair<std::int64_t, std::string>> site;
    const auto wanted = q.site_id ? q.site_id : settings_.share.site_id;
    for (const auto& s : sites) {
      if (wanted ? s.first == *wanted : sites.size() == 1) site = s;
    }
    if (!site) {
      if (sites.empty())
        throw HttpError::NotFound(
            "no energy site data yet: the powerwall plugin has not reported any 5-minute intervals; try again after "
            "its first sync");
      if (wanted)
        throw HttpError::NotFound("no data for energy site " + std::to_string(*wanted) + " (known: " + known + ")");
      throw HttpError::BadRequest("there are several energy sites: pass site=<id> (one of " + known + ")");
    }
    const std::string zone_name = settings_.time_zone    ? *settings_.time_zone
                                  : site->second.empty() ? std::string("UTC")
                                                         : site->second;
    std::optional<local_time::Zone> zone;
    try {
      zone.emplace(zone_name);
    } catch (const std::invalid_argument&) {
      zone.emplace("UTC");  // a zone name ICU does not know, as reported by the site: days in UTC
    }
    const local_time::CivilDate date = q.date.value_or(zone->LocalDate(NowMs()));
    Window window = PeriodWindow(q.period, date, *zone);
    const EnergyTotals totals = store_->Totals(site->first, window);
    if (q.period == Period::kLifetime) {
      if (auto span = store_->Span(site->first)) window = {span->first, span->second};
    }
    const EnergyStats s = DeriveStats(totals, settings_.share.prices);
    auto time = [](const std::optional<std::int64_t>& ms) {
      return ms ? Poco::Dynamic::Var(FormatIsoUtc(*ms)) : Poco::Dynamic::Var();
    };
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("site", site->first);
    o->set("period", std::string(PeriodName(q.period)));
    o->set("date", q.period == Period::kLifetime ? Poco::Dynamic::Var() : Poco::Dynamic::Var(ToString(date)));
    o->set("time_zone", zone->Name());
    o->set("from", time(window.from_ms));
    o->set("to", time(window.to_ms));
    o->set("intervals", totals.intervals);
    o->set("produced_kwh", Round(s.produced_kwh, 1000));
    o->set("consumed_kwh", Round(s.consumed_kwh, 1000));
    o->set("exported_kwh", Round(s.exported_kwh, 1000));
    o->set("imported_kwh", Round(s.imported_kwh, 1000));
    o->set("battery_in_kwh", Round(s.battery_in_kwh, 1000));
    o->set("battery_out_kwh", Round(s.battery_out_kwh, 1000));
    o->set("self_consumption_pct", OptNumber(s.self_consumption_pct, 10));
    o->set("self_powered_pct", OptNumber(s.self_powered_pct, 10));
    o->set("money_saved", OptNumber(s.money_saved, 100));
    o->set("currency", settings_.share.prices.currency);
    return HttpResponse::Json(o);
  }

  Context* ctx_ = nullptr;
  Settings settings_;
  std::unique_ptr<SolarStore> store_;
  std::mutex mutex_;
  std::unique_ptr<ShareService> service_;  // guarded by mutex_
};

}  // namespace
}  // namespace tessie::solar

TESSIE_PLUGIN(tessie::solar::SolarPlugin)
