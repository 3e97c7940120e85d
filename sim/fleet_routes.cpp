// The Fleet API (/api/1) and OAuth (/oauth2/v3) routes of Simulator.
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTMLForm.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/NumberParser.h>
#include <Poco/StringTokenizer.h>
#include <Poco/URI.h>

#include <algorithm>
#include <cmath>
#include <optional>
#include <sstream>

#include "render.h"
#include "simulator.h"

namespace tessie::sim {
namespace {

using Poco::JSON::Object;

const std::set<std::string> kDefaultSections = {"charge_state", "climate_state",  "drive_state",
                                                "gui_settings", "vehicle_config", "vehicle_state"};
const std::set<std::string> kKnownSections = {
    "charge_state",   "climate_state", "closures_state",       "drive_state",
    "gui_settings",   "location_data", "charge_schedule_data", "preconditioning_schedule_data",
    "vehicle_config", "vehicle_state", "vehicle_data_combo"};

std::string Param(const HttpRequest& request, const std::string& name, const std::string& fallback = "") {
  const auto it = request.query.find(name);
  return it == request.query.end() ? fallback : it->second;
}

int IntParam(const HttpRequest& request, const std::string& name, int fallback) {
  int value = fallback;
  return Poco::NumberParser::tryParse(Param(request, name), value) ? value : fallback;
}

HttpResponse OAuthErrorResponse(const OAuthError& error) {
  Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("error", error.error);
  body->set("error_description", error.description);
  return JsonResponse(error.status, body);
}

HttpResponse RateLimited(int retry_after_s, int limit) {
  HttpResponse response = ErrorResponse(429, "Retry in " + std::to_string(retry_after_s) + " seconds");
  response.headers = {{"Retry-After", std::to_string(retry_after_s)},
                      {"RateLimit-Limit", std::to_string(limit)},
                      {"RateLimit-Remaining", "0"},
                      {"RateLimit-Reset", std::to_string(retry_after_s)}};
  return response;
}

HttpResponse VehicleUnavailable() { return ErrorResponse(408, "vehicle unavailable: vehicle is offline or asleep"); }

// Form fields of a token request; application/x-www-form-urlencoded, or a JSON object as some clients send.
std::map<std::string, std::string> ReadForm(const std::string& body) {
  std::map<std::string, std::string> fields;
  if (!body.empty() && body.front() == '{') {
    Poco::JSON::Parser parser;
    const auto object = parser.parse(body).extract<Object::Ptr>();
    for (const auto& key : object->getNames()) fields[key] = object->getValue<std::string>(key);
    return fields;
  }
  Poco::Net::HTTPRequest http(Poco::Net::HTTPRequest::HTTP_POST, "/", Poco::Net::HTTPMessage::HTTP_1_1);
  http.setContentType("application/x-www-form-urlencoded");
  std::istringstream in(body);
  const Poco::Net::HTMLForm form(http, in);
  for (const auto& [key, value] : form) fields[key] = value;
  return fields;
}

// Query dates arrive with an unencoded '+' in the offset from some clients, decoded as a space.
double ParseDateParam(std::string text) {
  std::replace(text.begin(), text.end(), ' ', '+');
  return ParseRfc3339(text);
}

}  // namespace

HttpResponse Simulator::ApplyFault(const Fault& fault, const Target& target) {
  if (fault.kind == "rate_limit") {
    return RateLimited(fault.retry_after_s, limiter_.Limit(target.pricing));
  }
  if (fault.kind == "region") {
    HttpResponse response =
        ErrorResponse(421, "user out of region, use base URL: " + fault.base_url +
                               ", see https://developer.tesla.com/docs/fleet-api/getting-started/regions-countries");
    response.headers = {{"Alt-Svc", "h2=" + fault.base_url}};
    return response;
  }
  if (fault.kind == "malformed") {
    HttpResponse response;
    response.body = R"({"response": {"id": 1, "state": "onl)";
    return response;
  }
  if (fault.kind == "login_required") return OAuthErrorResponse({401, "login_required", "Login required"});
  std::string error = fault.error;
  if (error.empty()) {
    error = fault.status == 503   ? "vehicle is not available"
            : fault.status == 504 ? "context deadline exceeded"
                                  : "upstream internal error";
  }
  return ErrorResponse(fault.status, error);
}

