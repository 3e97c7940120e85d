#include "fleet/fleet_client.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/JWT/Token.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <limits>
#include <optional>
#include <regex>
#include <sstream>
#include <thread>
#include <utility>

#include "auth.hpp"
#include "fleet/fleet_models.hpp"

namespace tessie::core::fleet {

using sdk::FleetError;
using sdk::FleetErrorKind;

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    std::string ek, ev;
    Poco::URI::encode(k, "!#$&'()*+,/:;=?@[]", ek);
    Poco::URI::encode(v, "!#$&'()*+,/:;=?@[]", ev);
    out += (out.empty() ? "" : "&") + ek + "=" + ev;
  }
  return out;
}

std::string Base64Url(const unsigned char* data, std::size_t n) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  enc.rdbuf()->setLineLength(0);
  enc.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(n));
  enc.close();
  return out.str();
}

std::vector<std::string> ScopesOf(const std::string& access_token) {
  std::vector<std::string> scopes;
  try {
    Poco::JWT::Token token(access_token);  // parse only; Tesla signs it, we cannot and need not verify
    auto scp = token.payload().getArray("scp");
    if (scp)
      for (std::size_t i = 0; i < scp->size(); ++i)
        scopes.push_back(scp->getElement<std::string>(static_cast<unsigned>(i)));
  } catch (const std::exception&) {
  }
  return scopes;
}

std::string RegionOf(const std::string& access_token) {
  try {
    Poco::JWT::Token token(access_token);
    if (token.payload().has("ou_code")) return Lower(token.payload().getValue<std::string>("ou_code"));
  } catch (const std::exception&) {
  }
  return "";
}

// Tesla's RateLimit-Remaining / RateLimit-Reset headers (also RateLimit-<kind>-Remaining/-Reset): the seconds
// until the window resets, the longest when several are named; `only_when_exhausted` asks for it only when a
// Remaining header says 0 are left.
std::optional<int> RateLimitResetSeconds(const std::map<std::string, std::string>& headers, bool only_when_exhausted) {
  bool exhausted = false;
  std::optional<int> reset;
  for (const auto& [name, value] : headers) {  // names are lower case
    if (name.rfind("ratelimit", 0) != 0) continue;
    int n = -1;
    try {
      n = std::stoi(value);
    } catch (const std::exception&) {
      continue;
    }
    if (name.size() >= 9 && name.compare(name.size() - 9, 9, "remaining") == 0 && n == 0) exhausted = true;
    if (name.size() >= 5 && name.compare(name.size() - 5, 5, "reset") == 0 && n > 0)
      reset = std::max(reset.value_or(0), n);
  }
  if (only_when_exhausted && !exhausted) return std::nullopt;
  return reset;
}

int RetryAfterSeconds(const std::map<std::string, std::string>& headers, const std::string& body) {
  if (auto it = headers.find("retry-after"); it != headers.end()) {
    try {
      return std::max(1, std::stoi(it->second));
    } catch (const std::exception&) {
    }
  }
  if (auto reset = RateLimitResetSeconds(headers, false)) return *reset;
  static const std::regex in_body("[Rr]etry in ([0-9]+) seconds");
  std::smatch m;
  if (std::regex_search(body, m, in_body)) return std::max(1, std::stoi(m[1]));
  return 60;
}

std::string Describe(const std::string& body) {
  const auto e = ParseErrorBody(body);
  std::string text = e.error;
  if (!e.error_description.empty()) text += (text.empty() ? "" : ": ") + e.error_description;
  return text.substr(0, 300);
}

// The one TLS client context of the process, made on first use (a host talking only to the simulator never
// loads TLS) and shared by every request: Poco's Context is reference-counted and read-only once made, while
// one per request set OpenSSL up and tore it down on every call.
Poco::Net::Context::Ptr TlsContext() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    context = new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9,
                                     true);
  });
  return context;
}

}  // namespace

