// The control API (/sim/...) of Simulator: clock, ground truth, billing, faults, tokens, request log, reset.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/NumberParser.h>

#include <cmath>

#include "render.h"
#include "simulator.h"
#include "time_zone.h"

namespace tessie::sim {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

const std::vector<std::string> kDefaultScopes = {
    "openid",       "offline_access",        "user_data",         "vehicle_device_data", "vehicle_location",
    "vehicle_cmds", "vehicle_charging_cmds", "energy_device_data"};

Object::Ptr NewObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

HttpResponse ControlError(int status, const std::string& message) {
  Object::Ptr body = NewObject();
  body->set("error", message);
  return JsonResponse(status, body);
}

Object::Ptr PointJson(const GeoPoint& p) {
  Object::Ptr o = NewObject();
  o->set("lat", p.lat);
  o->set("lon", p.lon);
  if (!p.name.empty()) o->set("name", p.name);
  return o;
}

// Highest step power and knot speed of the activity up to t_s (the whole activity once it has ended).
std::pair<double, double> MaxPowerAndSpeed(const Activity& a, double t_s) {
  if (t_s >= a.end_s) return {a.max_power_kw, a.max_speed_kmh};
  double power_kw = 0;
  double speed_kmh = a.kind == ScheduleEvent::Kind::kDrive ? a.SpeedAtKmh(t_s) : 0;
  const Profile& p = a.profile;
  for (size_t i = 0; i < p.power_kw.size() && a.start_s + static_cast<double>(i) * p.step_s <= t_s; ++i) {
    power_kw = std::max(power_kw, p.power_kw[i]);
    if (!p.speed_kmh.empty()) speed_kmh = std::max(speed_kmh, p.speed_kmh[i]);
  }
  return {power_kw, speed_kmh};
}

// A drive or charge up to now_s: the whole activity once it has ended, else its part so far.
Object::Ptr ActivityJson(const Activity& a, double battery_kwh, double now_s) {
  const bool drive = a.kind == ScheduleEvent::Kind::kDrive;
  const bool ended = now_s >= a.end_s;
  const double end_s = std::min(a.end_s, now_s);
  const double duration_s = end_s - a.start_s;
  const double energy_kwh = ended ? a.energy_kwh : a.EnergyAtKwh(end_s);
  const auto [max_power_kw, max_speed_kmh] = MaxPowerAndSpeed(a, end_s);
  Object::Ptr o = NewObject();
  o->set("start", FormatUtc(a.start_s));
  o->set("end", FormatUtc(end_s));
  o->set("duration_s", duration_s);
  o->set("start_soc_pct", a.start_soc * 100);
  if (drive) {
    const double distance_km = ended ? a.end_odometer_km - a.start_odometer_km : a.DistanceAtKm(end_s);
    o->set("end_soc_pct", (ended ? a.end_soc : a.start_soc - energy_kwh / battery_kwh) * 100);
    o->set("distance_km", distance_km);
    o->set("energy_used_kwh", energy_kwh);
    o->set("start_odometer_km", a.start_odometer_km);
    o->set("end_odometer_km", ended ? a.end_odometer_km : a.start_odometer_km + distance_km);
    o->set("avg_speed_kmh", duration_s > 0 ? distance_km / (duration_s / 3600) : 0.0);
    o->set("max_speed_kmh", max_speed_kmh);
    o->set("avg_power_kw", duration_s > 0 ? energy_kwh / (duration_s / 3600) : 0.0);
    o->set("max_power_kw", max_power_kw);
    o->set("from", PointJson(a.from));
    o->set("to", PointJson(a.to));
    Array::Ptr path = new Array;
    for (const GeoPoint& point : a.path) path->add(PointJson(point));
    o->set("path", path);
  } else {
    o->set("end_soc_pct", (ended ? a.end_soc : a.start_soc + energy_kwh / battery_kwh) * 100);
    o->set("energy_added_kwh", energy_kwh);
    o->set("power_kw", a.power_kw);
    o->set("avg_power_kw", duration_s > 0 ? energy_kwh / (duration_s / 3600) : 0.0);
    o->set("max_power_kw", max_power_kw);
    o->set("kind", std::string(a.dc ? "DC" : "AC"));
    o->set("location", PointJson(a.from));
    o->set("site", a.site_id != 0 ? Poco::Dynamic::Var(static_cast<Poco::Int64>(a.site_id)) : Poco::Dynamic::Var());
    o->set("target_soc_pct", a.target_soc * 100);
    o->set("target_reached", a.target_reached);
  }
  return o;
}

Object::Ptr FlowsJson(const std::string& date, bool complete, const EnergyFlows& f) {
  Object::Ptr o = NewObject();
  o->set("date", date);
  o->set("complete", complete);
  o->set("solar_wh", f.SolarWh());
  o->set("home_wh", f.HomeWh());
  o->set("battery_charged_wh", f.solar_to_battery_wh);
  o->set("battery_discharged_wh", f.battery_to_home_wh);
  o->set("grid_imported_wh", f.grid_to_home_wh);
  o->set("grid_exported_wh", f.solar_to_grid_wh);
  o->set("solar_to_home_wh", f.solar_to_home_wh);
  o->set("solar_to_battery_wh", f.solar_to_battery_wh);
  o->set("solar_to_grid_wh", f.solar_to_grid_wh);
  o->set("battery_to_home_wh", f.battery_to_home_wh);
  o->set("grid_to_home_wh", f.grid_to_home_wh);
  return o;
}

}  // namespace