HttpResponse Simulator::HandleFleet(const HttpRequest& request, Target& target, double now_s) {
  if (target.category == "auth") {
    if (target.route == "authorize" && request.method == "GET") return HandleAuthorize(request, now_s);
    if (target.route == "token" && request.method == "POST") return HandleToken(request, now_s);
    return ErrorResponse(404, "not_found");
  }
  if (target.category == "other") return ErrorResponse(404, "not_found");

  const std::string& authorization = request.authorization;
  const std::string bearer = authorization.rfind("Bearer ", 0) == 0 ? authorization.substr(7) : "";
  const AccessCheck access = tokens_.Verify(bearer, now_s);
  if (access.result == AccessCheck::Result::kExpired) return ErrorResponse(401, "token expired (401)");
  if (access.result != AccessCheck::Result::kOk) return ErrorResponse(401, "invalid bearer token");
  const auto missing_scope = [&](std::initializer_list<const char*> any_of) -> std::optional<HttpResponse> {
    for (const char* scope : any_of) {
      if (access.HasScope(scope)) return std::nullopt;
    }
    return ErrorResponse(403, "Unauthorized missing scopes",
                         std::string("this call needs the ") + *any_of.begin() + " scope");
  };
  const std::string& route = target.route;

  if (route == "region") {
    if (auto denied = missing_scope({"user_data"})) return *denied;
    Object::Ptr region = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    region->set("region", scenario_.region);
    region->set("fleet_api_base_url", fleet_base_url_);
    return EnvelopeResponse(region);
  }
  if (route == "products") {
    Poco::JSON::Array::Ptr products = new Poco::JSON::Array;
    for (const Vehicle& v : vehicles_) {
      products->add(RenderVehicleSummary(*v.model, scenario_.account_id, VehicleStateName(v, now_s), true, now_s));
    }
    for (auto& site : sites_) products->add(RenderProductsSite(*site, now_s));
    Object::Ptr extra = new Object;
    extra->set("count", static_cast<int>(products->size()));
    return EnvelopeResponse(products, extra);
  }
  if (route == "vehicles") {
    if (auto denied = missing_scope({"vehicle_device_data"})) return *denied;
    const int count = static_cast<int>(vehicles_.size());
    const int per_page = std::max(1, IntParam(request, "per_page", 100));
    const int pages = std::max(1, (count + per_page - 1) / per_page);
    const int page = std::clamp(IntParam(request, "page", 1), 1, pages);
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (int i = (page - 1) * per_page; i < std::min(count, page * per_page); ++i) {
      const Vehicle& v = vehicles_[static_cast<size_t>(i)];
      list->add(RenderVehicleSummary(*v.model, scenario_.account_id, VehicleStateName(v, now_s), false, now_s));
    }
    Object::Ptr pagination = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    pagination->set("previous", page > 1 ? Poco::Dynamic::Var(page - 1) : Poco::Dynamic::Var());
    pagination->set("next", page < pages ? Poco::Dynamic::Var(page + 1) : Poco::Dynamic::Var());
    pagination->set("current", page);
    pagination->set("per_page", per_page);
    pagination->set("count", count);
    pagination->set("pages", pages);
    Object::Ptr extra = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    extra->set("pagination", pagination);
    extra->set("count", count);
    return EnvelopeResponse(list, extra);
  }
  if (target.category == "vehicle" || target.category == "data" || target.category == "wakes" ||
      target.category == "commands") {
    if (auto denied = missing_scope({"vehicle_device_data", "vehicle_cmds"})) return *denied;
    if (target.vehicle == nullptr || route == "unknown") return ErrorResponse(404, "not_found");
    Vehicle& vehicle = *target.vehicle;
    const VehicleSpec& spec = vehicle.model->Spec();
    if (route == "vehicle" && request.method == "GET") {
      return EnvelopeResponse(
          RenderVehicleSummary(*vehicle.model, scenario_.account_id, VehicleStateName(vehicle, now_s), false, now_s));
    }
    if (route == "vehicle_data" && request.method == "GET") return HandleVehicleData(request, vehicle, access, now_s);
    if (request.method != "POST") return ErrorResponse(405, "method not allowed");
    if (route == "wake_up") {
      if (auto retry_s = limiter_.Admit(spec.vin, Category::kWakes, now_s)) {
        return RateLimited(*retry_s, limiter_.Limit(Category::kWakes));
      }
      if (VehicleStateName(vehicle, now_s) != "offline") vehicle.sleep->OnWakeUp(now_s);
      return EnvelopeResponse(
          RenderVehicleSummary(*vehicle.model, scenario_.account_id, VehicleStateName(vehicle, now_s), false, now_s));
    }
    // Any command is accepted without effect on the simulation: it exists for billing and rate limits.
    if (auto denied = missing_scope({"vehicle_cmds", "vehicle_charging_cmds"})) return *denied;
    if (auto retry_s = limiter_.Admit(spec.vin, Category::kCommands, now_s)) {
      return RateLimited(*retry_s, limiter_.Limit(Category::kCommands));
    }
    if (VehicleStateName(vehicle, now_s) != "online") return VehicleUnavailable();
    Object::Ptr result = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
    result->set("result", true);
    result->set("reason", std::string(""));
    return EnvelopeResponse(result);
  }
  if (target.category == "energy") {
    if (auto denied = missing_scope({"energy_device_data"})) return *denied;
    if (target.site == nullptr) return ErrorResponse(404, "not_found");
    if (route == "live_status") return EnvelopeResponse(RenderLiveStatus(*target.site, now_s));
    if (route == "site_info") return EnvelopeResponse(RenderSiteInfo(*target.site));
    if (route == "calendar_history") return HandleCalendarHistory(request, *target.site, now_s);
    return ErrorResponse(404, "not_found");
  }
  return ErrorResponse(404, "not_found");
}

