#include "drivers_routes.hpp"

#include <Poco/JSON/Array.h>

#include <algorithm>
#include <cctype>
#include <limits>

#include "api_input.hpp"
#include "drive_json.hpp"

namespace tessie::drivers {
namespace {

using sdk::HttpError;
using sdk::HttpRequest;
using sdk::HttpResponse;

constexpr std::int64_t kDefaultLimit = 50;
constexpr std::int64_t kMaxLimit = 500;

// Runs a handler, turning an input error into a 400 that names what was wrong.
template <class F>
HttpResponse Guard(F&& f) {
  try {
    return f();
  } catch (const InputError& e) {
    throw HttpError::BadRequest(e.what());
  }
}

HttpError NoDrive(std::int64_t id) {
  return HttpError::NotFound("no drive " + std::to_string(id) + " (GET /api/drives lists finished drives)");
}
HttpError NoDriver(std::int64_t id) {
  return HttpError::NotFound("no driver " + std::to_string(id) + " (GET /api/drivers lists them)");
}

}  // namespace

void DriversRoutes::Register(sdk::HttpRoutes& http) {
  http.Add("GET", "/api/drives", [this](const HttpRequest& r) { return Guard([&] { return ListDrives(r); }); },
           {.summary = "drives, newest first, filtered by vehicle, driver and time"});
  http.Add("GET", "/api/drives/:id", [this](const HttpRequest& r) { return Guard([&] { return GetDrive(r); }); },
           {.summary = "one drive with its path"});
  http.Add("PUT", "/api/drives/:id", [this](const HttpRequest& r) { return Guard([&] { return AssignDrive(r); }); },
           {.summary = "assign a drive to a driver by hand"});
  http.Add("GET", "/api/drivers", [this](const HttpRequest&) { return ListDrivers(); },
           {.summary = "drivers with their rules"});
  http.Add("POST", "/api/drivers", [this](const HttpRequest& r) { return Guard([&] { return SaveDriver(r, 0); }); },
           {.summary = "add a driver"});
  http.Add("GET", "/api/drivers/:id", [this](const HttpRequest& r) { return Guard([&] { return GetDriver(r); }); },
           {.summary = "one driver with their rules"});
  http.Add("PUT", "/api/drivers/:id",
           [this](const HttpRequest& r) {
             return Guard([&] { return SaveDriver(r, ParseId(r.Param("id"), "driver id")); });
           },
           {.summary = "replace a driver and their rules; re-attributes drives not assigned by hand"});
  http.Add("DELETE", "/api/drivers/:id",
           [this](const HttpRequest& r) { return Guard([&] { return DeleteDriver(r); }); },
           {.summary = "remove a driver; their drives become unattributed, or go to ?reassign_to=<driver id>"});
  http.Add("GET", "/api/drivers/:id/stats",
           [this](const HttpRequest& r) { return Guard([&] { return DriverStats(r); }); },
           {.summary = "a driver's distance, energy, efficiency and charging cost share"});
}

HttpResponse DriversRoutes::ListDrives(const HttpRequest& r) {
  DriveFilter filter;
  if (auto v = r.Query("vehicle"); v && !v->empty()) {
    if (std::all_of(v->begin(), v->end(), [](char c) { return c >= '0' && c <= '9'; })) {
      // Digits only: a vehicle id, or a VIN that happens to be all digits.
      filter.vehicle_id = ParseId(*v, "vehicle");
      filter.vin = *v;
    } else {
      std::string vin = *v;
      for (auto& c : vin) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      filter.vin = vin;
    }
  }
  if (auto d = r.Query("driver"); d && !d->empty()) {
    if (*d == "none") {
      filter.without_driver = true;
    } else {
      filter.driver_id = ParseId(*d, "driver (a driver's id, or 'none')");
    }
  }
  filter.from_ms = TimeQueryParam(r, "from", zone_);
  filter.to_ms = TimeQueryParam(r, "to", zone_);
  filter.limit = r.Query("limit") ? ParseBoundedInt(*r.Query("limit"), "limit", 1, kMaxLimit) : kDefaultLimit;
  filter.offset = r.Query("offset") ? ParseBoundedInt(*r.Query("offset"), "offset", 0, std::int64_t{1} << 40) : 0;

  const auto page = store_.ListDrives(filter);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& drive : page.items) items->add(DriveToJson(drive));
  Poco::JSON::Object o;
  o.set("items", items);
  o.set("total", page.total);
  o.set("limit", filter.limit);
  o.set("offset", filter.offset);
  return HttpResponse::Json(o);
}