Object::Ptr Simulator::ClockJson() const {
  Object::Ptr o = NewObject();
  const double now_s = clock_.NowS();
  o->set("now", FormatUtc(now_s));
  o->set("epoch_s", now_s);
  o->set("speed", clock_.Speed());
  o->set("start", FormatUtc(scenario_.start_s));
  return o;
}

Poco::Dynamic::Var Simulator::SolarShareJson(const Activity& charge, double now_s) {
  if (charge.site_id == 0) return {};
  const std::string id = std::to_string(charge.site_id);
  EnergyModel* site = FindSite(id);
  if (site == nullptr) return {};
  const auto pct = site->ChargeSolarSharePct(charge.start_s, std::min(charge.end_s, now_s),
                                             [&charge](double t_s) { return charge.EnergyAtKwh(t_s); });
  return pct ? Poco::Dynamic::Var(*pct) : Poco::Dynamic::Var();
}

Object::Ptr Simulator::TruthJson(double now_s) {
  Object::Ptr truth = NewObject();
  truth->set("now", FormatUtc(now_s));
  Array::Ptr vehicles = new Array;
  for (const Vehicle& vehicle : vehicles_) {
    const VehicleSpec& spec = vehicle.model->Spec();
    const VehicleState state = vehicle.model->StateAt(now_s);
    Array::Ptr drives = new Array;
    Array::Ptr charges = new Array;
    Poco::Dynamic::Var in_progress;
    double driving_s = 0;
    double charging_s = 0;
    for (const Activity& a : vehicle.model->Activities()) {
      if (a.start_s > now_s) break;
      const bool drive = a.kind == ScheduleEvent::Kind::kDrive;
      (drive ? driving_s : charging_s) += std::min(a.end_s, now_s) - a.start_s;
      Object::Ptr json = ActivityJson(a, spec.battery_kwh, now_s);
      if (!drive) json->set("solar_share_pct", SolarShareJson(a, now_s));
      if (a.end_s > now_s) {
        json->set("type", std::string(drive ? "drive" : "charge"));
        in_progress = json;
      } else {
        (drive ? drives : charges)->add(json);
      }
    }
    const double elapsed_s = std::max(0.0, now_s - scenario_.start_s);
    Object::Ptr v = NewObject();
    v->set("id", static_cast<Poco::Int64>(spec.id));
    v->set("vin", spec.vin);
    v->set("display_name", spec.display_name);
    v->set("state", VehicleStateName(vehicle, now_s));
    v->set("soc_pct", state.soc * 100);
    v->set("odometer_km", state.odometer_km);
    v->set("latitude", state.lat);
    v->set("longitude", state.lon);
    v->set("charging_state", state.charging_state);
    v->set("drives", drives);
    v->set("charges", charges);
    v->set("in_progress", in_progress);
    v->set("driving_s", driving_s);
    v->set("charging_s", charging_s);
    v->set("parked_s", elapsed_s - driving_s);
    // Parked and not charging: the time a car can sleep (the asleep share is asleep_s / idle_s).
    v->set("idle_s", elapsed_s - driving_s - charging_s);
    v->set("asleep_s", vehicle.sleep->AsleepSecondsUntil(now_s));
    v->set("drain_kwh", state.drain_kwh);
    vehicles->add(v);
  }
  truth->set("vehicles", vehicles);

  Array::Ptr sites = new Array;
  for (auto& site : sites_) {
    const EnergySiteSpec& spec = site->Spec();
    Array::Ptr days = new Array;
    std::string date;
    EnergyFlows flows;
    const auto flush = [&](bool complete) {
      if (!date.empty()) days->add(FlowsJson(date, complete, flows));
    };
    site->ForEachCompletedStep(scenario_.start_s, now_s, now_s, [&](const SiteStep& step) {
      const std::string step_date = site->Zone().LocalDate(step.start_s);
      if (step_date != date) {
        flush(true);
        date = step_date;
        flows = {};
      }
      flows += step.flows;
    });
    flush(site->Zone().LocalDate(now_s) != date);
    Array::Ptr outages = new Array;
    for (const Outage& outage : spec.outages) {
      if (outage.start_s > now_s) continue;
      Object::Ptr o = NewObject();
      o->set("start", FormatUtc(outage.start_s));
      o->set("end", FormatUtc(outage.start_s + outage.duration_s));
      o->set("duration_s", outage.duration_s);
      o->set("complete", outage.start_s + outage.duration_s <= now_s);
      outages->add(o);
    }
    Object::Ptr s = NewObject();
    s->set("energy_site_id", static_cast<Poco::Int64>(spec.energy_site_id));
    s->set("time_zone", spec.time_zone);
    s->set("battery_soc_pct", site->SocPctAt(now_s));
    s->set("days", days);
    s->set("outages", outages);
    sites->add(s);
  }
  truth->set("energy_sites", sites);
  return truth;
}