HttpResponse Simulator::HandleVehicleData(const HttpRequest& request, Vehicle& vehicle, const AccessCheck& access,
                                          double now_s) {
  std::set<std::string> sections;
  const std::string endpoints = Param(request, "endpoints");
  for (const auto& name : Poco::StringTokenizer(
           endpoints, ";,", Poco::StringTokenizer::TOK_TRIM | Poco::StringTokenizer::TOK_IGNORE_EMPTY)) {
    if (!kKnownSections.count(name)) return ErrorResponse(400, "invalid_field", "unknown endpoint " + name);
    sections.insert(name);
  }
  if (sections.empty()) sections = kDefaultSections;
  // Since 2025 only vehicle_location grants location (fleet-api.md §1.4).
  if (sections.count("location_data") && !access.HasScope("vehicle_location")) {
    return ErrorResponse(403, "Unauthorized missing scopes", "location_data needs the vehicle_location scope");
  }
  const VehicleSpec& spec = vehicle.model->Spec();
  if (auto retry_s = limiter_.Admit(spec.vin, Category::kData, now_s)) {
    return RateLimited(*retry_s, limiter_.Limit(Category::kData));
  }
  // Every counted answer names what is left of the minute (Tesla's FAQ: RateLimit-* headers define when the
  // next request is allowed).
  const auto window = limiter_.Headers(spec.vin, Category::kData, now_s);
  const std::string state = VehicleStateName(vehicle, now_s);
  HttpResponse response;
  if (state != "online") {
    response = VehicleUnavailable();
  } else {
    vehicle.sleep->OnDataRequest(now_s);
    response = EnvelopeResponse(RenderVehicleData(*vehicle.model, scenario_.account_id, state, sections, now_s));
  }
  response.headers.insert(response.headers.end(), window.begin(), window.end());
  return response;
}

