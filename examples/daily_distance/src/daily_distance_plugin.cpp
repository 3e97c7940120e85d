// The example plugin of docs/plugins.md: how far each car went per day. It shows every part a plugin has —
// config, a table, an event subscription, a REST route, a periodic job, a Home Assistant sensor over MQTT —
// and keeps its logic in a plain class (day_distance.hpp) that a unit test builds directly.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <mutex>
#include <limits>
#include <map>

#include "day_distance.hpp"
#include "openapi_part.hpp"  // generated from ../openapi.yaml by tessie_add_plugin(... OPENAPI ...)
#include "tessie/local_time.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/events/vehicle.hpp"
#include "tessie/sdk/ha_discovery.hpp"
#include "tessie/sdk/plugin.hpp"
#include "tessie/sdk/query.hpp"

namespace tessie::daily_distance {
namespace {

using namespace tessie::sdk;

// 1. The table. The name starts with the plugin's; a migration is never edited once shipped, only added to.
const std::vector<Migration> kMigrations = {
    {1, "days",
     "CREATE TABLE daily_distance_days (vehicle_id BIGINT NOT NULL, day TEXT NOT NULL, vin TEXT NOT NULL, "
     "first_km {{real}} NOT NULL, last_km {{real}} NOT NULL, PRIMARY KEY (vehicle_id, day))"},
};

// Keeps the lowest and highest reading of the day (CASE rather than MIN/MAX: the same SQL on both databases).
constexpr const char* kRecordSql =
    "INSERT INTO daily_distance_days (vehicle_id, day, vin, first_km, last_km) VALUES (?, ?, ?, ?, ?) "
    "ON CONFLICT (vehicle_id, day) DO UPDATE SET "
    "first_km = CASE WHEN excluded.first_km < daily_distance_days.first_km "
    "THEN excluded.first_km ELSE daily_distance_days.first_km END, "
    "last_km = CASE WHEN excluded.last_km > daily_distance_days.last_km "
    "THEN excluded.last_km ELSE daily_distance_days.last_km END";

std::vector<DayOdometer> ReadDays(const SqlResult& result) {
  std::vector<DayOdometer> days;
  for (const auto& row : result.rows) days.push_back({row.String(0), row.Double(1), row.Double(2)});
  return days;
}

class DailyDistancePlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    // 2. The config schema: the host checks plugins.daily_distance against it before anything starts.
    return {"daily_distance",
            "1.0.0",
            "how far each car went per day (the example plugin of docs/plugins.md)",
            {"vehicle"},  // started after the plugin whose events it reads
            {ConfigField::String("time_zone", "IANA time zone in which days begin")
                 .Default("UTC")
                 .Validate([](const Poco::Dynamic::Var& v) {
                   return local_time::Zone::IsKnown(v.toString()) ? "" : "is not a known IANA time zone";
                 }),
             ConfigField::Int("keep_days", "days of history kept").Default(400).Validate([](const Poco::Dynamic::Var& v) {
               return v.convert<Poco::Int64>() >= 1 ? "" : "must be at least 1";
             })}};
  }

  void Configure(Context& ctx) override {
    ctx_ = &ctx;
    zone_.emplace(ctx.Config().GetString("time_zone"));
    ctx.Db().Migrate(kMigrations);
    // 3. A route, described in ../openapi.yaml. Handlers run on the HTTP threads: they only read.
    ctx.Events().Publish(events::OpenApiPart{kOpenApiYaml});
    ctx.Http().Add("GET", "/api/daily_distance/:vehicle_id", [this](const HttpRequest& r) { return Days(r); });
  }

  void Start(Context& ctx) override {
    // 4. Events: every stored sample of the vehicle plugin, on its job thread, in time order per car.
    ctx.Events().Subscribe<events::VehicleState>([this](const events::VehicleState& s) { OnSample(s); });
    // 5. A job: prune old days. The scheduler spreads and retries it; the host stops it with the plugin.
    ctx.Jobs().Every({.name = "prune", .interval = std::chrono::hours(6)}, [this](JobRun&) { Prune(); });
    // 6. Home Assistant sends its birth message or the broker comes back: send discovery again.
    ctx.Mqtt().OnRepublish([this] {
      std::map<std::string, Car> cars;
      {
        std::lock_guard lock(m_);
        cars = cars_;
      }
      for (const auto& [vin, car] : cars) Publish(vin, car, /*discovery=*/true);
    });
  }

  void Stop() override {}

 private:
  struct Car {
    std::string name;
    double today_km = 0;
  };

