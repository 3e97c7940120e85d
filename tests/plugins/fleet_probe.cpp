// Exposes the host's Fleet API client over REST so integration tests can drive it through the SDK.
#include <Poco/JSON/Array.h>

#include "tessie/sdk/plugin.hpp"

namespace {
using namespace tessie::sdk;

std::int64_t Id(const HttpRequest& r, const char* name) {
  try {
    return std::stoll(r.Param(name));
  } catch (const std::invalid_argument&) {
    throw HttpError::BadRequest(std::string(name) + " must be a number");
  }
}

HttpResponse Error(const FleetError& e) {
  static const char* kinds[] = {"not_connected", "unauthorized", "forbidden", "not_found", "asleep", "rate_limited",
                                "budget",        "server",       "timeout",   "malformed", "other"};
  Poco::JSON::Object o;
  o.set("error", std::string(kinds[static_cast<int>(e.Kind())]));
  o.set("status", e.Status());
  o.set("retry_after_s", e.RetryAfterSeconds());
  o.set("message", std::string(e.what()));
  return HttpResponse::Json(o, 502);
}

template <class F>
HttpResponse Guard(F f) {
  try {
    return f();
  } catch (const FleetError& e) {
    return Error(e);
  }
}

class FleetProbe final : public Plugin {
 public:
  PluginInfo Info() const override {
    return {"fleet_probe", "0.1.0", "test plugin: the Fleet API client over REST", {}, {}};
  }
  void Configure(Context& ctx) override {
    auto& api = ctx.Tesla();
    ctx.Http().Add("GET", "/api/probe/products", [&api](const HttpRequest&) {
      return Guard([&] {
        const auto p = api.GetProducts();
        Poco::JSON::Object o;
        Poco::JSON::Array::Ptr vehicles = new Poco::JSON::Array;
        for (const auto& v : p.vehicles) {
          Poco::JSON::Object::Ptr x = new Poco::JSON::Object;
          x->set("id", v.id);
          x->set("vin", v.vin);
          x->set("state", v.state);
          vehicles->add(x);
        }
        Poco::JSON::Array::Ptr sites = new Poco::JSON::Array;
        for (const auto& s : p.energy_sites) sites->add(s.energy_site_id);
        o.set("vehicles", vehicles);
        o.set("energy_sites", sites);
        return HttpResponse::Json(o);
      });
    });
    ctx.Http().Add("GET", "/api/probe/vehicles/:id", [&api](const HttpRequest& r) {
      return Guard([&] {
        const auto v = api.GetVehicle(Id(r, "id"));
        Poco::JSON::Object o;
        o.set("state", v.state);
        return HttpResponse::Json(o);
      });
    });
    ctx.Http().Add("GET", "/api/probe/vehicles/:id/data", [&api](const HttpRequest& r) {
      return Guard([&] {
        const auto d = api.GetVehicleData(Id(r, "id"));
        Poco::JSON::Object o;
        o.set("battery_level", d.battery_level ? Poco::Dynamic::Var(*d.battery_level) : Poco::Dynamic::Var());
        o.set("odometer_km", d.odometer_km ? Poco::Dynamic::Var(*d.odometer_km) : Poco::Dynamic::Var());
        o.set("charging_state", d.charging_state ? Poco::Dynamic::Var(*d.charging_state) : Poco::Dynamic::Var());
        o.set("latitude", d.latitude ? Poco::Dynamic::Var(*d.latitude) : Poco::Dynamic::Var());
        return HttpResponse::Json(o);
      });
    });
    ctx.Http().Add("POST", "/api/probe/vehicles/:id/wake", [&api](const HttpRequest& r) {
      return Guard([&] {
        Poco::JSON::Object o;
        o.set("state", api.WakeUp(Id(r, "id")).state);
        return HttpResponse::Json(o);
      });
    });
    ctx.Http().Add("GET", "/api/probe/sites/:id/live", [&api](const HttpRequest& r) {
      return Guard([&] {
        const auto l = api.GetLiveStatus(Id(r, "id"));
        Poco::JSON::Object o;
        o.set("solar_power_w", l.solar_power_w ? Poco::Dynamic::Var(*l.solar_power_w) : Poco::Dynamic::Var());
        o.set("grid_status", l.grid_status ? Poco::Dynamic::Var(*l.grid_status) : Poco::Dynamic::Var());
        return HttpResponse::Json(o);
      });
    });
  }
  void Start(Context&) override {}
  void Stop() override {}
};
}  // namespace

TESSIE_PLUGIN(FleetProbe)
