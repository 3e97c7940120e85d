#include "host.hpp"

#include "core_openapi.hpp"

#include "fleet/fleet_routes.hpp"
#include "fleet/secret_box.hpp"
#include "sim_clock.hpp"
#include "tessie/sdk/events/sync.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/URI.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>

namespace tessie::core {

namespace {

class SystemClock final : public sdk::Clock {
 public:
  std::chrono::system_clock::time_point Now() const override { return std::chrono::system_clock::now(); }
};

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : fallback;
}

}  // namespace

std::filesystem::path DefaultPluginDir() {
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return "plugins";
  return (exe.parent_path() / ".." / "lib" / "tessie-stats" / "plugins").lexically_normal();
}

Host::Host(CoreConfig config, std::unique_ptr<PluginManager> plugins, LogSink& log)
    : config_(std::move(config)), plugins_(std::move(plugins)), log_(log), logger_(log, "host") {}

Host::~Host() { Stop(); }

void Host::Start() {
  log_.SetMinLevel(ParseLogLevel(config_.log_level == "warning" ? "warn" : config_.log_level));

  // Secrets first, so that nothing below can log one.
  if (config_.admin_password.empty()) {
    throw HostStartError("no admin password: set auth.admin_password in the config or TESSIE_ADMIN_PASSWORD");
  }
  // What the token signing key is derived from (see TokenIssuer): a new password, a new key.
  const std::string key_epoch = "password:" + config_.admin_password;
  if (IsPasswordHash(config_.admin_password)) {
    password_hash_ = config_.admin_password;
  } else {
    log_.AddSecret(config_.admin_password);
    password_hash_ = HashPassword(config_.admin_password);
  }
  config_.admin_password.clear();
  const auto& tesla = config_.tesla;
  if (tesla.Has("client_secret")) log_.AddSecret(tesla.GetString("client_secret"));
  if (const char* key = std::getenv("TESSIE_ENCRYPTION_KEY")) log_.AddSecret(key);
  if (!config_.storage_url.empty()) {
    Poco::URI uri(config_.storage_url);
    const auto info = uri.getUserInfo();
    if (auto colon = info.find(':'); colon != std::string::npos) {
      std::string password;
      Poco::URI::decode(info.substr(colon + 1), password);
      log_.AddSecret(password);
      log_.AddSecret(info.substr(colon + 1));
    }
  }

  std::error_code ec;
  std::filesystem::create_directories(config_.data_dir, ec);
  if (ec) throw HostStartError("cannot create data_dir " + config_.data_dir.string() + ": " + ec.message());
  ::chmod(config_.data_dir.c_str(), 0700);

  std::string jwt_secret = EnvOr("TESSIE_JWT_SECRET", "");
  try {
    if (jwt_secret.empty()) jwt_secret = LoadOrCreateHexKey(config_.data_dir / "jwt-secret.key", 32);
  } catch (const std::exception& e) {
    throw HostStartError(e.what());
  }
  log_.AddSecret(jwt_secret);
  try {
    revoked_ = std::make_unique<RevokedTokens>(
        config_.data_dir / "revoked-tokens",
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  } catch (const std::exception& e) {
    throw HostStartError(std::string("revoked login tokens: ") + e.what());
  }
  tokens_ = std::make_unique<TokenIssuer>(jwt_secret, config_.token_ttl, key_epoch, revoked_.get());

  try {
    storage_ = std::make_unique<Storage>(config_.storage_url, config_.data_dir, config_.storage_pool_size, log_);
  } catch (const std::exception& e) {
    throw HostStartError(e.what());
  }
  logger_.Info("storage: " + storage_->Describe());
  storage_->SetMetrics(&metrics_);
  storage_->SetBufferMaxRows(config_.storage_buffer_max_rows);

  scheduler_ = std::make_unique<JobScheduler>(config_.scheduler_threads, log_);
  scheduler_->SetMetrics(&metrics_);
  // A job's writes (and those of the event subscribers it runs) are buffered while PostgreSQL is away.
  scheduler_->SetRunHook([](const std::function<void()>& run) {
    BufferedWriteScope buffered;
    run();
  });
  if (config_.simulator_clock_url.empty()) {
    clock_ = std::make_unique<SystemClock>();
  } else {
    try {
      auto sim = std::make_unique<SimulatorClock>(config_.simulator_clock_url, log_);
      scheduler_->SetTimeScale([clock = sim.get()] { return clock->Speed(); });
      sim->OnSpeedChange([scheduler = scheduler_.get()] { scheduler->Rescale(); });  // the clock goes first
      logger_.Warn("clock follows the Fleet API simulator at " + config_.simulator_clock_url + " (demo/test mode)");
      clock_ = std::move(sim);
    } catch (const std::exception& e) {
      throw HostStartError("clock.simulator_url: cannot reach the simulator: " + std::string(e.what()));
    }
  }

  // The Tesla token vault: AES-256-GCM with TESSIE_ENCRYPTION_KEY or a generated 0600 key file.
  try {
    std::string key = EnvOr("TESSIE_ENCRYPTION_KEY", "");
    if (key.empty()) key = LoadOrCreateHexKey(config_.data_dir / "encryption.key", 32);
    log_.AddSecret(key);
    token_store_ = std::make_unique<fleet::TokenStore>(*storage_, fleet::SecretBox(key));
    token_store_->Migrate();
    fleet_ = std::make_unique<fleet::FleetClient>(fleet::FleetConfig::From(config_.tesla), *token_store_, *storage_,
                                                  log_, *clock_, fleet::FleetSeams{nullptr, fleet_refresh_hook_});
    fleet_->SetMetrics(&metrics_);
  } catch (const fleet::SecretBoxError& e) {
    throw HostStartError(std::string("Tesla token vault: ") + e.what() +
                         " (set TESSIE_ENCRYPTION_KEY to the key the token was stored with, or DELETE /api/auth/token "
                         "after starting with a new key)");
  } catch (const std::exception& e) {
    throw HostStartError(std::string("Tesla token vault: ") + e.what());
  }

  events_ = std::make_unique<EventHub>(log_);
  mqtt_ = std::make_unique<MqttService>(config_.mqtt, log_);
  mqtt_->Start();

  AddHostMetrics();
  AddCoreRoutes();
  fleet::AddFleetRoutes(router_, *fleet_, *scheduler_, progress_, log_);
  HttpServerOptions http_options;
  http_options.host = config_.listen_host;
  http_options.port = config_.listen_port;
  http_options.max_body_bytes = config_.max_body_bytes;
  http_options.threads = config_.http_threads;
  http_options.max_connections = config_.max_connections;
  http_options.max_connections_per_client = config_.max_connections_per_client;
  http_options.metrics = &metrics_;
  http_ = std::make_unique<HttpServer>(http_options, router_, *tokens_, log_);
  // Health, readiness and metrics answer at once; everything else waits for the plugins (503, Retry-After).
  http_->SetStarting(true);
  try {
    http_->Start();
  } catch (const std::exception& e) {
    throw HostStartError(e.what());
  }
  logger_.Info("listening on http://" + config_.listen_host + ":" + std::to_string(http_->Port()));

  services_ = HostServices{&log_,       &router_,     scheduler_.get(), events_.get(),    storage_.get(),
                           mqtt_.get(), clock_.get(), fleet_.get(),     config_.data_dir, &openapi_,
                           &metrics_};
  const auto missing = plugins_->StartAll(services_);
  if (!missing.empty()) {
    std::string names;
    for (const auto& n : missing) names += (names.empty() ? "" : ", ") + n;
    throw HostStartError("required plugin(s) not running: " + names + " (see the errors above)");
  }
  ready_ = true;
  http_->SetStarting(false);
  std::size_t running = 0;
  for (const auto& p : plugins_->Status()) running += p.state == PluginState::kRunning ? 1 : 0;
  logger_.Info("ready: " + std::to_string(running) + " plugin(s) running");
}

void Host::Stop() {
  if (stopping_.exchange(true)) return;
  ready_ = false;
  logger_.Info("shutting down");
  if (http_) http_->Stop();           // no new requests; in-flight ones finish
  if (plugins_) plugins_->StopAll();  // reverse order; each plugin's running jobs finish first
  if (scheduler_) scheduler_->Shutdown();
  if (mqtt_) mqtt_->Stop();
  router_.RemoveOwner("core");
  fleet_.reset();
  token_store_.reset();
  storage_.reset();
  logger_.Info("stopped");
}

void Host::AddCoreRoutes() {
  openapi_.SetCore(kCoreOpenApiYaml);  // docs/openapi.yaml, embedded at build time
  router_.Add({"GET",
               "/api/openapi.json",
               "core",
               [this](const sdk::HttpRequest&) { return OpenApi(); },
               {true, "this API described in OpenAPI 3.0: the host's routes and each running plugin's"}});
  router_.Add({"GET",
               "/api/health",
               "core",
               [this](const sdk::HttpRequest& r) { return Health(r); },
               {true, "liveness, readiness and the last successful sync"},
               {},
               true});
  router_.Add({"GET",
               "/api/health/live",
               "core",
               [](const sdk::HttpRequest&) {
                 Poco::JSON::Object body;
                 body.set("live", true);
                 return sdk::HttpResponse::Json(body);
               },
               {true, "liveness: 200 while the process serves requests"},
               {},
               true});
  router_.Add({"GET",
               "/api/health/ready",
               "core",
               [this](const sdk::HttpRequest&) { return Ready(); },
               {true, "readiness: 200 when storage is reachable and the plugins started, else 503"},
               {},
               true});
  router_.Add({"GET",
               "/metrics",
               "core",
               [this](const sdk::HttpRequest&) {
                 sdk::HttpResponse r;
                 r.status = 200;
                 r.content_type = "text/plain; version=0.0.4; charset=utf-8";
                 r.body = metrics_.Render();
                 return r;
               },
               {config_.metrics_public, "Prometheus metrics (text format 0.0.4)"},
               {},
               true});
  router_.Add({"GET",
               "/api/plugins",
               "core",
               [this](const sdk::HttpRequest&) { return Plugins(); },
               {false, "plugins, their state and errors"}});
  router_.Add({"GET",
               "/api/routes",
               "core",
               [this](const sdk::HttpRequest&) { return Routes(); },
               {false, "every route, its owner and whether it is public"}});
  router_.Add({"POST",
               "/api/auth/login",
               "core",
               [this](const sdk::HttpRequest& r) { return Login(r); },
               {true, "exchange the admin password for a Bearer token"}});
  router_.Add({"POST",
               "/api/auth/logout",
               "core",
               [this](const sdk::HttpRequest& r) { return Logout(r); },
               {false, "revoke the Bearer token sent with this request"}});
}

bool Host::StorageReachable() const {
  if (!storage_) return false;
  std::lock_guard lock(probe_mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - probed_at_ >= std::chrono::seconds(1)) {
    probe_ok_ = storage_->Ping();
    probed_at_ = now;
  }
  return probe_ok_;
}

namespace {

Poco::Dynamic::Var Iso(std::int64_t epoch_ms) {
  if (epoch_ms <= 0) return Poco::Dynamic::Var();
  return Poco::DateTimeFormatter::format(Poco::Timestamp(epoch_ms * 1000), Poco::DateTimeFormat::ISO8601_FRAC_FORMAT);
}

}  // namespace

sdk::HttpResponse Host::Ready() const {
  const bool storage_ok = StorageReachable();
  const bool ready = ready_ && storage_ok;
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("ready", ready);
  Poco::JSON::Array::Ptr reasons = new Poco::JSON::Array;
  if (stopping_) reasons->add("stopping");
  if (!ready_ && !stopping_) reasons->add("plugins not started");
  if (!storage_ok) reasons->add("storage unreachable");
  body.set("reasons", reasons);
  return sdk::HttpResponse::Json(body, ready ? 200 : 503);
}

sdk::HttpResponse Host::Health(const sdk::HttpRequest& request) const {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const bool storage_ok = StorageReachable();
  const bool ready = ready_ && storage_ok;
  body->set("status", ready ? "ok" : (stopping_ ? "stopping" : "unavailable"));
  body->set("live", true);
  body->set("ready", ready);
  body->set("version", std::string(TESSIE_SDK_VERSION_STRING));
  // The host's notion of now (the simulator's clock in demo/test mode): the dashboard measures "last 24 h" and
  // "as of …" from it, not from the browser's clock.
  const auto now = clock_ ? clock_->Now() : std::chrono::system_clock::now();
  body->set("now", Iso(std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count()));
  body->set("uptime_s",
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_at_).count());
  Poco::JSON::Object::Ptr storage = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  storage->set("backend", storage_ && storage_->Kind() == sdk::Backend::kPostgres ? "postgresql" : "sqlite");
  storage->set("ok", storage_ok);
  storage->set("buffered_rows", storage_ ? storage_->BufferedRows() : 0);
  storage->set("dropped_rows", storage_ ? storage_->DroppedRows() : 0);
  body->set("storage", storage);
  Poco::JSON::Object::Ptr counts = new Poco::JSON::Object;
  for (const auto plugin_state : plugins_->States()) {
    const std::string state = ToString(plugin_state);
    counts->set(state, counts->has(state) ? counts->getValue<int>(state) + 1 : 1);
  }
  body->set("plugins", counts);
  body->set("plugins_started", ready_.load());
  Poco::JSON::Object::Ptr mqtt = new Poco::JSON::Object;
  const auto stats = mqtt_ ? mqtt_->Stats() : MqttStats{};
  mqtt->set("enabled", stats.enabled);
  mqtt->set("connected", stats.connected);
  body->set("mqtt", mqtt);
  // The last successful Fleet API answer: the newest one for everyone; per vehicle and site only with a
  // login token (ids of the owner's cars are not for anonymous callers).
  const auto targets = fleet_ ? fleet_->Targets() : std::vector<fleet::TargetStatus>{};
  std::int64_t newest = 0;
  for (const auto& t : targets) newest = std::max(newest, t.last_success_ms);
  Poco::JSON::Object::Ptr sync = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  sync->set("last_success", Iso(newest));
  const auto auth = request.headers.find("authorization");
  const bool authorized = auth != request.headers.end() && auth->second.size() > 7 && tokens_ &&
                          tokens_->Verify(auth->second.substr(7), std::chrono::system_clock::now()).has_value();
  if (authorized) {
    Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
    for (const auto& t : targets) {
      Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      o->set("target", t.target);
      o->set("last_success", Iso(t.last_success_ms));
      o->set("last_request", Iso(t.last_request_ms));
      o->set("last_status", t.last_status);
      list->add(o);
    }
    sync->set("targets", list);
  }
  body->set("sync", sync);
  return sdk::HttpResponse::Json(body, ready ? 200 : 503);
}

