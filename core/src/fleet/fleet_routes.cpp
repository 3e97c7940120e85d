#include "fleet/fleet_routes.hpp"

#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <chrono>

namespace tessie::core::fleet {

namespace {

using sdk::HttpError;
using sdk::HttpRequest;
using sdk::HttpResponse;

Poco::Dynamic::Var IsoOrNull(std::int64_t ms) {
  if (ms <= 0) return Poco::Dynamic::Var();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(ms * 1000), "%Y-%m-%dT%H:%M:%SZ");
}

Poco::JSON::Object::Ptr AuthJson(const AuthStatus& s, bool sign_in) {
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("connected", s.connected);
  o->set("broken", s.broken);
  Poco::JSON::Array::Ptr scopes = new Poco::JSON::Array;
  for (const auto& sc : s.scopes) scopes->add(sc);
  o->set("scopes", scopes);
  o->set("access_token_expires_at", IsoOrNull(s.access_expires_ms));
  o->set("region", s.region);
  o->set("base_url", s.base_url);
  o->set("last_refresh_at", IsoOrNull(s.last_refresh_ms));
  o->set("last_error", s.last_error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s.last_error));
  o->set("sign_in_available", sign_in);
  return o;
}

std::int64_t SystemNowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A token has just been stored: discovery (and every other sync job) runs now instead of at its next
// interval, so the account's cars and sites appear within seconds.
void StartSyncAfterConnect(JobScheduler& scheduler, AccountProgress& progress, ComponentLogger& log) {
  progress.OnConnected(SystemNowMs());
  const auto n = scheduler.RunAllSyncJobs();
  log.Info("Tesla account connected: discovery and " + std::to_string(n) + " sync job(s) started");
}

Poco::JSON::Object::Ptr ProgressJson(const FleetClient& client, const JobScheduler& scheduler,
                                     const AccountProgress& progress) {
  const auto status = client.Status();
  AccountProgress::Auth auth;
  auth.connected = status.connected;
  auth.broken = status.broken;
  auth.verified = status.access_expires_ms > 0 || status.last_refresh_ms > 0;
  auth.last_error = status.last_error;
  std::vector<AccountProgress::DiscoveryJob> jobs;
  for (const auto& j : scheduler.Status()) {
    if (!j.is_sync || j.name != "discover") continue;
    jobs.push_back({j.owner, j.running, j.runs, j.last_run_ms, j.last_error});
  }
  const auto s = progress.Compute(auth, jobs);
  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("phase", s.phase);
  o->set("message", s.message);
  o->set("last_error", s.last_error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s.last_error));
  o->set("last_error_detail",
         s.last_error_detail.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s.last_error_detail));
  o->set("vehicles", s.vehicles < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s.vehicles));
  o->set("energy_sites", s.energy_sites < 0 ? Poco::Dynamic::Var() : Poco::Dynamic::Var(s.energy_sites));
  Poco::JSON::Object::Ptr backfill = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  backfill->set("days_done", s.days_done);
  backfill->set("days_total", s.days_total);
  Poco::JSON::Array::Ptr items = new Poco::JSON::Array;
  for (const auto& b : s.backfills) {
    Poco::JSON::Object::Ptr i = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    i->set("target", b.target);
    i->set("name", b.name);
    i->set("days_done", b.days_done);
    i->set("days_total", b.days_total);
    items->add(i);
  }
  backfill->set("items", items);
  o->set("backfill", backfill);
  return o;
}

HttpResponse FleetErrorResponse(const sdk::FleetError& e) {
  using K = sdk::FleetErrorKind;
  int status = 502;
  std::string code = "tesla_error";
  switch (e.Kind()) {
    case K::kNotConnected:
      status = 409;
      code = "tesla_not_connected";
      break;
    case K::kRateLimited:
      status = 429;
      code = "tesla_rate_limited";
      break;
    case K::kBudget:
      status = 429;
      code = "budget_spent";
      break;
    case K::kAsleep:
      status = 409;
      code = "vehicle_asleep";
      break;
    case K::kNotFound:
      status = 404;
      code = "not_found";
      break;
    case K::kTimeout:
      status = 504;
      code = "tesla_timeout";
      break;
    default:
      break;
  }
  Poco::JSON::Object o;
  o.set("error", code);
  o.set("message", std::string(e.what()));
  auto r = HttpResponse::Json(o, status);
  if (e.RetryAfterSeconds() > 0) r.headers["Retry-After"] = std::to_string(e.RetryAfterSeconds());
  return r;
}

}  // namespace