FleetConfig FleetConfig::From(const sdk::ConfigSection& t) {
  FleetConfig c;
  auto str = [&](const char* key) { return t.Has(key) ? t.GetString(key) : std::string(); };
  c.base_url = str("base_url");
  c.auth_url = str("auth_url");
  c.authorize_url = str("authorize_url");
  c.client_id = str("client_id");
  c.client_secret = str("client_secret");
  c.redirect_uri = str("redirect_uri");
  c.region = str("region");
  c.scopes = str("scopes");
  if (t.Has("cache_ttl")) c.cache_ttl = t.GetDuration("cache_ttl");
  if (t.Has("request_timeout")) c.timeout = t.GetDuration("request_timeout");
  if (t.Has("daily_budget_usd")) c.daily_budget_usd = t.GetDouble("daily_budget_usd");
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  return c;
}

FleetClient::FleetClient(FleetConfig config, TokenStore& tokens, Storage& storage, LogSink& log,
                         const sdk::Clock& clock)
    : config_(std::move(config)), clock_(clock), tokens_(tokens), storage_(storage), log_(log), logger_(log, "tesla") {
  if (!config_.client_secret.empty()) log_.AddSecret(config_.client_secret);
  const auto state = tokens_.Load();  // throws SecretBoxError for a wrong key: the host reports it
  has_token_ = state.has_token;
  refresh_token_ = state.refresh_token;
  access_token_ = state.access_token;
  access_expires_ms_ = state.access_expires_ms;
  broken_ = state.broken;
  base_url_override_ = state.base_url;
  last_refresh_ms_ = state.last_refresh_ms;
  last_error_ = state.last_error;
  log_.AddSecret(refresh_token_);
  log_.AddSecret(access_token_);
  // Today's and recent usage, so the budget and cost survive a restart.
  const auto rows = storage_.Query("SELECT day, target, category, billable, free FROM fleet_api_usage WHERE day >= ?",
                                   {UtcDay(NowMs() - 31LL * 86'400'000)});
  std::map<std::pair<std::string, std::string>, DailyUsage> loaded;
  for (const auto& row : rows.rows) {
    auto& u = loaded[{row.String(0), row.String(1)}];
    u.day = row.String(0);
    u.target = row.String(1);
    const auto cat = row.String(2);
    const auto category = cat == "data"       ? BillingCategory::kData
                          : cat == "wakes"    ? BillingCategory::kWakes
                          : cat == "commands" ? BillingCategory::kCommands
                                              : BillingCategory::kFree;
    u.billable[category] += row.Int(3);
    u.free_responses += row.Int(4);
  }
  for (const auto& [key, u] : loaded) usage_.Load(u);
  if (broken_) logger_.Warn("Tesla authorisation is broken (" + last_error_ + "); store a new refresh token");
}

std::int64_t FleetClient::NowMs() const { return sdk::ToEpochMs(clock_.Now()); }

std::string FleetClient::BaseUrl() const {
  std::lock_guard lock(mutex_);
  return base_url_override_.empty() ? config_.base_url : base_url_override_;
}

bool FleetClient::Connected() const {
  std::lock_guard lock(mutex_);
  return has_token_ && !broken_;
}

