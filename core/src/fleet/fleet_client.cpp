#include "fleet/fleet_client.hpp"

#include <Poco/Exception.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <algorithm>
#include <regex>
#include <thread>
#include <utility>

#include "fleet/fleet_models.hpp"

namespace tessie::core::fleet {

using sdk::FleetError;
using sdk::FleetErrorKind;

namespace {

std::string Describe(const std::string& body) {
  const auto e = ParseErrorBody(body);
  std::string text = e.error;
  if (!e.error_description.empty()) text += (text.empty() ? "" : ": ") + e.error_description;
  return text.substr(0, 300);
}

// The base URL a 421 points to: the body's, else an https URL in Alt-Svc; "" when neither names one.
std::string RegionRedirect(const HttpAnswer& answer) {
  std::string next = RegionRedirectFromBody(answer.body);
  if (next.empty()) {
    if (auto it = answer.headers.find("alt-svc"); it != answer.headers.end()) {
      static const std::regex alt("https://[^\\s,;\"]+");
      std::smatch m;
      if (std::regex_search(it->second, m, alt)) next = m[0];
    }
  }
  while (!next.empty() && next.back() == '/') next.pop_back();
  return next;
}

// A body the model parser rejects is logged and then fails the call like any other error.
template <class T>
T ParseOrLog(ComponentLogger& logger, const std::string& what, T (*parse)(const std::string&),
             const std::string& body) {
  try {
    return parse(body);
  } catch (const FleetError& e) {
    logger.Warn("malformed " + what + " response skipped: " + e.what());
    throw;
  }
}

std::string V(std::int64_t id) { return "vehicle:" + std::to_string(id); }
std::string S(std::int64_t id) { return "site:" + std::to_string(id); }

}  // namespace

FleetClient::FleetClient(FleetConfig config, TokenStore& tokens, Storage& storage, LogSink& log,
                         const sdk::Clock& clock, FleetSeams seams)
    : config_(std::move(config)),
      clock_(clock),
      logger_(log, "tesla"),
      transport_(seams.transport ? std::move(seams.transport) : std::make_unique<PooledHttpTransport>(config_.timeout)),
      keeper_(
          config_, tokens, *transport_, log, [this] { return NowMs(); }, std::move(seams.on_refresh_received)),
      usage_(storage, log, [this] { return NowMs(); }),
      vehicle_data_([this] { return NowMs(); }, config_.cache_ttl),
      live_status_([this] { return NowMs(); }, config_.cache_ttl),
      site_info_([this] { return NowMs(); }, config_.cache_ttl) {}

std::int64_t FleetClient::NowMs() const { return sdk::ToEpochMs(clock_.Now()); }

bool FleetClient::Connected() const { return keeper_.Connected(); }

// What one Call knows across its attempts.
struct FleetClient::CallState {
  std::string method;
  std::string path;
  std::string target;
  BillingCategory category;
  bool retry_server_errors;
  std::string endpoint;  // "GET /api/1/..." without the query
  std::string hold_key;  // "target|category"
  int attempt = 0;
  bool auth_retried = false;
  bool force_refresh = false;
  bool region_retried = false;
};

std::string FleetClient::Call(const std::string& method, const std::string& path, const std::string& target,
                              BillingCategory category, bool retry_server_errors) {
  CallState call{method,
                 path,
                 target,
                 category,
                 retry_server_errors,
                 method + " " + path.substr(0, path.find('?')),
                 target + "|" + ToString(category)};
  while (true) {
    EnsureAllowed(call);
    auto answer = Attempt(call);
    if (!answer) continue;
    if (answer->status == 200) return std::move(answer->body);
    if (!Retry(call, *answer)) Fail(call, *answer);
  }
}

void FleetClient::EnsureAllowed(const CallState& call) const {
  if (const auto wait = holds_.WaitSeconds(call.hold_key, NowMs())) {
    throw FleetError(FleetErrorKind::kRateLimited, 429,
                     "Tesla asked us to wait: no " + std::string(ToString(call.category)) + " request for " +
                         call.target + " for another " + std::to_string(*wait) + " s",
                     *wait);
  }
  // Every billed request (data, wakes, commands) must fit today's budget; a refused one is not sent.
  if (call.category != BillingCategory::kFree && !usage_.Allows(call.target, call.category, config_.daily_budget_usd)) {
    throw FleetError(FleetErrorKind::kBudget, 0,
                     "today's Fleet API budget for " + call.target + " is spent (tesla.daily_budget_usd)");
  }
}

std::optional<HttpAnswer> FleetClient::Attempt(CallState& call) {
  const std::string token = keeper_.AccessToken(std::exchange(call.force_refresh, false));
  HttpAnswer answer;
  std::string transport_error;
  try {
    answer = transport_->Send({call.method, keeper_.BaseUrl() + call.path, token, "application/json", ""});
  } catch (const Poco::TimeoutException&) {
    transport_error = "timeout";
  } catch (const Poco::Exception& e) {
    transport_error = e.displayText();
  }
  ++call.attempt;
  if (!transport_error.empty()) {
    usage_.Record(call.target, call.category, 0, call.endpoint, transport_error);
    if (call.retry_server_errors && call.attempt < config_.max_attempts) {
      std::this_thread::sleep_for(Backoff(call.attempt - 1));
      return std::nullopt;
    }
    throw FleetError(FleetErrorKind::kTimeout, 0,
                     call.endpoint + " for " + call.target + " failed: " + transport_error);
  }
  usage_.Record(call.target, call.category, answer.status, call.endpoint,
                answer.status == 200 ? "" : Describe(answer.body));
  // The last request this window allows (RateLimit-Remaining: 0): hold the next one until the reset rather
  // than pay for a 429 (billable like any answer below 500).
  if (answer.status != 429 && answer.status < 500) {
    if (auto reset = RateLimitResetSeconds(answer.headers, true)) {
      Hold(call, *reset);
      logger_.Warn("Tesla allows no more " + std::string(ToString(call.category)) + " requests for " + call.target +
                   " until its rate-limit window resets; next request in " + std::to_string(*reset) + " s");
    }
  }
  return answer;
}

bool FleetClient::Retry(CallState& call, const HttpAnswer& answer) {
  if (answer.status == 401 && !call.auth_retried) {
    // The access token may have been revoked early: refresh once, then retry.
    call.auth_retried = call.force_refresh = true;
    return true;
  }
  if (answer.status == 421) {
    const std::string next = RegionRedirect(answer);
    if (!next.empty() && !IsTrustedRegionRedirect(next, config_.base_url)) {
      throw FleetError(FleetErrorKind::kOther, 421,
                       "Tesla redirected to an untrusted base URL (" + next + "); set tesla.base_url yourself");
    }
    if (next.empty() || next == keeper_.BaseUrl() || call.region_retried) return false;
    call.region_retried = true;
    logger_.Warn("this Tesla account lives in another region; switching the Fleet API base URL to " + next);
    keeper_.SetBaseUrl(next);
    return true;
  }
  if (answer.status >= 500 && call.retry_server_errors && call.attempt < config_.max_attempts) {
    std::this_thread::sleep_for(Backoff(call.attempt - 1));
    return true;
  }
  return false;
}

void FleetClient::Fail(const CallState& call, const HttpAnswer& answer) {
  const std::string detail = Describe(answer.body);
  const int status = answer.status;
  switch (status) {
    case 401:
      throw FleetError(FleetErrorKind::kUnauthorized, 401, "Tesla refused the access token: " + detail);
    case 408:
      throw FleetError(FleetErrorKind::kAsleep, 408, call.target + " is asleep or offline");
    case 421:
      throw FleetError(FleetErrorKind::kOther, 421, "wrong Fleet API region and no usable redirect: " + detail);
    case 429: {
      const int wait = RetryAfterSeconds(answer.headers, answer.body);
      Hold(call, wait);
      logger_.Warn("rate limited by Tesla for " + call.target + " (" + ToString(call.category) + "); next request in " +
                   std::to_string(wait) + " s");
      throw FleetError(FleetErrorKind::kRateLimited, 429, "rate limited; retry in " + std::to_string(wait) + " s",
                       wait);
    }
    case 403:
      throw FleetError(FleetErrorKind::kForbidden, 403, "Tesla refused " + call.endpoint + ": " + detail);
    case 404:
      throw FleetError(FleetErrorKind::kNotFound, 404, call.target + " not found: " + detail);
    default:
      break;
  }
  const auto kind = status >= 500 ? FleetErrorKind::kServer : FleetErrorKind::kOther;
  throw FleetError(kind, status, "Tesla answered " + std::to_string(status) + ": " + detail);
}

// No request for the call's target and category before `seconds` from now.
void FleetClient::Hold(const CallState& call, int seconds) {
  const auto until = NowMs() + seconds * 1000LL;
  holds_.Hold(call.hold_key, until);
  usage_.NoteHold(call.target, until);
}

std::chrono::milliseconds FleetClient::Backoff(int attempt) {
  std::lock_guard lock(rng_mutex_);
  const auto base = config_.backoff_base.count() << std::min(attempt, 10);
  std::uniform_int_distribution<long long> jitter(0, base / 2);
  return std::chrono::milliseconds(base + jitter(rng_));
}

sdk::Products FleetClient::GetProducts() {
  return ParseOrLog(logger_, "products", ParseProducts,
                    Call("GET", "/api/1/products", "account", BillingCategory::kFree));
}

std::vector<sdk::VehicleSummary> FleetClient::ListVehicles() {
  constexpr int kPerPage = 100;
  std::vector<sdk::VehicleSummary> all;
  for (int page = 1; page <= 50; ++page) {
    const auto body =
        Call("GET", "/api/1/vehicles?page=" + std::to_string(page) + "&per_page=" + std::to_string(kPerPage), "account",
             BillingCategory::kFree);
    auto batch = ParseOrLog(logger_, "vehicles", ParseVehicleList, body);
    all.insert(all.end(), batch.begin(), batch.end());
    if (batch.size() < kPerPage) break;
  }
  return all;
}

void FleetClient::DiscoverRegion() {
  try {
    const auto body = Call("GET", "/api/1/users/region", "account", BillingCategory::kFree, false);
    auto json = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
    auto response = json->getObject("response");
    if (!response || !response->has("fleet_api_base_url")) return;
    std::string url = response->getValue<std::string>("fleet_api_base_url");
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.empty() || url == keeper_.BaseUrl()) return;
    if (!IsTrustedRegionRedirect(url, config_.base_url)) {
      logger_.Warn("users/region names an untrusted base URL (" + url + "); keeping " + keeper_.BaseUrl());
      return;
    }
    logger_.Info("this Tesla account lives at " + url + "; using it as the Fleet API base URL");
    keeper_.SetBaseUrl(url);
  } catch (const std::exception& e) {
    logger_.Debug(std::string("users/region not used: ") + e.what());
  }
}

