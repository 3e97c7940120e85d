// The charging plugin: wires the session detector, the tariff and the store to the host's context.
#include <Poco/JSON/Array.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>

#include "charging_store.hpp"
#include "openapi_part.hpp"
#include "query.hpp"
#include "session_detector.hpp"
#include "session_events.hpp"
#include "settings.hpp"
#include "stats.hpp"
#include "tariff.hpp"
#include "tessie/sdk/events/charging.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/plugin.hpp"

namespace tessie::charging {
namespace {

using namespace tessie::sdk;

std::string Kwh(double kwh) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f kWh", kwh);
  return buf;
}

// Threads: vehicle.state and charging.solar_share handlers run on their publishers' threads (possibly
// several at once), REST handlers on HTTP workers. `mutex_` guards the detector and serialises the
// writes that must agree with it; the tariff and settings are immutable after Configure; REST handlers only
// read the database. Events are published after `mutex_` is released: the solar plugin answers the share
// request on this thread, and its answer is stored under `mutex_` (SessionEvents says what goes out when).
class ChargingPlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    return {"charging",
            "0.1.0",
            "charging sessions from the vehicle plugin's samples: energy, curve, cost, stats",
            {},
            Schema()};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    ctx_ = &ctx;
    Settings settings = ReadSettings(ctx.Config());
    tariff_ = std::make_unique<Tariff>(settings.tariff);
    detector_ = SessionDetector(settings.detector);
    store_ = std::make_unique<ChargingStore>(ctx.Db());
    session_events_ = std::make_unique<SessionEvents>(ctx.Events(), [this](const events::ChargingSolarShare& share) {
      std::lock_guard lock(mutex_);
      return store_->ApplySolarShare(share, ToEpochMs(ctx_->Time().Now()));
    });
    ctx.Db().Migrate(ChargingStore::Migrations());

    ctx.Http().Add("GET", "/api/charging/sessions",
                   [this](const HttpRequest& r) {
                     return HttpResponse::Json(store_->ListSessions(ParseSessionQuery(r, tariff_->Zone())));
                   },
                   {.summary = "charging sessions, newest first"});
    ctx.Http().Add("GET", "/api/charging/sessions/:id",
                   [this](const HttpRequest& r) {
                     const auto id = ParseSessionId(r.Param("id"));
                     auto session = store_->GetSession(id);
                     if (!session) throw HttpError::NotFound("no charging session " + std::to_string(id));
                     return HttpResponse::Json(session);
                   },
                   {.summary = "one charging session with its curve"});
    ctx.Http().Add("GET", "/api/charging/stats", [this](const HttpRequest& r) { return Stats(r); },
                   {.summary = "charging per vehicle and month"});
  }

  void Start(Context& ctx) override {
    int open = 0;
    {
      std::lock_guard lock(mutex_);
      for (auto& track : store_->LoadTracks()) {
        open += track.open ? 1 : 0;
        detector_.Restore(std::move(track));
      }
    }
    if (open > 0) ctx.Log().Info("continuing " + std::to_string(open) + " open charging session(s)");
    ctx.Events().Subscribe<events::VehicleState>([this](const events::VehicleState& e) { OnVehicleState(e); });
    ctx.Events().Subscribe<events::ChargingSolarShare>(
        [this](const events::ChargingSolarShare& e) { session_events_->OnShareChanged(e); });
  }

  void Stop() override {}

 private:
  void OnVehicleState(const events::VehicleState& e) {
    if (!e.has_data) return;
    std::vector<events::ChargingSessionClosed> closed;
    {
      std::lock_guard lock(mutex_);
      std::optional<VehicleTrack> before;
      if (const auto* t = detector_.Track(e.vehicle_id)) before = *t;
      auto actions = detector_.Feed(e);
      const VehicleTrack* after = detector_.Track(e.vehicle_id);
      if (before && before->last && after->last && before->last->ts_ms == after->last->ts_ms) return;  // stale
      try {
        auto applied = store_->Apply(actions, *after, *tariff_, ToEpochMs(ctx_->Time().Now()));
        if (applied.opened_session_id) detector_.AssignSessionId(e.vehicle_id, *applied.opened_session_id);
        closed = std::move(applied.closed);
      } catch (const std::exception& ex) {
        // Keep the detector in step with what is stored: the next sample is judged against the last stored.
        if (before)
          detector_.Restore(std::move(*before));
        else
          detector_.Forget(e.vehicle_id);
        throw std::runtime_error("vehicle " + e.vin + ": could not store the charging state of the sample at " +
                                 FormatIsoUtc(e.timestamp_ms) + ": " + ex.what());
      }
      LogActions(e, actions);
    }
    for (auto& event : closed) session_events_->OnClosed(std::move(event));
  }

  void LogActions(const events::VehicleState& e, const std::vector<Action>& actions) {
    for (const auto& a : actions) {
      switch (a.kind) {
        case ActionKind::kOpen:
          ctx_->Log().Info("vehicle " + e.vin + ": charging session started (" + a.record.charger_kind + ")");
          break;
        case ActionKind::kClose:
          ctx_->Log().Info("vehicle " + e.vin + ": charging session ended, " + Kwh(a.record.energy_added_kwh));
          break;
        case ActionKind::kEstimated:
          ctx_->Log().Info("vehicle " + e.vin + ": recorded a charge missed while unreachable, about " +
                           Kwh(a.record.energy_added_kwh));
          break;
        case ActionKind::kDiscard:
          ctx_->Log().Debug("vehicle " + e.vin + ": dropped a charging session without energy");
          break;
        case ActionKind::kUpdate:
          break;
      }
    }
  }

  HttpResponse Stats(const HttpRequest& r) {
    const auto query = ParseStatsQuery(r, tariff_->Zone());
    const auto months = AggregateByMonth(store_->StatsSessions(query), tariff_->Zone());
    auto round = [](double v, double f) { return std::round(v * f) / f; };
    auto opt = [&](const std::optional<double>& v, double f) {
      return v ? Poco::Dynamic::Var(round(*v, f)) : Poco::Dynamic::Var();
    };
    Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
    for (const auto& m : months) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("vehicle_id", m.vehicle_id);
      o->set("vin", m.vin);
      o->set("month", m.month);
      o->set("sessions", m.sessions);
      o->set("energy_kwh", round(m.energy_kwh, 1000));
      o->set("cost", opt(m.cost, 100));
      o->set("ac_kwh", round(m.ac_kwh, 1000));
      o->set("dc_kwh", round(m.dc_kwh, 1000));
      o->set("avg_power_kw", opt(m.avg_power_kw, 100));
      o->set("solar_share_pct", opt(m.solar_share_pct, 10));
      items->add(o);
    }
    Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    out->set("time_zone", tariff_->Zone().Name());
    out->set("currency", tariff_->Currency());
    out->set("items", items);
    return HttpResponse::Json(out);
  }

  Context* ctx_ = nullptr;
  std::unique_ptr<Tariff> tariff_;
  std::unique_ptr<ChargingStore> store_;
  std::unique_ptr<SessionEvents> session_events_;
  std::mutex mutex_;
  SessionDetector detector_;  // guarded by mutex_
};

}  // namespace
}  // namespace tessie::charging

TESSIE_PLUGIN(tessie::charging::ChargingPlugin)