void AddFleetRoutes(Router& router, FleetClient& client, JobScheduler& scheduler, AccountProgress& progress,
                    LogSink& log) {
  auto logger = std::make_shared<ComponentLogger>(log, "fleet");
  router.Add({"POST",
              "/api/auth/token",
              "core",
              [&client, &scheduler, &progress, logger](const HttpRequest& req) {
                auto body = req.JsonBody();
                if (!body->has("refresh_token") || !body->get("refresh_token").isString())
                  throw HttpError::BadRequest("send {\"refresh_token\": \"...\"}");
                const auto token = body->getValue<std::string>("refresh_token");
                if (token.empty() || token.size() > 8192 || token.find_first_of(" \t\r\n") != std::string::npos)
                  throw HttpError::BadRequest("refresh_token must be a single non-empty token without spaces");
                client.StoreRefreshToken(token);
                Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                out->set("stored", true);
                // Check it right away: a refresh rotates it, and the rotated one is stored.
                try {
                  client.DiscoverRegion();
                  client.GetProducts();
                  out->set("verified", true);
                } catch (const sdk::FleetError& e) {
                  if (e.Kind() == sdk::FleetErrorKind::kNotConnected) {
                    throw HttpError(400, "token_rejected",
                                    std::string("Tesla did not accept this refresh token: ") + e.what());
                  }
                  out->set("verified", false);
                  out->set("message", std::string("stored, but Tesla could not be reached to check it: ") + e.what());
                }
                StartSyncAfterConnect(scheduler, progress, *logger);
                out->set("status", AuthJson(client.Status(), client.SignInConfigured()));
                return HttpResponse::Json(out, 201);
              },
              {false, "store a Tesla refresh token (encrypted)"}});
  router.Add({"DELETE",
              "/api/auth/token",
              "core",
              [&client, &progress](const HttpRequest&) {
                client.Disconnect();
                progress.OnDisconnected();
                return HttpResponse::NoContent();
              },
              {false, "forget the Tesla tokens"}});
  router.Add({"GET",
              "/api/auth/status",
              "core",
              [&client](const HttpRequest&) {
                return HttpResponse::Json(AuthJson(client.Status(), client.SignInConfigured()));
              },
              {false, "Tesla connection status (never the token)"}});
  router.Add({"GET",
              "/api/auth/tesla/login",
              "core",
              [&client](const HttpRequest&) {
                if (!client.SignInConfigured())
                  throw HttpError(409, "sign_in_not_configured",
                                  "set tesla.client_id and tesla.redirect_uri to sign in with Tesla");
                Poco::JSON::Object o;
                o.set("url", client.BeginSignIn());
                return HttpResponse::Json(o);
              },
              {false, "the Tesla authorize URL (state + PKCE)"}});
  router.Add({"GET",
              "/api/auth/tesla/callback",
              "core",
              [&client, &scheduler, &progress, logger](const HttpRequest& req) {
                if (auto error = req.Query("error"))
                  throw HttpError(400, "sign_in_failed", "Tesla sign-in was not completed: " + *error);
                const auto code = req.Query("code"), state = req.Query("state");
                if (!code || !state || code->empty() || state->empty())
                  throw HttpError::BadRequest("the callback needs code and state");
                try {
                  client.CompleteSignIn(*code, *state);
                } catch (const sdk::FleetError& e) {
                  if (e.Status() == 400) throw HttpError(400, "sign_in_failed", e.what());
                  return FleetErrorResponse(e);
                }
                StartSyncAfterConnect(scheduler, progress, *logger);
                return HttpResponse::Text(
                    "<!doctype html><title>Tessie Stats</title><p>Your Tesla account is connected. "
                    "You can close this tab.</p><p><a href=\"/\">Back to Tessie Stats</a></p>",
                    "text/html; charset=utf-8");
              },
              {true, "OAuth redirect target; protected by the one-time state"}});
  router.Add({"POST",
              "/api/sync/trigger",
              "core",
              [&scheduler](const HttpRequest&) {
                Poco::JSON::Object o;
                o.set("triggered", static_cast<int>(scheduler.RunAllSyncJobs()));
                return HttpResponse::Json(o, 202);
              },
              {false, "run every sync job now"}});
  router.Add({"GET",
              "/api/sync/status",
              "core",
              [&client, &scheduler, &progress](const HttpRequest&) {
                Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                out->set("auth", AuthJson(client.Status(), client.SignInConfigured()));
                out->set("progress", ProgressJson(client, scheduler, progress));
                Poco::JSON::Array::Ptr jobs = new Poco::JSON::Array;
                for (const auto& j : scheduler.Status()) {
                  if (!j.is_sync) continue;
                  Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                  o->set("plugin", j.owner);
                  o->set("job", j.name);
                  o->set("running", j.running);
                  o->set("last_run_at", IsoOrNull(j.last_run_ms));
                  o->set("last_result", j.runs == 0 ? "never" : (j.last_error.empty() ? "ok" : "error"));
                  o->set("last_error", j.last_error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(j.last_error));
                  o->set("next_run_at", IsoOrNull(j.next_run_ms));
                  o->set("runs", j.runs);
                  o->set("failures", j.failures);
                  jobs->add(o);
                }
                out->set("jobs", jobs);
                const std::int64_t now_ms = client.NowMs();  // the client's clock: usage days and holds follow it
                const auto today = UtcDay(now_ms);
                std::map<std::string, Poco::JSON::Object::Ptr> targets;
                auto target = [&](const std::string& name) {
                  auto& t = targets[name];
                  if (!t) {
                    t = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                    t->set("target", name);
                  }
                  return t;
                };
                for (const auto& t : client.Targets()) {
                  auto o = target(t.target);
                  o->set("last_request_at", IsoOrNull(t.last_request_ms));
                  o->set("last_endpoint", t.last_endpoint);
                  o->set("last_status", t.last_status);
                  o->set("last_error", t.last_error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(t.last_error));
                  o->set("hold_until", t.hold_until_ms > now_ms ? IsoOrNull(t.hold_until_ms) : Poco::Dynamic::Var());
                }
                double total = 0;
                for (const auto& u : client.UsageOn(today)) {
                  auto o = target(u.target);
                  Poco::JSON::Object::Ptr counts = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                  for (auto c : {BillingCategory::kData, BillingCategory::kWakes, BillingCategory::kCommands,
                                 BillingCategory::kFree}) {
                    auto it = u.billable.find(c);
                    counts->set(ToString(c), it == u.billable.end() ? 0 : it->second);
                  }
                  counts->set("not_billed_5xx", u.free_responses);
                  o->set("requests_today", counts);
                  o->set("cost_today_usd", u.CostUsd());
                  total += u.CostUsd();
                }
                Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
                for (const auto& [name, o] : targets) list->add(o);
                out->set("targets", list);
                Poco::JSON::Object::Ptr cost = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                cost->set("day", today);
                cost->set("total_usd", total);
                cost->set("daily_budget_per_vehicle_usd", client.Config().daily_budget_usd);
                cost->set("prices_usd", [] {
                  Poco::JSON::Object::Ptr p = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
                  p->set("data", PriceUsd(BillingCategory::kData));
                  p->set("wakes", PriceUsd(BillingCategory::kWakes));
                  p->set("commands", PriceUsd(BillingCategory::kCommands));
                  return p;
                }());
                out->set("api_cost", cost);
                return HttpResponse::Json(out);
              },
              {false, "first-run progress, sync jobs, per vehicle/site requests and the Fleet API cost today"}});
}

}  // namespace tessie::core::fleet
