#include "vehicle_routes.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include "history_query.hpp"
#include "tessie/local_time.hpp"
#include "tessie/sdk/plugin.hpp"

namespace tessie::vehicle {

using sdk::HttpError;
using sdk::HttpRequest;
using sdk::HttpResponse;

namespace {

Poco::Dynamic::Var IsoOrNull(std::int64_t ms) { return ms ? Poco::Dynamic::Var(local_time::IsoUtc(ms)) : Poco::Dynamic::Var(); }

}  // namespace

void VehicleRoutes::Add(sdk::HttpRoutes& http) {
  http.Add("GET", "/api/vehicles", [this](const HttpRequest&) {
    const auto vehicles = store_.ListVehicles();
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& v : vehicles) list->add(VehicleJson(v));
    Poco::JSON::Object o;
    o.set("items", list);
    o.set("total", static_cast<int>(vehicles.size()));
    return HttpResponse::Json(o);
  });
  http.Add("GET", "/api/vehicles/:id", [this](const HttpRequest& r) {
    return HttpResponse::Json(VehicleJson(store_.GetVehicle(store_.Resolve(r.Param("id")))));
  });
  http.Add("GET", "/api/vehicles/:id/state", [this](const HttpRequest& r) { return Latest(r.Param("id")); });
  http.Add("GET", "/api/vehicles/:id/history",
           [this](const HttpRequest& r) { return History(store_.Resolve(r.Param("id")), r); });
  http.Add("POST", "/api/vehicles/:id/wake", [this](const HttpRequest& r) { return Wake(r); });
  http.Add("POST", "/api/vehicles/:id/sync", [this](const HttpRequest& r) {
    const auto s = commands_.Sync(store_.Resolve(r.Param("id")), std::string(CommandGate::kPress));
    Poco::JSON::Object o;
    o.set("triggered", s.sent || s.in_progress);
    return HttpResponse::Json(o, 202);
  });
}

Poco::JSON::Object::Ptr VehicleRoutes::VehicleJson(const StoredVehicle& v) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("id", v.id);
  o->set("vin", v.vin);
  o->set("display_name", v.display_name);
  o->set("model", v.model);
  o->set("trim", v.trim);
  o->set("color", v.color);
  o->set("state", v.state);
  o->set("last_seen", IsoOrNull(v.last_seen_ms));
  o->set("last_data", IsoOrNull(v.last_data_ms));
  if (auto polling = cars_.Polling(v.id)) {
    Poco::JSON::Object::Ptr p = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    p->set("mode", adaptive_ ? "adaptive" : "fixed");
    p->set("activity", ToString(polling->activity));
    p->set("suspended", polling->suspended);
    o->set("polling", p);
  }
  return o;
}

// The route answered most often (dashboards and scripts poll it): the id and both reads in one snapshot, and
// the answer written straight from the row.
HttpResponse VehicleRoutes::Latest(const std::string& id_or_vin) {
  const auto latest = store_.Latest(id_or_vin);
  sdk::JsonObjectWriter o;
  o.Int("vehicle_id", latest.vehicle_id);
  o.String("state", latest.state);
  if (latest.last_seen_ms) {
    o.String("last_seen", local_time::IsoUtc(latest.last_seen_ms));
  } else {
    o.Null("last_seen");
  }
  HttpResponse response;
  response.status = 200;
  const auto& rows = latest.sample;
  if (rows.rows.empty()) {
    o.Null("timestamp");
    response.body = o.Finish();
    return response;
  }
  const auto& row = rows.rows[0];
  o.String("timestamp", local_time::IsoUtc(row.Int(0)));
  for (std::size_t i = 1; i < rows.columns.size(); ++i) {
    const auto& name = rows.columns[i];
    if (row.IsNull(i)) {
      o.Null(name);
    } else if (name == "charging_state" || name == "shift_state" || name == "car_version" ||
               name == "software_update_status" || name == "place") {
      o.String(name, row.String(i));
    } else if (name == "locked" || name == "sentry_mode" || name == "is_user_present") {
      o.Bool(name, row.Int(i) != 0);
    } else {
      o.Double(name, row.Double(i));
    }
  }
  if (auto polling = cars_.Polling(latest.vehicle_id)) o.String("activity", ToString(polling->activity));
  response.body = o.Finish();
  return response;
}

HttpResponse VehicleRoutes::History(std::int64_t id, const HttpRequest& r) {
  const auto q = ParseHistoryQuery(r, sdk::ToEpochMs(ctx_.Time().Now()), zone_);
  const auto page = store_.History(id, q);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& row : page.rows.rows) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("time", local_time::IsoUtc(row.Int(0)));
    for (std::size_t i = 0; i < q.fields.size(); ++i) {
      o->set(q.fields[i], row.IsNull(i + 1) ? Poco::Dynamic::Var() : Poco::Dynamic::Var(row.Double(i + 1)));
    }
    items->add(o);
  }
  Poco::JSON::Object out(Poco::JSON_PRESERVE_KEY_ORDER);
  out.set("vehicle_id", id);
  out.set("resolution", std::string(sdk::query::ResolutionName(q.resolution)));
  out.set("from", local_time::IsoUtc(q.from_ms));
  out.set("to", local_time::IsoUtc(q.to_ms));
  out.set("items", items);
  out.set("total", page.total);
  out.set("limit", q.limit);
  out.set("offset", q.offset);
  return HttpResponse::Json(out);
}

HttpResponse VehicleRoutes::Wake(const HttpRequest& r) {
  const auto id = store_.Resolve(r.Param("id"));
  try {
    const auto s = commands_.Wake(id, std::string(CommandGate::kPress));
    ctx_.Log().Info("REST wake for " + s.vin + " " + s.message);
    Poco::JSON::Object o;
    o.set("state", s.state);
    o.set("message", s.in_progress         ? "a wake-up is already in progress; the car needs 10-60 seconds"
                     : s.state == "online" ? "the car is awake"
                                           : "wake-up sent; the car needs 10-60 seconds");
    return HttpResponse::Json(o, 202);
  } catch (const sdk::FleetError& e) {
    const bool held = e.Kind() == sdk::FleetErrorKind::kRateLimited || e.Kind() == sdk::FleetErrorKind::kBudget;
    throw HttpError(held ? 429 : 502, "wake_failed", e.what());
  }
}

}  // namespace tessie::vehicle