void Host::AddHostMetrics() {
  metrics_.Describe("tessie_up", MetricType::kGauge, "1 while the host runs.");
  metrics_.Describe("tessie_ready", MetricType::kGauge, "1 when storage is reachable and the plugins started.");
  metrics_.Describe("tessie_plugins", MetricType::kGauge, "Plugins per state (running, failed, disabled, ...).");
  metrics_.Describe("tessie_mqtt_enabled", MetricType::kGauge, "1 when mqtt.url is configured.");
  metrics_.Describe("tessie_mqtt_connected", MetricType::kGauge, "1 while connected to the MQTT broker.");
  metrics_.Describe("tessie_mqtt_messages_published_total", MetricType::kCounter,
                    "MQTT messages handed to the broker (states, discovery, availability).");
  metrics_.Describe("tessie_mqtt_connects_total", MetricType::kCounter,
                    "Successful MQTT connections (the first and every reconnect).");
  metrics_.Set("tessie_up", {}, 1);
  metrics_.AddCollector([this](MetricsRegistry& m) {
    m.Set("tessie_ready", {}, ready_ && StorageReachable() ? 1 : 0);
    m.Clear("tessie_plugins");
    for (const auto& p : plugins_->Status()) m.Add("tessie_plugins", {{"state", ToString(p.state)}}, 1);
    const auto stats = mqtt_ ? mqtt_->Stats() : MqttStats{};
    m.Set("tessie_mqtt_enabled", {}, stats.enabled ? 1 : 0);
    m.Set("tessie_mqtt_connected", {}, stats.connected ? 1 : 0);
    m.Set("tessie_mqtt_messages_published_total", {}, static_cast<double>(stats.published));
    m.Set("tessie_mqtt_connects_total", {}, static_cast<double>(stats.connects));
  });
  // The plugins' discovery and backfill progress, for the first-run status (/api/sync/status).
  events_->Subscribe("core", sdk::events::SyncDiscovered::kTopic, [this](const void* raw) {
    const auto& e = *static_cast<const sdk::events::SyncDiscovered*>(raw);
    progress_.OnDiscovered(e.kind, e.count, e.backfills);
  });
  events_->Subscribe("core", sdk::events::SyncBackfill::kTopic, [this](const void* raw) {
    const auto& e = *static_cast<const sdk::events::SyncBackfill*>(raw);
    progress_.OnBackfill({e.target, e.name, e.days_done, e.days_total});
  });
}

