#include "simulator.h"

#include <Poco/JSON/Stringifier.h>
#include <Poco/StringTokenizer.h>
#include <Poco/UUIDGenerator.h>

#include <cmath>
#include <set>
#include <sstream>

namespace tessie::sim {
namespace {

constexpr size_t kMaxLogEntries = 20000;

std::vector<std::string> Segments(const std::string& path) {
  std::vector<std::string> out;
  for (const auto& s : Poco::StringTokenizer(path, "/", Poco::StringTokenizer::TOK_IGNORE_EMPTY)) out.push_back(s);
  return out;
}

std::string Txid() {
  std::string id = Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::erase(id, '-');
  return id;
}

std::string RegionPrefix(const std::string& region) {
  std::string prefix = region;
  for (char& c : prefix) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return prefix;
}

}  // namespace

HttpResponse JsonResponse(int status, const Poco::Dynamic::Var& value) {
  std::ostringstream out;
  Poco::JSON::Stringifier::stringify(value, out);
  HttpResponse response;
  response.status = status;
  response.body = out.str();
  return response;
}

HttpResponse EnvelopeResponse(const Poco::Dynamic::Var& value, Poco::JSON::Object::Ptr extra) {
  Poco::JSON::Object::Ptr envelope = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  envelope->set("response", value);
  if (extra) {
    for (const auto& key : extra->getNames()) envelope->set(key, extra->get(key));
  }
  return JsonResponse(200, envelope);
}

HttpResponse ErrorResponse(int status, const std::string& error, const std::string& description) {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("response", Poco::Dynamic::Var());
  body->set("error", error);
  body->set("error_description", description);
  body->set("txid", Txid());
  return JsonResponse(status, body);
}

Simulator::Simulator(Scenario scenario, std::string base_url, double speed)
    : scenario_(std::move(scenario)),
      base_url_(std::move(base_url)),
      fleet_base_url_(scenario_.base_url.empty() ? base_url_ : scenario_.base_url),
      clock_(scenario_.start_s, speed),
      tokens_(TokenStore::Options{base_url_, fleet_base_url_, RegionPrefix(scenario_.region), scenario_.user_id,
                                  scenario_.client_id, scenario_.access_token_lifetime_s}),
      limiter_(RateLimits{scenario_.data_per_min, scenario_.commands_per_min, scenario_.wakes_per_min}) {
  std::set<std::string> keys;
  for (const VehicleSpec& spec : scenario_.vehicles) {
    if (!keys.insert(spec.vin).second || !keys.insert(std::to_string(spec.id)).second) {
      throw ScenarioError("vehicle " + spec.vin + ": id and vin must be unique");
    }
    auto model = std::make_unique<VehicleModel>(spec, scenario_.start_s, scenario_.idle_sleep_s);
    auto sleep =
        std::make_unique<SleepTracker>(*model, scenario_.start_s, scenario_.idle_sleep_s, scenario_.wake_delay_s);
    vehicles_.push_back({std::move(model), std::move(sleep)});
  }
  std::set<std::int64_t> site_ids;
  for (const EnergySiteSpec& spec : scenario_.energy_sites) {
    site_ids.insert(spec.energy_site_id);
    std::vector<WallConnectorLoad> loads;
    for (const Vehicle& vehicle : vehicles_) {
      for (const Activity& a : vehicle.model->Activities()) {
        if (a.kind != ScheduleEvent::Kind::kCharge || a.site_id != spec.energy_site_id) continue;
        // One load per site step it overlaps, at that part's average power, so each step gets the exact energy.
        const double first_step_s =
            scenario_.start_s + std::floor((a.start_s - scenario_.start_s) / EnergyModel::kStepS) * EnergyModel::kStepS;
        for (double step_s = first_step_s; step_s < a.end_s; step_s += EnergyModel::kStepS) {
          const double from_s = std::max(step_s, a.start_s);
          const double to_s = std::min(step_s + EnergyModel::kStepS, a.end_s);
          if (to_s <= from_s) continue;
          const double energy_kwh = a.EnergyAtKwh(to_s) - a.EnergyAtKwh(from_s);
          loads.push_back({from_s, to_s, energy_kwh * 3.6e6 / (to_s - from_s)});
        }
      }
    }
    sites_.push_back(std::make_unique<EnergyModel>(spec, scenario_.start_s, std::move(loads)));
  }
  for (const Vehicle& vehicle : vehicles_) {
    for (const Activity& a : vehicle.model->Activities()) {
      if (a.site_id != 0 && !site_ids.count(a.site_id)) {
        throw ScenarioError(vehicle.model->Spec().vin + ": charge names site " + std::to_string(a.site_id) +
                            ", which is not in energy_sites");
      }
    }
  }
}

Simulator::Vehicle* Simulator::FindVehicle(const std::string& tag) {
  for (Vehicle& vehicle : vehicles_) {
    const VehicleSpec& spec = vehicle.model->Spec();
    if (tag == spec.vin || tag == std::to_string(spec.id)) return &vehicle;
  }
  return nullptr;
}

EnergyModel* Simulator::FindSite(const std::string& id) {
  for (auto& site : sites_) {
    if (id == std::to_string(site->Spec().energy_site_id)) return site.get();
  }
  return nullptr;
}

std::string Simulator::VehicleStateName(const Vehicle& vehicle, double now_s) const {
  const VehicleSpec& spec = vehicle.model->Spec();
  for (const Fault& fault : faults_) {
    if (fault.kind == "offline" && now_s < fault.until_s &&
        (fault.vehicle.empty() || fault.vehicle == spec.vin || fault.vehicle == std::to_string(spec.id))) {
      return "offline";
    }
  }
  return vehicle.sleep->IsOnline(now_s) ? "online" : "asleep";
}

Simulator::Target Simulator::Classify(const std::vector<std::string>& s) {
  Target t;
  if (s.size() == 3 && s[0] == "oauth2" && s[1] == "v3") {
    t.route = s[2];
    t.category = "auth";
    return t;
  }
  if (s.size() < 3 || s[0] != "api" || s[1] != "1") {
    t.category = "other";
    return t;
  }
  if (s[2] == "users" && s.size() == 4) {
    t.route = s[3];
  } else if (s[2] == "products" && s.size() == 3) {
    t.route = "products";
  } else if (s[2] == "vehicles") {
    t.category = "vehicle";
    t.route = s.size() == 3 ? "vehicles" : "vehicle";
    if (s.size() >= 4) t.vehicle = FindVehicle(s[3]);
    if (s.size() == 5 && s[4] == "vehicle_data") {
      t.route = "vehicle_data";
      t.category = "data";
      t.pricing = Category::kData;
    } else if (s.size() == 5 && s[4] == "wake_up") {
      t.route = "wake_up";
      t.category = "wakes";
      t.pricing = Category::kWakes;
    } else if (s.size() == 6 && s[4] == "command") {
      t.route = "command";
      t.category = "commands";
      t.pricing = Category::kCommands;
    } else if (s.size() > 4) {
      t.route = "unknown";
    }
    if (t.vehicle == nullptr) t.pricing = Category::kNone;
  } else if (s[2] == "energy_sites" && s.size() == 5) {
    t.category = "energy";
    t.route = s[4];
    t.site = FindSite(s[3]);
  } else {
    t.route = "unknown";
  }
  return t;
}

Simulator::Fault* Simulator::MatchFault(const HttpRequest& request, const Target& target) {
  std::erase_if(faults_, [](const Fault& f) { return f.remaining == 0; });
  for (Fault& f : faults_) {
    if (f.kind == "offline") continue;
    if (f.kind == "login_required" && target.route != "token") continue;
    if (!f.path_contains.empty() && request.path.find(f.path_contains) == std::string::npos) continue;
    if (!f.category.empty() && f.category != target.category) continue;
    if (!f.vehicle.empty()) {
      if (target.vehicle == nullptr) continue;
      const VehicleSpec& spec = target.vehicle->model->Spec();
      if (f.vehicle != spec.vin && f.vehicle != std::to_string(spec.id)) continue;
    }
    if (f.remaining > 0) --f.remaining;
    return &f;
  }
  return nullptr;
}

HttpResponse Simulator::Handle(const HttpRequest& request) {
  std::lock_guard lock(mutex_);
  const double now_s = clock_.NowS();
  try {
    if (request.path == "/sim" || request.path.rfind("/sim/", 0) == 0) return HandleControl(request, now_s);
    if (request.path == "/status") return {200, "text/plain", {}, "ok", 0};

    Target target = Classify(Segments(request.path));
    HttpResponse response;
    int delay_ms = 0;
    const Fault* fault = target.category == "other" ? nullptr : MatchFault(request, target);
    if (fault != nullptr && fault->kind == "timeout") {
      delay_ms = fault->delay_ms;
      fault = nullptr;
    }
    response = fault != nullptr ? ApplyFault(*fault, target) : HandleFleet(request, target, now_s);
    response.delay_ms += delay_ms;

    LogEntry entry{now_s, request.method, request.path, response.status, "", target.category, false};
    if (target.vehicle != nullptr) entry.vin = target.vehicle->model->Spec().vin;
    entry.billed = billing_.Record(entry.vin, target.pricing, response.status, now_s);
    log_.push_back(std::move(entry));
    if (log_.size() > kMaxLogEntries) log_.pop_front();
    return response;
  } catch (const std::exception& e) {
    return ErrorResponse(500, "simulator error", e.what());
  }
}

}  // namespace tessie::sim