sdk::VehicleSummary FleetClient::GetVehicle(std::int64_t id) {
  return ParseOrLog(logger_, "vehicle", ParseVehicle,
                    Call("GET", "/api/1/vehicles/" + std::to_string(id), V(id), BillingCategory::kFree));
}

sdk::VehicleData FleetClient::GetVehicleData(std::int64_t id, sdk::VehicleDataScope scope) {
  std::string endpoints = "charge_state;climate_state;drive_state;gui_settings;vehicle_config;vehicle_state";
  if (scope == sdk::VehicleDataScope::kWithLocation) endpoints += ";location_data";
  std::string encoded;
  Poco::URI::encode(endpoints, ";", encoded);
  const std::string path = "/api/1/vehicles/" + std::to_string(id) + "/vehicle_data?endpoints=" + encoded;
  return vehicle_data_.Get(path, [&] {
    return ParseOrLog(logger_, "vehicle_data", ParseVehicleData, Call("GET", path, V(id), BillingCategory::kData));
  });
}

sdk::VehicleSummary FleetClient::WakeUp(std::int64_t id) {
  const auto body =
      Call("POST", "/api/1/vehicles/" + std::to_string(id) + "/wake_up", V(id), BillingCategory::kWakes, false);
  return ParseOrLog(logger_, "wake_up", ParseVehicle, body);
}

