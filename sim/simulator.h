#pragma once

#include <Poco/JSON/Object.h>

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "billing.h"
#include "energy_model.h"
#include "scenario.h"
#include "sim_clock.h"
#include "sleep_tracker.h"
#include "token_store.h"
#include "vehicle_model.h"

namespace tessie::sim {

struct HttpRequest {
  std::string method;
  std::string path;
  std::map<std::string, std::string> query;  // decoded
  std::string authorization;                 // the Authorization header
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  int delay_ms = 0;  // the transport waits this long before answering (timeout faults)
};

// The whole simulator behind one request/response function: the Fleet API (/api/1), the OAuth endpoints
// (/oauth2/v3), /status and the control API (/sim). Independent of any HTTP server so tests call it directly.
// Thread-safe: Handle serialises requests with one mutex; the clock runs on its own.
class Simulator {
 public:
  // base_url: how clients reach this simulator, e.g. http://127.0.0.1:4443 (issuer, default region URL).
  // Throws ScenarioError when the scenario's schedules are inconsistent.
  Simulator(Scenario scenario, std::string base_url, double speed);

  HttpResponse Handle(const HttpRequest& request);
  SimClock& Clock() { return clock_; }

 private:
  struct Vehicle {
    std::unique_ptr<VehicleModel> model;
    std::unique_ptr<SleepTracker> sleep;
  };
  // What a request is about, for faults, rate limits, billing and the request log.
  struct Target {
    Vehicle* vehicle = nullptr;
    EnergyModel* site = nullptr;
    std::string route;              // e.g. "vehicle_data", "live_status", "token"
    std::string category = "user";  // data | wakes | commands | vehicle | energy | user | auth | other
    Category pricing = Category::kNone;
  };
  struct Fault {
    int id = 0;
    std::string kind;  // status | rate_limit | timeout | region | malformed | login_required | offline
    int status = 503;
    int remaining = 1;   // -1: until cleared
    double until_s = 0;  // offline: simulated end time
    std::string path_contains;
    std::string vehicle;   // VIN or id; empty = any
    std::string category;  // empty = any
    std::string error;
    std::string base_url;
    int retry_after_s = 30;
    int delay_ms = 0;
  };
  struct LogEntry {
    double t_s = 0;
    std::string method;
    std::string path;
    int status = 0;
    std::string vin;
    std::string category;
    bool billed = false;
  };

  Target Classify(const std::vector<std::string>& segments);
  Fault* MatchFault(const HttpRequest& request, const Target& target);
  std::string VehicleStateName(const Vehicle& vehicle, double now_s) const;
  Vehicle* FindVehicle(const std::string& tag);
  EnergyModel* FindSite(const std::string& id);

  // fleet_routes.cpp
  HttpResponse HandleFleet(const HttpRequest& request, Target& target, double now_s);
  HttpResponse HandleAuthorize(const HttpRequest& request, double now_s);
  HttpResponse HandleToken(const HttpRequest& request, double now_s);
  HttpResponse HandleVehicleData(const HttpRequest& request, Vehicle& vehicle, const AccessCheck& access, double now_s);
  HttpResponse HandleCalendarHistory(const HttpRequest& request, EnergyModel& site, double now_s);
  HttpResponse ApplyFault(const Fault& fault, const Target& target);

  // control_routes.cpp
  HttpResponse HandleControl(const HttpRequest& request, double now_s);
  Poco::JSON::Object::Ptr ClockJson() const;
  Poco::JSON::Object::Ptr TruthJson(double now_s);
  // solar_share_pct of a charge on a site's wall connector (see EnergyModel::ChargeSolarSharePct) up to now_s;
  // null for other charges and before the charge added energy.
  Poco::Dynamic::Var SolarShareJson(const Activity& charge, double now_s);
  Poco::JSON::Object::Ptr FaultJson(const Fault& fault) const;
  Fault ParseFault(const Poco::JSON::Object& body, double now_s);

  std::mutex mutex_;
  const Scenario scenario_;
  const std::string base_url_;
  const std::string fleet_base_url_;
  SimClock clock_;
  std::vector<Vehicle> vehicles_;
  std::vector<std::unique_ptr<EnergyModel>> sites_;
  TokenStore tokens_;
  Billing billing_;
  RateLimiter limiter_;
  std::vector<Fault> faults_;
  int next_fault_id_ = 1;
  std::deque<LogEntry> log_;
};

// {"response": null, "error": ..., "error_description": ..., "txid": ...} with the given status.
HttpResponse ErrorResponse(int status, const std::string& error, const std::string& description = "");
// {"response": <value>} plus optional extra top-level members.
HttpResponse EnvelopeResponse(const Poco::Dynamic::Var& value, Poco::JSON::Object::Ptr extra = nullptr);
HttpResponse JsonResponse(int status, const Poco::Dynamic::Var& value);

}  // namespace tessie::sim