HttpResponse Simulator::HandleCalendarHistory(const HttpRequest& request, EnergyModel& site, double now_s) {
  const std::string kind = Param(request, "kind");
  const std::string period = Param(request, "period", "day");
  if (kind != "energy" && kind != "backup") return ErrorResponse(400, "invalid_field", "kind must be energy or backup");
  static const std::set<std::string> kPeriods = {"day", "week", "month", "year", "lifetime"};
  if (!kPeriods.count(period))
    return ErrorResponse(400, "invalid_field", "period must be day, week, month, year or lifetime");
  try {
    const TimeZone zone(Param(request, "time_zone", site.Spec().time_zone));
    const std::string start = Param(request, "start_date");
    const std::string end = Param(request, "end_date");
    const double from_s = start.empty() ? zone.LocalMidnightS(now_s) : ParseDateParam(start);
    const double to_s = end.empty() ? now_s : ParseDateParam(end);
    if (to_s < from_s) return ErrorResponse(400, "invalid_field", "end_date is before start_date");
    if (kind == "backup") return EnvelopeResponse(RenderBackupHistory(site, from_s, to_s, zone, now_s));
    return EnvelopeResponse(RenderEnergyHistory(site, period, from_s, to_s, zone, now_s));
  } catch (const std::invalid_argument& e) {
    return ErrorResponse(400, "invalid_field", e.what());
  }
}

HttpResponse Simulator::HandleAuthorize(const HttpRequest& request, double now_s) {
  AuthorizeParams params{Param(request, "response_type"),
                         Param(request, "client_id"),
                         Param(request, "redirect_uri"),
                         Param(request, "scope"),
                         Param(request, "state"),
                         Param(request, "code_challenge"),
                         Param(request, "code_challenge_method", "plain")};
  const auto result = tokens_.Authorize(params, now_s);
  if (const auto* error = std::get_if<OAuthError>(&result)) return OAuthErrorResponse(*error);
  Poco::URI redirect(params.redirect_uri);
  redirect.addQueryParameter("locale", "en-US");
  redirect.addQueryParameter("code", std::get<std::string>(result));
  redirect.addQueryParameter("state", params.state);
  redirect.addQueryParameter("issuer", base_url_ + "/oauth2/v3");
  HttpResponse response;
  response.status = 302;
  response.content_type = "text/plain";
  response.headers = {{"Location", redirect.toString()}};
  return response;
}

HttpResponse Simulator::HandleToken(const HttpRequest& request, double now_s) {
  std::map<std::string, std::string> form;
  try {
    form = ReadForm(request.body);
  } catch (const std::exception&) {
    return OAuthErrorResponse({400, "invalid_request", "the body must be application/x-www-form-urlencoded"});
  }
  const auto field = [&form](const char* name) {
    const auto it = form.find(name);
    return it == form.end() ? std::string() : it->second;
  };
  const std::string grant_type = field("grant_type");
  TokenResult result;
  if (grant_type == "refresh_token") {
    result = tokens_.Refresh(field("refresh_token"), field("client_id"), now_s);
  } else if (grant_type == "authorization_code") {
    result =
        tokens_.ExchangeCode(field("code"), field("client_id"), field("redirect_uri"), field("code_verifier"), now_s);
  } else {
    return OAuthErrorResponse(
        {400, "unsupported_grant_type", "grant_type must be authorization_code or refresh_token"});
  }
  if (const auto* error = std::get_if<OAuthError>(&result)) return OAuthErrorResponse(*error);
  const auto& grant = std::get<TokenGrant>(result);
  Object::Ptr body = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  body->set("access_token", grant.access_token);
  if (!grant.refresh_token.empty()) body->set("refresh_token", grant.refresh_token);
  body->set("id_token", grant.id_token);
  body->set("expires_in", static_cast<Poco::Int64>(std::llround(grant.expires_in_s)));
  if (!grant.state.empty()) body->set("state", grant.state);
  body->set("token_type", std::string("Bearer"));
  return JsonResponse(200, body);
}

}  // namespace tessie::sim
