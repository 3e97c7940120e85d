#include "host.hpp"

#include "fleet/fleet_routes.hpp"
#include "fleet/secret_box.hpp"
#include "sim_clock.hpp"

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
  tokens_ = std::make_unique<TokenIssuer>(jwt_secret, config_.token_ttl);

  try {
    storage_ = std::make_unique<Storage>(config_.storage_url, config_.data_dir, config_.storage_pool_size, log_);
  } catch (const std::exception& e) {
    throw HostStartError(e.what());
  }
  logger_.Info("storage: " + storage_->Describe());

  scheduler_ = std::make_unique<JobScheduler>(config_.scheduler_threads, log_);
  if (config_.simulator_clock_url.empty()) {
    clock_ = std::make_unique<SystemClock>();
  } else {
    try {
      auto sim = std::make_unique<SimulatorClock>(config_.simulator_clock_url, log_);
      scheduler_->SetTimeScale([clock = sim.get()] { return clock->Speed(); });
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
                                                  log_, *clock_);
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

  AddCoreRoutes();
  fleet::AddFleetRoutes(router_, *fleet_, *scheduler_);
  HttpServerOptions http_options;
  http_options.host = config_.listen_host;
  http_options.port = config_.listen_port;
  http_options.max_body_bytes = config_.max_body_bytes;
  http_options.threads = config_.http_threads;
  http_ = std::make_unique<HttpServer>(http_options, router_, *tokens_, log_);
  try {
    http_->Start();
  } catch (const Poco::Exception& e) {
    throw HostStartError("cannot listen on " + config_.listen_host + ":" + std::to_string(config_.listen_port) + ": " +
                         e.displayText());
  }
  logger_.Info("listening on http://" + config_.listen_host + ":" + std::to_string(http_->Port()));

  services_ = HostServices{&log_,       &router_,     scheduler_.get(), events_.get(),   storage_.get(),
                           mqtt_.get(), clock_.get(), fleet_.get(),     config_.data_dir};
  const auto missing = plugins_->StartAll(services_);
  if (!missing.empty()) {
    std::string names;
    for (const auto& n : missing) names += (names.empty() ? "" : ", ") + n;
    throw HostStartError("required plugin(s) not running: " + names + " (see the errors above)");
  }
  ready_ = true;
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
  router_.Add({"GET",
               "/api/health",
               "core",
               [this](const sdk::HttpRequest&) { return Health(); },
               {true, "liveness and readiness"}});
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
}

sdk::HttpResponse Host::Health() const {
  Poco::JSON::Object::Ptr body = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  const bool storage_ok = storage_ && storage_->Ping();
  const bool ready = ready_ && storage_ok;
  body->set("status", ready ? "ok" : (stopping_ ? "stopping" : "unavailable"));
  body->set("live", true);
  body->set("ready", ready);
  body->set("version", std::string(TESSIE_SDK_VERSION_STRING));
  body->set("uptime_s",
            std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_at_).count());
  Poco::JSON::Object::Ptr storage = new Poco::JSON::Object;
  storage->set("backend", storage_ && storage_->Kind() == sdk::Backend::kPostgres ? "postgresql" : "sqlite");
  storage->set("ok", storage_ok);
  body->set("storage", storage);
  Poco::JSON::Object::Ptr counts = new Poco::JSON::Object;
  for (const auto& p : plugins_->Status()) {
    const std::string state = ToString(p.state);
    counts->set(state, counts->has(state) ? counts->getValue<int>(state) + 1 : 1);
  }
  body->set("plugins", counts);
  Poco::JSON::Object::Ptr mqtt = new Poco::JSON::Object;
  const auto stats = mqtt_ ? mqtt_->Stats() : MqttStats{};
  mqtt->set("enabled", stats.enabled);
  mqtt->set("connected", stats.connected);
  body->set("mqtt", mqtt);
  return sdk::HttpResponse::Json(body, ready ? 200 : 503);
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

sdk::HttpResponse Host::Login(const sdk::HttpRequest& request) {
  const auto now = LoginThrottle::Clock::now();
  if (int wait = throttle_.RetryAfterSeconds(request.client_address, now); wait > 0) {
    Poco::JSON::Object err;
    err.set("error", "too_many_attempts");
    err.set("message", "too many failed logins; try again in " + std::to_string(wait) + " s");
    auto r = sdk::HttpResponse::Json(err, 429);
    r.headers["Retry-After"] = std::to_string(wait);
    return r;
  }
  const auto body = request.JsonBody();
  if (!body->has("password") || !body->get("password").isString()) {
    throw sdk::HttpError::BadRequest("send {\"password\": \"...\"}");
  }
  if (body->has("username") && body->getValue<std::string>("username") != "admin") {
    throw sdk::HttpError::BadRequest("the only user is 'admin'");
  }
  if (!VerifyPassword(body->getValue<std::string>("password"), password_hash_)) {
    throttle_.Failure(request.client_address, now);
    logger_.Warn("failed login from " + request.client_address);
    throw sdk::HttpError(401, "invalid_credentials", "wrong password");
  }
  throttle_.Success(request.client_address);
  Poco::JSON::Object::Ptr out = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  out->set("token", tokens_->Issue("admin", std::chrono::system_clock::now()));
  out->set("token_type", "Bearer");
  out->set("expires_in", std::chrono::duration_cast<std::chrono::seconds>(tokens_->Ttl()).count());
  return sdk::HttpResponse::Json(out);
}

}  // namespace tessie::core