sdk::HttpResponse Host::Plugins() const {
  const auto jobs = scheduler_ ? scheduler_->Status() : std::vector<JobStatus>{};
  const auto routes = router_.Routes();
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& p : plugins_->Status()) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("name", p.name);
    o->set("version", p.version);
    o->set("description", p.description);
    o->set("state", ToString(p.state));
    o->set("error", p.error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(p.error));
    o->set("required", p.required);
    Poco::JSON::Array::Ptr deps = new Poco::JSON::Array;
    for (const auto& d : p.depends_on) deps->add(d);
    o->set("depends_on", deps);
    Poco::JSON::Array::Ptr rs = new Poco::JSON::Array;
    for (const auto& r : routes) {
      if (r.owner != p.name) continue;
      Poco::JSON::Object::Ptr ro = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      ro->set("method", r.method);
      ro->set("path", r.pattern);
      ro->set("public", r.options.is_public);
      rs->add(ro);
    }
    o->set("routes", rs);
    Poco::JSON::Array::Ptr js = new Poco::JSON::Array;
    for (const auto& j : jobs) {
      if (j.owner != p.name) continue;
      Poco::JSON::Object::Ptr jo = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
      jo->set("name", j.name);
      jo->set("periodic", j.periodic);
      jo->set("interval_ms", j.interval_ms);
      jo->set("running", j.running);
      jo->set("runs", j.runs);
      jo->set("failures", j.failures);
      jo->set("consecutive_failures", j.consecutive_failures);
      jo->set("last_run_ms", j.last_run_ms);
      jo->set("last_duration_ms", j.last_duration_ms);
      jo->set("last_error", j.last_error.empty() ? Poco::Dynamic::Var() : Poco::Dynamic::Var(j.last_error));
      jo->set("next_run_ms", j.next_run_ms);
      js->add(jo);
    }
    o->set("jobs", js);
    list->add(o);
  }
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("plugins", list);
  return sdk::HttpResponse::Json(body);
}