FleetClient::Response FleetClient::Send(const std::string& method, const std::string& url, const std::string& token,
                                        const std::string& content_type, const std::string& body) const {
  Response out;
  Poco::URI uri(url);
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
  if (uri.getScheme() == "https") {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(uri.getHost(), uri.getPort(), TlsContext());
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(config_.timeout).count();
  session->setTimeout(Poco::Timespan(micros));
  Poco::Net::HTTPRequest request(method, uri.getPathAndQuery(), Poco::Net::HTTPMessage::HTTP_1_1);
  request.set("User-Agent", "tessie-stats");
  request.set("Accept", "application/json");
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  if (!body.empty() || method == "POST") {
    request.setContentType(content_type);
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  session->sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  auto& in = session->receiveResponse(response);
  out.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, out.body);
  for (const auto& [k, v] : response) out.headers[Lower(k)] = v;
  return out;
}

std::chrono::milliseconds FleetClient::Backoff(int attempt) {
  std::lock_guard lock(mutex_);
  const auto base = config_.backoff_base.count() << std::min(attempt, 10);
  std::uniform_int_distribution<long long> jitter(0, base / 2);
  return std::chrono::milliseconds(base + jitter(rng_));
}

void FleetClient::SetMetrics(MetricsRegistry* metrics) {
  metrics_ = metrics;
  if (!metrics_) return;
  metrics_->Describe("tessie_fleet_requests_total", MetricType::kCounter,
                     "Fleet API responses by endpoint (ids replaced by {id}), HTTP status (\"error\" = no answer) and "
                     "Tesla billing category.");
  metrics_->Describe("tessie_fleet_billable_requests_total", MetricType::kCounter,
                     "Fleet API responses Tesla bills (status below 500, except 401), by billing category.");
  metrics_->Describe("tessie_fleet_estimated_cost_usd_total", MetricType::kCounter,
                     "Estimated Fleet API cost in USD at Tesla's prices, by billing category.");
  metrics_->Describe("tessie_fleet_cost_today_usd", MetricType::kGauge,
                     "Estimated Fleet API cost of the current UTC day in USD, per vehicle or site (persisted).");
  metrics_->Describe("tessie_fleet_last_success_timestamp_seconds", MetricType::kGauge,
                     "When the Fleet API last answered 200 for a vehicle or site (host clock, epoch seconds).");
  metrics_->Describe("tessie_fleet_hold_until_timestamp_seconds", MetricType::kGauge,
                     "A 429's Retry-After: no request for the vehicle or site before this time (epoch seconds).");
  metrics_->AddCollector([this](MetricsRegistry& m) {
    m.Clear("tessie_fleet_cost_today_usd");
    for (const auto& u : usage_.Day(UtcDay(NowMs())))
      m.Set("tessie_fleet_cost_today_usd", {{"target", u.target}}, u.CostUsd());
    m.Clear("tessie_fleet_last_success_timestamp_seconds");
    m.Clear("tessie_fleet_hold_until_timestamp_seconds");
    const auto now = NowMs();
    for (const auto& t : Targets()) {
      if (t.last_success_ms > 0)
        m.Set("tessie_fleet_last_success_timestamp_seconds", {{"target", t.target}}, t.last_success_ms / 1000.0);
      if (t.hold_until_ms > now)
        m.Set("tessie_fleet_hold_until_timestamp_seconds", {{"target", t.target}}, t.hold_until_ms / 1000.0);
    }
  });
}

void FleetClient::Record(const std::string& target, BillingCategory category, int status, const std::string& endpoint,
                         const std::string& error) {
  const auto now = NowMs();
  const auto day = UtcDay(now);
  usage_.Record(day, target, category, status);
  {
    std::lock_guard lock(mutex_);
    auto& t = targets_[target];
    t.target = target;
    t.last_request_ms = now;
    t.last_status = status;
    t.last_endpoint = endpoint;
    t.last_error = error;
    if (status == 200) t.last_success_ms = now;
  }
  // Billed as Tesla bills (UsageMeter): below 500, except 401.
  const bool billable = status > 0 && status < 500 && status != 401;
  if (metrics_) {
    metrics_->Add("tessie_fleet_requests_total", {{"endpoint", NormalizeEndpoint(endpoint)},
                                                  {"status", status > 0 ? std::to_string(status) : "error"},
                                                  {"category", ToString(category)}});
    if (billable && category != BillingCategory::kFree) {
      metrics_->Add("tessie_fleet_billable_requests_total", {{"category", ToString(category)}});
      metrics_->Add("tessie_fleet_estimated_cost_usd_total", {{"category", ToString(category)}}, PriceUsd(category));
    }
  }
  try {
    // Buffered like a sync job's writes while PostgreSQL is away (an increment: order does not matter).
    storage_.InTransactionBuffered("fleet", [&](sdk::Transaction& tx) {
      tx.Execute(
          "INSERT INTO fleet_api_usage (day, target, category, billable, free) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (day, target, category) DO UPDATE SET billable = fleet_api_usage.billable + "
          "excluded.billable, free = fleet_api_usage.free + excluded.free",
          {day, target, std::string(ToString(category)), std::int64_t{billable ? 1 : 0},
           std::int64_t{billable ? 0 : 1}});
    });
  } catch (const std::exception& e) {
    logger_.Warn(std::string("cannot persist API usage: ") + e.what());
  }
}

std::string FleetClient::AccessToken(bool force_refresh) {
  std::uint64_t generation = 0;
  {
    std::lock_guard lock(mutex_);
    if (!has_token_) {
      throw FleetError(
          FleetErrorKind::kNotConnected, 0,
          "no Tesla account is connected: store a refresh token (POST /api/auth/token) or sign in with Tesla");
    }
    if (broken_) {
      throw FleetError(
          FleetErrorKind::kNotConnected, 0,
          "Tesla rejected the stored refresh token (" + last_error_ + "); sign in again or store a new refresh token");
    }
    if (!force_refresh && !access_token_.empty() && access_expires_ms_ > NowMs() + 60'000) return access_token_;
    generation = token_generation_;
  }
  std::lock_guard single_flight(refresh_mutex_);
  {
    std::lock_guard lock(mutex_);
    // Another caller refreshed while we waited: use its token.
    if (token_generation_ != generation && !access_token_.empty() && access_expires_ms_ > NowMs()) return access_token_;
    if (broken_)
      throw FleetError(FleetErrorKind::kNotConnected, 0,
                       "Tesla rejected the stored refresh token (" + last_error_ + ")");
  }
  RefreshLocked();
  std::lock_guard lock(mutex_);
  return access_token_;
}

// Caller holds refresh_mutex_.
void FleetClient::RefreshLocked() {
  std::string refresh;
  {
    std::lock_guard lock(mutex_);
    refresh = refresh_token_;
  }
  ExchangeToken(
      FormEncode({{"grant_type", "refresh_token"}, {"client_id", config_.client_id}, {"refresh_token", refresh}}),
      true);
}

// Posts a grant to the token endpoint and stores the result; caller holds refresh_mutex_.
void FleetClient::ExchangeToken(const std::string& form, bool is_refresh) {
  Response r;
  try {
    r = Send("POST", config_.auth_url, "", "application/x-www-form-urlencoded", form);
  } catch (const Poco::Exception& e) {
    throw FleetError(FleetErrorKind::kTimeout, 0, "the Tesla token endpoint did not answer: " + e.displayText());
  }
  if (r.status != 200) {
    const auto e = ParseErrorBody(r.body);
    const std::string reason = e.error.empty() ? "HTTP " + std::to_string(r.status) : e.error;
    if ((r.status == 400 || r.status == 401) && (e.error == "login_required" || e.error == "invalid_grant" ||
                                                 e.error == "invalid_token" || e.error == "invalid_auth_code")) {
      const auto now = NowMs();
      {
        std::lock_guard lock(mutex_);
        if (is_refresh) {
          broken_ = true;
          access_token_.clear();
        }
        last_error_ = reason;
      }
      if (is_refresh) {
        tokens_.MarkBroken(reason, now);
        logger_.Error("Tesla refused the refresh token (" + reason + "): API calls stop until a new token is stored");
      }
      throw FleetError(FleetErrorKind::kNotConnected, r.status,
                       "Tesla refused the token (" + reason + "); sign in again");
    }
    {
      std::lock_guard lock(mutex_);
      last_error_ = reason;
    }
    tokens_.SetLastError(reason);
    throw FleetError(r.status >= 500 ? FleetErrorKind::kServer : FleetErrorKind::kUnauthorized, r.status,
                     "token refresh failed: " + reason);
  }
  Poco::JSON::Object::Ptr json;
  try {
    json = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
  } catch (const std::exception&) {
    throw FleetError(FleetErrorKind::kMalformed, 200, "the token endpoint answered with something that is not JSON");
  }
  const auto access = json->optValue<std::string>("access_token", "");
  std::string refresh = json->optValue<std::string>("refresh_token", "");
  const auto expires_in = json->optValue<Poco::Int64>("expires_in", 28800);
  if (access.empty()) throw FleetError(FleetErrorKind::kMalformed, 200, "the token endpoint returned no access_token");
  {
    std::lock_guard lock(mutex_);
    if (refresh.empty()) refresh = refresh_token_;  // not rotated
  }
  log_.AddSecret(access);
  log_.AddSecret(refresh);
  if (const char* crash = std::getenv("TESSIE_TEST_CRASH_AFTER_TOKEN_REFRESH"); is_refresh && crash) {
    // Test hook (integration tests only): die between receiving a rotated token and storing it, at the
    // N-th refresh of this process (the variable's value; 1 or anything else: the first).
    static std::atomic<int> refreshes{0};
    int n = 1;
    try {
      n = std::max(1, std::stoi(crash));
    } catch (const std::exception&) {
    }
    if (++refreshes >= n) std::_Exit(86);
  }
  const auto now = NowMs();
  const auto expires_ms = now + expires_in * 1000;
  // Store first: if this write fails, the new tokens are never used and the old refresh token (valid for
  // a while after use) is tried again next time.
  if (is_refresh) {
    tokens_.StoreRefreshed(refresh, access, expires_ms, now);
  } else {
    tokens_.StoreNew(refresh, access, expires_ms, now);
  }
  std::lock_guard lock(mutex_);
  refresh_token_ = refresh;
  access_token_ = access;
  access_expires_ms_ = expires_ms;
  has_token_ = true;
  broken_ = false;
  last_refresh_ms_ = now;
  last_error_.clear();
  ++token_generation_;
}

std::string FleetClient::Call(const std::string& method, const std::string& path, const std::string& target,
                              BillingCategory category, bool retry_server_errors) {
  const std::string hold_key = target + "|" + ToString(category);
  const std::string endpoint = method + " " + path.substr(0, path.find('?'));
  bool auth_retried = false, force_refresh = false, region_retried = false;
  int attempt = 0;
  while (true) {
    {
      std::lock_guard lock(mutex_);
      if (auto it = holds_.find(hold_key); it != holds_.end() && it->second > NowMs()) {
        const int wait = static_cast<int>((it->second - NowMs() + 999) / 1000);
        throw FleetError(FleetErrorKind::kRateLimited, 429,
                         "Tesla asked us to wait: no " + std::string(ToString(category)) + " request for " + target +
                             " for another " + std::to_string(wait) + " s",
                         wait);
      }
    }
    // Every billed request (data, wakes, commands) must fit today's budget; a refused one is not sent.
    if (category != BillingCategory::kFree &&
        !usage_.Allows(UtcDay(NowMs()), target, category, config_.daily_budget_usd)) {
      throw FleetError(FleetErrorKind::kBudget, 0,
                       "today's Fleet API budget for " + target + " is spent (tesla.daily_budget_usd)");
    }
    const std::string token = AccessToken(std::exchange(force_refresh, false));
    Response r;
    std::string transport_error;
    try {
      r = Send(method, BaseUrl() + path, token, "application/json", "");
    } catch (const Poco::TimeoutException& e) {
      transport_error = "timeout";
    } catch (const Poco::Exception& e) {
      transport_error = e.displayText();
    }
    ++attempt;
    if (!transport_error.empty()) {
      Record(target, category, 0, endpoint, transport_error);
      if (retry_server_errors && attempt < config_.max_attempts) {
        std::this_thread::sleep_for(Backoff(attempt - 1));
        continue;
      }
      throw FleetError(FleetErrorKind::kTimeout, 0, endpoint + " for " + target + " failed: " + transport_error);
    }
    const std::string detail = r.status == 200 ? "" : Describe(r.body);
    Record(target, category, r.status, endpoint, detail);
    // No request for this target and category before `seconds` from now.
    auto hold = [&](int seconds) {
      std::lock_guard lock(mutex_);
      holds_[hold_key] = NowMs() + seconds * 1000LL;
      targets_[target].hold_until_ms = holds_[hold_key];
    };
    // The last request this window allows (RateLimit-Remaining: 0): hold the next one until the reset rather
    // than pay for a 429 (billable like any answer below 500).
    if (r.status != 429 && r.status < 500) {
      if (auto reset = RateLimitResetSeconds(r.headers, true)) {
        hold(*reset);
        logger_.Warn("Tesla allows no more " + std::string(ToString(category)) + " requests for " + target +
                     " until its rate-limit window resets; next request in " + std::to_string(*reset) + " s");
      }
    }
    switch (r.status) {
      case 200:
        return r.body;
      case 401:
        if (!auth_retried) {  // the access token may have been revoked early: refresh once, then retry
          auth_retried = force_refresh = true;
          continue;
        }
        throw FleetError(FleetErrorKind::kUnauthorized, 401, "Tesla refused the access token: " + detail);
      case 408:
        throw FleetError(FleetErrorKind::kAsleep, 408, target + " is asleep or offline");
      case 421: {
        std::string next = RegionRedirectFromBody(r.body);
        if (next.empty()) {
          if (auto it = r.headers.find("alt-svc"); it != r.headers.end()) {
            static const std::regex alt("https://[^\\s,;\"]+");
            std::smatch m;
            if (std::regex_search(it->second, m, alt)) next = m[0];
          }
        }
        while (!next.empty() && next.back() == '/') next.pop_back();
        if (!next.empty() && !IsTrustedRegionRedirect(next, config_.base_url)) {
          throw FleetError(FleetErrorKind::kOther, 421,
                           "Tesla redirected to an untrusted base URL (" + next + "); set tesla.base_url yourself");
        }
        if (!next.empty() && next != BaseUrl() && !region_retried) {
          region_retried = true;
          logger_.Warn("this Tesla account lives in another region; switching the Fleet API base URL to " + next);
          {
            std::lock_guard lock(mutex_);
            base_url_override_ = next;
          }
          tokens_.SetBaseUrl(next);
          continue;
        }
        throw FleetError(FleetErrorKind::kOther, 421, "wrong Fleet API region and no usable redirect: " + detail);
      }
      case 429: {
        const int wait = RetryAfterSeconds(r.headers, r.body);
        hold(wait);
        logger_.Warn("rate limited by Tesla for " + target + " (" + ToString(category) + "); next request in " +
                     std::to_string(wait) + " s");
        throw FleetError(FleetErrorKind::kRateLimited, 429, "rate limited; retry in " + std::to_string(wait) + " s",
                         wait);
      }
      case 403:
        throw FleetError(FleetErrorKind::kForbidden, 403, "Tesla refused " + endpoint + ": " + detail);
      case 404:
        throw FleetError(FleetErrorKind::kNotFound, 404, target + " not found: " + detail);
      default:
        break;
    }
    if (r.status >= 500) {
      if (retry_server_errors && attempt < config_.max_attempts) {
        std::this_thread::sleep_for(Backoff(attempt - 1));
        continue;
      }
      throw FleetError(FleetErrorKind::kServer, r.status, "Tesla answered " + std::to_string(r.status) + ": " + detail);
    }
    throw FleetError(FleetErrorKind::kOther, r.status, "Tesla answered " + std::to_string(r.status) + ": " + detail);
  }
}

std::string FleetClient::Cached(const std::string& key, const std::function<std::string()>& fetch) {
  std::shared_future<std::string> future;
  std::shared_ptr<std::promise<std::string>> promise;
  {
    std::lock_guard lock(mutex_);
    auto it = cache_.find(key);
    if (it != cache_.end() && it->second.first > NowMs()) {
      future = it->second.second;
    } else {
      promise = std::make_shared<std::promise<std::string>>();
      future = promise->get_future().share();
      cache_[key] = {std::numeric_limits<std::int64_t>::max(), future};  // in flight: others wait for it
    }
  }
  if (promise) {
    try {
      promise->set_value(fetch());
      std::lock_guard lock(mutex_);
      cache_[key].first = NowMs() + config_.cache_ttl.count();
    } catch (...) {
      promise->set_exception(std::current_exception());
      std::lock_guard lock(mutex_);
      cache_.erase(key);
    }
  }
  return future.get();
}

namespace {
template <class T, class F>
T ParseOrLog(ComponentLogger& logger, const std::string& what, F parse, const std::string& body) {
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

template <class T>
T FleetClient::CachedParse(const std::string& key, const char* what, T (*parse)(const std::string&),
                           const std::function<std::string()>& call) {
  // The body is checked before it is cached: a malformed answer is logged, skipped, and not reused.
  const auto body = Cached(key, [&] {
    auto b = call();
    ParseOrLog<T>(logger_, what, parse, b);
    return b;
  });
  return parse(body);
}

sdk::Products FleetClient::GetProducts() {
  return ParseOrLog<sdk::Products>(logger_, "products", ParseProducts,
                                   Call("GET", "/api/1/products", "account", BillingCategory::kFree));
}

std::vector<sdk::VehicleSummary> FleetClient::ListVehicles() {
  constexpr int kPerPage = 100;
  std::vector<sdk::VehicleSummary> all;
  for (int page = 1; page <= 50; ++page) {
    const auto body =
        Call("GET", "/api/1/vehicles?page=" + std::to_string(page) + "&per_page=" + std::to_string(kPerPage), "account",
             BillingCategory::kFree);
    auto batch = ParseOrLog<std::vector<sdk::VehicleSummary>>(logger_, "vehicles", ParseVehicleList, body);
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
    if (url.empty() || url == BaseUrl()) return;
    if (!IsTrustedRegionRedirect(url, config_.base_url)) {
      logger_.Warn("users/region names an untrusted base URL (" + url + "); keeping " + BaseUrl());
      return;
    }
    logger_.Info("this Tesla account lives at " + url + "; using it as the Fleet API base URL");
    {
      std::lock_guard lock(mutex_);
      base_url_override_ = url;
    }
    tokens_.SetBaseUrl(url);
  } catch (const std::exception& e) {
    logger_.Debug(std::string("users/region not used: ") + e.what());
  }
}

sdk::VehicleSummary FleetClient::GetVehicle(std::int64_t id) {
  return ParseOrLog<sdk::VehicleSummary>(
      logger_, "vehicle", ParseVehicle,
      Call("GET", "/api/1/vehicles/" + std::to_string(id), V(id), BillingCategory::kFree));
}

sdk::VehicleData FleetClient::GetVehicleData(std::int64_t id, sdk::VehicleDataScope scope) {
  std::string endpoints = "charge_state;climate_state;drive_state;gui_settings;vehicle_config;vehicle_state";
  if (scope == sdk::VehicleDataScope::kWithLocation) endpoints += ";location_data";
  std::string encoded;
  Poco::URI::encode(endpoints, ";", encoded);
  const std::string path = "/api/1/vehicles/" + std::to_string(id) + "/vehicle_data?endpoints=" + encoded;
  return CachedParse<sdk::VehicleData>(path, "vehicle_data", ParseVehicleData,
                                       [&] { return Call("GET", path, V(id), BillingCategory::kData); });
}

sdk::VehicleSummary FleetClient::WakeUp(std::int64_t id) {
  const auto body =
      Call("POST", "/api/1/vehicles/" + std::to_string(id) + "/wake_up", V(id), BillingCategory::kWakes, false);
  return ParseOrLog<sdk::VehicleSummary>(logger_, "wake_up", ParseVehicle, body);
}

sdk::LiveStatus FleetClient::GetLiveStatus(std::int64_t site) {
  const std::string path = "/api/1/energy_sites/" + std::to_string(site) + "/live_status";
  return CachedParse<sdk::LiveStatus>(path, "live_status", ParseLiveStatus,
                                      [&] { return Call("GET", path, S(site), BillingCategory::kFree); });
}

sdk::SiteInfo FleetClient::GetSiteInfo(std::int64_t site) {
  const std::string path = "/api/1/energy_sites/" + std::to_string(site) + "/site_info";
  auto info =
      ParseOrLog<sdk::SiteInfo>(logger_, "site_info", ParseSiteInfo,
                                Cached(path, [&] { return Call("GET", path, S(site), BillingCategory::kFree); }));
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
  return ParseOrLog<sdk::EnergyHistory>(
      logger_, "calendar_history", ParseEnergyHistory,
      Call("GET", HistoryPath(site, "energy", period, start, end, tz), S(site), BillingCategory::kFree));
}

std::vector<sdk::BackupEvent> FleetClient::GetBackupHistory(std::int64_t site, const std::string& period,
                                                            const std::string& start, const std::string& end,
                                                            const std::string& tz) {
  return ParseOrLog<std::vector<sdk::BackupEvent>>(
      logger_, "backup history", ParseBackupHistory,
      Call("GET", HistoryPath(site, "backup", period, start, end, tz), S(site), BillingCategory::kFree));
}

bool FleetClient::WithinBudget(std::int64_t id) const {
  return usage_.Allows(UtcDay(NowMs()), V(id), BillingCategory::kData, config_.daily_budget_usd);
}

void FleetClient::StoreRefreshToken(const std::string& refresh_token) {
  std::lock_guard single_flight(refresh_mutex_);
  log_.AddSecret(refresh_token);
  tokens_.StoreNew(refresh_token, "", 0, NowMs());
  std::lock_guard lock(mutex_);
  refresh_token_ = refresh_token;
  access_token_.clear();
  access_expires_ms_ = 0;
  has_token_ = true;
  broken_ = false;
  last_error_.clear();
  holds_.clear();
  cache_.clear();
  ++token_generation_;
}

void FleetClient::Disconnect() {
  std::lock_guard single_flight(refresh_mutex_);
  tokens_.Clear();
  std::lock_guard lock(mutex_);
  refresh_token_.clear();
  access_token_.clear();
  access_expires_ms_ = 0;
  has_token_ = false;
  broken_ = false;
  base_url_override_.clear();
  last_error_.clear();
  cache_.clear();
  ++token_generation_;
}

AuthStatus FleetClient::Status() const {
  std::lock_guard lock(mutex_);
  AuthStatus s;
  s.connected = has_token_ && !broken_;
  s.broken = broken_;
  s.scopes = ScopesOf(access_token_);
  s.access_expires_ms = access_expires_ms_;
  s.region = RegionOf(access_token_);
  if (s.region.empty()) s.region = config_.region;
  s.base_url = base_url_override_.empty() ? config_.base_url : base_url_override_;
  s.last_refresh_ms = last_refresh_ms_;
  s.last_error = last_error_;
  return s;
}

std::vector<TargetStatus> FleetClient::Targets() const {
  std::lock_guard lock(mutex_);
  std::vector<TargetStatus> out;
  for (const auto& [k, t] : targets_) out.push_back(t);
  return out;
}

std::string FleetClient::BeginSignIn() {
  if (!SignInConfigured()) {
    throw FleetError(FleetErrorKind::kOther, 0,
                     "Sign in with Tesla needs tesla.client_id and tesla.redirect_uri in the config");
  }
  unsigned char random[48];
  if (RAND_bytes(random, sizeof(random)) != 1) throw FleetError(FleetErrorKind::kOther, 0, "no random bytes");
  const std::string verifier = Base64Url(random, sizeof(random));
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(verifier.data()), verifier.size(), digest);
  const std::string challenge = Base64Url(digest, sizeof(digest));
  const std::string state = RandomHex(16);
  {
    std::lock_guard lock(mutex_);
    const auto now = NowMs();
    std::erase_if(sign_ins_, [&](const auto& kv) { return kv.second.second < now; });
    sign_ins_[state] = {verifier, now + 10 * 60'000};
  }
  Poco::URI uri(config_.authorize_url);
  uri.addQueryParameter("response_type", "code");
  uri.addQueryParameter("client_id", config_.client_id);
  uri.addQueryParameter("redirect_uri", config_.redirect_uri);
  uri.addQueryParameter("scope", config_.scopes);
  uri.addQueryParameter("state", state);
  uri.addQueryParameter("code_challenge", challenge);
  uri.addQueryParameter("code_challenge_method", "S256");
  uri.addQueryParameter("prompt_missing_scopes", "true");
  return uri.toString();
}

void FleetClient::CompleteSignIn(const std::string& code, const std::string& state) {
  std::string verifier;
  {
    std::lock_guard lock(mutex_);
    auto it = sign_ins_.find(state);
    if (it == sign_ins_.end() || it->second.second < NowMs()) {
      throw FleetError(FleetErrorKind::kOther, 400, "unknown or expired sign-in; start again from the login link");
    }
    verifier = it->second.first;
    sign_ins_.erase(it);
  }
  std::vector<std::pair<std::string, std::string>> form = {
      {"grant_type", "authorization_code"}, {"client_id", config_.client_id}, {"code", code},
      {"code_verifier", verifier},          {"audience", BaseUrl()},          {"redirect_uri", config_.redirect_uri}};
  if (!config_.client_secret.empty()) form.emplace_back("client_secret", config_.client_secret);
  std::lock_guard single_flight(refresh_mutex_);
  ExchangeToken(FormEncode(form), false);
  std::lock_guard lock(mutex_);
  holds_.clear();
  cache_.clear();
}

}  // namespace tessie::core::fleet