sdk::LiveStatus FleetClient::GetLiveStatus(std::int64_t site) {
  const std::string path = "/api/1/energy_sites/" + std::to_string(site) + "/live_status";
  return live_status_.Get(path, [&] {
    return ParseOrLog(logger_, "live_status", ParseLiveStatus, Call("GET", path, S(site), BillingCategory::kFree));
  });
}

sdk::SiteInfo FleetClient::GetSiteInfo(std::int64_t site) {
  const std::string path = "/api/1/energy_sites/" + std::to_string(site) + "/site_info";
  auto info = site_info_.Get(path, [&] {
    return ParseOrLog(logger_, "site_info", ParseSiteInfo, Call("GET", path, S(site), BillingCategory::kFree));
  });
  info.energy_site_id = site;  // site_info carries no numeric id of its own
  return info;
}

namespace {
std::string HistoryPath(std::int64_t site, const std::string& kind, const std::string& period, const std::string& start,
                        const std::string& end, const std::string& tz) {
  auto enc = [](const std::string& v) {
    std::string e;
    Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]", e);
    return e;
  };
  return "/api/1/energy_sites/" + std::to_string(site) + "/calendar_history?kind=" + kind + "&period=" + enc(period) +
         "&start_date=" + enc(start) + "&end_date=" + enc(end) + "&time_zone=" + enc(tz);
}
}  // namespace

sdk::EnergyHistory FleetClient::GetEnergyHistory(std::int64_t site, const std::string& period, const std::string& start,
                                                 const std::string& end, const std::string& tz) {
  return ParseOrLog(logger_, "calendar_history", ParseEnergyHistory,
                    Call("GET", HistoryPath(site, "energy", period, start, end, tz), S(site), BillingCategory::kFree));
}

std::vector<sdk::BackupEvent> FleetClient::GetBackupHistory(std::int64_t site, const std::string& period,
                                                            const std::string& start, const std::string& end,
                                                            const std::string& tz) {
  return ParseOrLog(logger_, "backup history", ParseBackupHistory,
                    Call("GET", HistoryPath(site, "backup", period, start, end, tz), S(site), BillingCategory::kFree));
}

bool FleetClient::WithinBudget(std::int64_t id) const {
  return usage_.Allows(V(id), BillingCategory::kData, config_.daily_budget_usd);
}

// Nothing learnt under one account (cached answers) may be served to the next.
void FleetClient::ForgetAnswers() {
  vehicle_data_.Clear();
  live_status_.Clear();
  site_info_.Clear();
}

void FleetClient::StoreRefreshToken(const std::string& refresh_token) {
  keeper_.StoreRefreshToken(refresh_token);
  holds_.Clear();
  ForgetAnswers();
}

void FleetClient::Disconnect() {
  keeper_.Disconnect();
  ForgetAnswers();
}

void FleetClient::CompleteSignIn(const std::string& code, const std::string& state) {
  keeper_.CompleteSignIn(code, state);
  holds_.Clear();
  ForgetAnswers();
}

}  // namespace tessie::core::fleet