Object::Ptr Simulator::FaultJson(const Fault& f) const {
  Object::Ptr o = NewObject();
  o->set("id", f.id);
  o->set("kind", f.kind);
  if (f.kind == "status") o->set("status", f.status);
  o->set("remaining", f.remaining);
  if (f.kind == "offline") o->set("until", FormatUtc(f.until_s));
  if (!f.path_contains.empty()) o->set("path_contains", f.path_contains);
  if (!f.vehicle.empty()) o->set("vehicle", f.vehicle);
  if (!f.category.empty()) o->set("category", f.category);
  if (f.kind == "rate_limit") o->set("retry_after_s", f.retry_after_s);
  if (f.kind == "timeout") o->set("delay_ms", f.delay_ms);
  if (f.kind == "region") o->set("base_url", f.base_url);
  return o;
}

Simulator::Fault Simulator::ParseFault(const Object& body, double now_s) {
  static const std::set<std::string> kKinds = {"status",    "rate_limit",     "timeout", "region",
                                               "malformed", "login_required", "offline"};
  Fault f;
  f.id = next_fault_id_++;
  f.kind = body.optValue<std::string>("kind", "");
  if (!kKinds.count(f.kind)) {
    throw std::invalid_argument(
        "kind must be one of status, rate_limit, timeout, region, malformed, login_required, offline");
  }
  f.status = body.optValue<int>("status", 503);
  if (f.kind == "status" && (f.status < 400 || f.status > 599)) throw std::invalid_argument("status must be 400..599");
  f.remaining = body.optValue<int>("count", 1);
  f.until_s = now_s + body.optValue<double>("duration_s", 3600);
  f.path_contains = body.optValue<std::string>("path_contains", "");
  f.vehicle = body.has("vehicle") ? body.get("vehicle").convert<std::string>() : "";
  f.category = body.optValue<std::string>("category", "");
  f.error = body.optValue<std::string>("error", "");
  f.base_url = body.optValue<std::string>("base_url", "https://fleet-api.prd.eu.vn.cloud.tesla.com");
  f.retry_after_s = body.optValue<int>("retry_after_s", 30);
  f.delay_ms = body.optValue<int>("delay_ms", 30000);
  if (f.kind == "offline") f.remaining = -1;
  return f;
}