HttpResponse DriversRoutes::GetDrive(const HttpRequest& r) {
  const auto id = ParseId(r.Param("id"), "drive id");
  const auto drive = store_.FindDrive(id);
  if (!drive) throw NoDrive(id);
  return HttpResponse::Json(DriveWithPathToJson(*drive, store_.DrivePath(id)));
}

HttpResponse DriversRoutes::AssignDrive(const HttpRequest& r) {
  const auto id = ParseId(r.Param("id"), "drive id");
  const auto assignment = ParseDriveAssignment(*r.JsonBody());
  switch (service_.AssignDrive(id, assignment)) {
    case DriversService::Assigned::kNoDrive:
      throw NoDrive(id);
    case DriversService::Assigned::kNoDriver:
      throw HttpError::BadRequest("driver " + std::to_string(*assignment.driver_id) +
                                  " does not exist (GET /api/drivers lists them)");
    case DriversService::Assigned::kDone:
      break;
  }
  const auto drive = store_.FindDrive(id);
  if (!drive) throw NoDrive(id);
  return HttpResponse::Json(DriveToJson(*drive));
}

HttpResponse DriversRoutes::ListDrivers() {
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& d : store_.LoadDrivers()) items->add(DriverToJson(d));
  Poco::JSON::Object o;
  o.set("items", items);
  return HttpResponse::Json(o);
}

HttpResponse DriversRoutes::GetDriver(const HttpRequest& r) {
  const auto id = ParseId(r.Param("id"), "driver id");
  for (const auto& d : store_.LoadDrivers())
    if (d.id == id) return HttpResponse::Json(DriverToJson(d));
  throw NoDriver(id);
}

HttpResponse DriversRoutes::SaveDriver(const HttpRequest& r, std::int64_t id) {
  const Driver input = ParseDriverBody(*r.JsonBody());
  const auto saved = service_.SaveDriver(id, input, sdk::ToEpochMs(clock_.Now()));
  switch (saved.write.outcome) {
    case DriverWrite::Outcome::kNameTaken:
      throw HttpError::Conflict("a driver named '" + saved.write.other_name + "' exists already (driver " +
                                std::to_string(saved.write.other_id) + "); choose another name or edit that driver");
    case DriverWrite::Outcome::kNotFound:
      throw HttpError::NotFound("no driver " + std::to_string(id) + " (POST /api/drivers adds one)");
    case DriverWrite::Outcome::kSaved:
      break;
  }
  auto o = DriverToJson(saved.driver);
  o->set("reattributed_drives", static_cast<std::int64_t>(saved.reattributed));
  return HttpResponse::Json(o, id == 0 ? 201 : 200);
}

// Their drives become unattributed ("Nobody", kept by hand so that no rule takes them over), or go to the
// driver `reassign_to` (by hand) when it is given.
HttpResponse DriversRoutes::DeleteDriver(const HttpRequest& r) {
  const auto id = ParseId(r.Param("id"), "driver id");
  std::optional<std::int64_t> target;
  if (auto v = r.Query("reassign_to"); v && !v->empty()) {
    target = ParseId(*v, "reassign_to");
    if (*target == id) throw HttpError::BadRequest("'reassign_to' must name another driver than the one deleted");
  }
  const auto deleted = service_.DeleteDriver(id, target);
  switch (deleted.removal.outcome) {
    case DriverRemoval::Outcome::kNotFound:
      throw NoDriver(id);
    case DriverRemoval::Outcome::kTargetNotFound:
      throw HttpError::BadRequest("'reassign_to': driver " + std::to_string(*target) +
                                  " does not exist (GET /api/drivers lists them)");
    case DriverRemoval::Outcome::kRemoved:
      break;
  }
  Poco::JSON::Object o;
  o.set("deleted", id);
  o.set("drives", deleted.removal.moved_drives);
  o.set("reassigned_to", target ? Poco::Dynamic::Var(*target) : Poco::Dynamic::Var());
  o.set("reattributed_drives", static_cast<std::int64_t>(deleted.reattributed));
  return HttpResponse::Json(o);
}

HttpResponse DriversRoutes::DriverStats(const HttpRequest& r) {
  const auto id = ParseId(r.Param("id"), "driver id");
  const auto name = store_.DriverName(id);
  if (!name) throw NoDriver(id);
  const auto from = TimeQueryParam(r, "from", zone_);
  const auto to = TimeQueryParam(r, "to", zone_);
  if (from && to && *to <= *from) throw HttpError::BadRequest("'to' must be after 'from'");
  const auto [drives, sessions] = store_.StatsInput(from.value_or(std::numeric_limits<std::int64_t>::min()),
                                                    to.value_or(std::numeric_limits<std::int64_t>::max()));
  return HttpResponse::Json(DriverStatsToJson(id, *name, from, to, ComputeDriverStats(id, drives, sessions)));
}

}  // namespace tessie::drivers