  void OnSample(const events::VehicleState& s) {
    if (!s.has_data || !s.data.odometer_km) return;
    const std::string day = local_time::ToString(zone_->LocalDate(s.timestamp_ms));
    const double km = *s.data.odometer_km;
    double today_km = 0;
    ctx_->Db().InTransaction([&](Transaction& tx) {
      tx.Execute(kRecordSql, {s.vehicle_id, day, s.vin, km, km});
      auto today = ReadDays(tx.Query(
          "SELECT day, first_km, last_km FROM daily_distance_days WHERE vehicle_id = ? AND day = ?",
          {s.vehicle_id, day}));
      auto before = tx.Query(
          "SELECT last_km FROM daily_distance_days WHERE vehicle_id = ? AND day < ? ORDER BY day DESC LIMIT 1",
          {s.vehicle_id, day});
      today_km = DistanceToday(today.at(0), before.rows.empty() ? std::nullopt
                                                                : std::optional<double>(before.rows[0].Double(0)));
    });
    const Car car{s.display_name.empty() ? s.vin : s.display_name, today_km};
    bool discovery = false;  // a new car, or one that was renamed: (re)send its discovery config
    {
      std::lock_guard lock(m_);
      auto [it, added] = cars_.try_emplace(s.vin, car);
      discovery = added || it->second.name != car.name;
      it->second = car;
    }
    Publish(s.vin, car, discovery);
  }

  // The sensor joins the car's own device in Home Assistant: the same identifiers as the vehicle plugin's
  // device ("tessie_<vin>"), published under a discovery id of this plugin's own. Topics given to Publish are
  // relative to the base topic; those inside a discovery config are whole.
  void Publish(const std::string& vin, const Car& car, bool discovery) {
    auto& mqtt = ctx_->Mqtt();
    const std::string topic = "daily_distance/" + vin + "/today";
    if (discovery) PublishDiscovery(vin, car.name, mqtt.BaseTopic() + "/" + topic);
    mqtt.Publish(topic, ha::Number(car.today_km, 1));
  }

  void PublishDiscovery(const std::string& vin, const std::string& name, const std::string& state_topic) {
    auto& mqtt = ctx_->Mqtt();
    const std::string device = "tessie_" + ha::Slug(vin);
    const ha::Entity entity("distance_today", "sensor", "Distance today", "distance", "km", "total_increasing",
                            "mdi:map-marker-distance", false, 1);
    Poco::JSON::Object::Ptr components = new Poco::JSON::Object;
    components->set(entity.key, ha::Component(entity, device, "tesla_" + ha::Slug(name), state_topic));
    const ha::Device ha_device{device, name, "", vin, ""};
    mqtt.PublishDiscovery(device + "_daily_distance", *ha::DeviceConfig(ha_device, TESSIE_SDK_VERSION_STRING,
                                                                        mqtt.AvailabilityTopic(), components));
  }

  // GET /api/daily_distance/:vehicle_id?from=2026-06-01&to=2026-06-30 (days in the plugin's time zone).
  HttpResponse Days(const HttpRequest& r) const {
    const auto id = query::ParseInt(r.Param("vehicle_id"), 1, std::numeric_limits<std::int64_t>::max());
    if (!id) throw query::BadParameter("vehicle_id", "a vehicle id", r.Param("vehicle_id"));
    const auto from_date = query::DateParam(r, "from"), to_date = query::DateParam(r, "to");
    const std::string from = from_date ? local_time::ToString(*from_date) : "0000-01-01";
    const std::string to = to_date ? local_time::ToString(*to_date) : "9999-12-31";
    // The day before `from` too: the first day's distance runs from its last reading.
    auto days = ReadDays(ctx_->Db().Query(
        "SELECT day, first_km, last_km FROM daily_distance_days WHERE vehicle_id = ? AND day <= ? ORDER BY day",
        {*id, to}));
    Poco::JSON::Array::Ptr out = new Poco::JSON::Array;
    for (const auto& d : Distances(days)) {
      if (d.day < from) continue;
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("day", d.day);
      o->set("km", d.km);
      out->add(o);
    }
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    body.set("vehicle_id", *id);
    body.set("time_zone", zone_->Name());
    body.set("days", out);
    return HttpResponse::Json(body);
  }

  void Prune() {
    const auto keep = ctx_->Config().GetInt("keep_days");
    const auto today = zone_->LocalDate(ToEpochMs(ctx_->Time().Now()));
    ctx_->Db().Execute("DELETE FROM daily_distance_days WHERE day < ?",
                       {local_time::ToString(local_time::AddDays(today, -keep))});
  }

  Context* ctx_ = nullptr;
  std::optional<local_time::Zone> zone_;
  std::mutex m_;  // the sample handler (vehicle job thread) and the republish hook (MQTT thread) share cars_
  std::map<std::string, Car> cars_;  // by VIN
};

}  // namespace
}  // namespace tessie::daily_distance

TESSIE_PLUGIN(tessie::daily_distance::DailyDistancePlugin)