HttpResponse Simulator::HandleControl(const HttpRequest& request, double now_s) {
  const std::string& path = request.path;
  const std::string& method = request.method;
  Object::Ptr body = new Object;
  if (!request.body.empty()) {
    try {
      body = Poco::JSON::Parser().parse(request.body).extract<Object::Ptr>();
    } catch (const std::exception&) {
      return ControlError(400, "the body must be a JSON object");
    }
  }
  try {
    if (path == "/sim/clock" && method == "GET") return JsonResponse(200, ClockJson());
    if (path == "/sim/clock" && method == "POST") {
      if (body->has("set")) clock_.Set(ParseRfc3339(body->getValue<std::string>("set")));
      if (body->has("advance_s")) clock_.Advance(body->getValue<double>("advance_s"));
      if (body->has("speed")) clock_.SetSpeed(body->getValue<double>("speed"));
      return JsonResponse(200, ClockJson());
    }
    if (path == "/sim/truth" && method == "GET") return JsonResponse(200, TruthJson(now_s));
    if (path == "/sim/billing" && method == "GET") return JsonResponse(200, billing_.ToJson());
    if (path == "/sim/faults") {
      if (method == "POST") {
        faults_.push_back(ParseFault(*body, now_s));
        return JsonResponse(201, FaultJson(faults_.back()));
      }
      if (method == "DELETE") faults_.clear();
      Array::Ptr list = new Array;
      for (const Fault& f : faults_) list->add(FaultJson(f));
      Object::Ptr out = NewObject();
      out->set("faults", list);
      return JsonResponse(200, out);
    }
    if (path == "/sim/tokens" && method == "POST") {
      std::vector<std::string> scopes = kDefaultScopes;
      if (body->has("scopes")) {
        scopes.clear();
        for (const auto& scope : *body->getArray("scopes")) scopes.push_back(scope.convert<std::string>());
      }
      const TokenGrant grant = tokens_.IssueGrant(scopes, now_s);
      Object::Ptr out = NewObject();
      out->set("access_token", grant.access_token);
      out->set("refresh_token", grant.refresh_token);
      out->set("expires_in", static_cast<Poco::Int64>(std::llround(grant.expires_in_s)));
      out->set("client_id", scenario_.client_id);
      out->set("token_type", std::string("Bearer"));
      return JsonResponse(200, out);
    }
    if (path == "/sim/tokens/revoke" && method == "POST") {
      tokens_.RevokeAll();
      return JsonResponse(200, NewObject());
    }
    if (path == "/sim/requests" && method == "GET") {
      const auto limit_it = request.query.find("limit");
      const size_t limit = limit_it == request.query.end()
                               ? log_.size()
                               : static_cast<size_t>(Poco::NumberParser::parse(limit_it->second));
      Array::Ptr list = new Array;
      for (size_t i = log_.size() - std::min(limit, log_.size()); i < log_.size(); ++i) {
        const LogEntry& e = log_[i];
        Object::Ptr o = NewObject();
        o->set("time", FormatUtc(e.t_s));
        o->set("epoch_ms", static_cast<Poco::Int64>(std::llround(e.t_s * 1000)));
        o->set("method", e.method);
        o->set("path", e.path);
        o->set("status", e.status);
        o->set("vehicle", e.vin.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(e.vin));
        o->set("category", e.category);
        o->set("billed", e.billed);
        list->add(o);
      }
      Object::Ptr out = NewObject();
      out->set("requests", list);
      return JsonResponse(200, out);
    }
    if (path == "/sim/reset" && method == "POST") {
      clock_.Set(scenario_.start_s);
      for (Vehicle& vehicle : vehicles_) vehicle.sleep->Reset();
      billing_.Reset();
      limiter_.Reset();
      faults_.clear();
      log_.clear();
      return JsonResponse(200, ClockJson());
    }
  } catch (const std::exception& e) {
    return ControlError(400, e.what());
  }
  return ControlError(404, "unknown control call " + method + " " + path + " (see sim/README.md)");
}

}  // namespace tessie::sim