sdk::HttpResponse Host::Routes() const {
  Poco::JSON::Array::Ptr list = new Poco::JSON::Array;
  for (const auto& r : router_.Routes()) {
    Poco::JSON::Object::Ptr o = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    o->set("method", r.method);
    o->set("path", r.pattern);
    o->set("owner", r.owner);
    o->set("public", r.options.is_public);
    o->set("summary", r.options.summary);
    list->add(o);
  }
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object;
  body->set("routes", list);
  return sdk::HttpResponse::Json(body);
}

sdk::HttpResponse Host::OpenApi() const {
  std::map<std::string, std::string> tags = {
      {"core", "The host: health, metrics, login, plugins and routes, the Tesla account and sync"}};
  for (const auto& p : plugins_->Status()) tags[p.name] = p.description;
  return sdk::HttpResponse::Text(openapi_.Render(router_.Routes(), tags, TESSIE_SDK_VERSION_STRING),
                                 "application/json");
}

sdk::HttpResponse Host::Login(const sdk::HttpRequest& request) {
  const auto too_many = [](int wait) {
    Poco::JSON::Object err;
    err.set("error", "too_many_attempts");
    err.set("message", "too many login attempts; try again in " + std::to_string(wait) + " s");
    auto r = sdk::HttpResponse::Json(err, 429);
    r.headers["Retry-After"] = std::to_string(wait);
    return r;
  };
  const auto body = request.JsonBody();
  if (!body->has("password") || !body->get("password").isString()) {
    throw sdk::HttpError::BadRequest("send {\"password\": \"...\"}");
  }
  if (body->has("username") && body->getValue<std::string>("username") != "admin") {
    throw sdk::HttpError::BadRequest("the only user is 'admin'");
  }
  // Counted before the password is checked, so that parallel attempts cannot pass the limit together.
  const auto now = LoginThrottle::Clock::now();
  if (int wait = throttle_.Reserve(request.client_address, now); wait > 0) return too_many(wait);
  bool ok = false;
  try {
    ok = VerifyPassword(body->getValue<std::string>("password"), password_hash_);
  } catch (...) {
    throttle_.Cancel(request.client_address);
    throw;
  }
  if (!ok) {
    throttle_.Failure(request.client_address, LoginThrottle::Clock::now());
    logger_.Warn("failed login from " + request.client_address);
    throw sdk::HttpError(401, "invalid_credentials", "wrong password");
  }
  throttle_.Success(request.client_address);
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("token", tokens_->Issue(TokenIssuer::kSubject, std::chrono::system_clock::now()));
  out->set("token_type", "Bearer");
  out->set("expires_in", std::chrono::duration_cast<std::chrono::seconds>(tokens_->Ttl()).count());
  return sdk::HttpResponse::Json(out);
}

sdk::HttpResponse Host::Logout(const sdk::HttpRequest& request) {
  // The server let the request through with a valid token; read its id again to revoke it.
  const auto header = request.headers.find("authorization");
  const auto now = std::chrono::system_clock::now();
  const auto claims = header == request.headers.end() || header->second.size() <= 7
                          ? std::nullopt
                          : tokens_->VerifyClaims(header->second.substr(7), now);
  if (!claims) throw sdk::HttpError(401, "unauthorized", "the login token is invalid or expired; log in again");
  try {
    revoked_->Revoke(claims->id, claims->expires_s,
                     std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count());
  } catch (const std::exception& e) {
    logger_.Error(std::string("logout: the revocation is not saved and ends at a restart: ") + e.what());
  }
  return sdk::HttpResponse::NoContent();
}

}  // namespace tessie::core
