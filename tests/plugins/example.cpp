// A well-behaved plugin that uses every SDK surface; the integration tests drive it over HTTP.
#include <Poco/JSON/Array.h>

#include <atomic>
#include <mutex>
#include <thread>

#include "tessie/sdk/plugin.hpp"
#include "test_events.hpp"

namespace {

using namespace tessie::sdk;

class ExamplePlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    return {"example",
            "1.2.3",
            "test plugin: routes, a job, storage, events",
            {},
            {{"greeting", ConfigType::kString, "what GET /api/example/hello says", std::string("hello")},
             {"tick", ConfigType::kDuration, "job interval", Poco::Int64(200)},
             {"start_delay", ConfigType::kDuration, "waits this long in Start before registering (tests of start-up order)",
              Poco::Int64(0)}}};
  }

  void Configure(Context& ctx) override {
    ctx_ = &ctx;
    greeting_ = ctx.Config().GetString("greeting");
    ctx.Db().Migrate(
        {{1, "items", "CREATE TABLE example_items (id {{pk}}, name TEXT NOT NULL, created_ms BIGINT NOT NULL)"},
         {2, "ticks",
          "CREATE TABLE example_ticks (id INTEGER PRIMARY KEY, n BIGINT NOT NULL);"
          "INSERT INTO example_ticks (id, n) VALUES (1, 0)"}});
    ctx.Http().Add("GET", "/api/example/hello", [this](const HttpRequest& r) {
      Poco::JSON::Object o;
      o.set("greeting", greeting_);
      o.set("user", r.subject);
      return HttpResponse::Json(o);
    });
    ctx.Http().Add("GET", "/api/example/public", [](const HttpRequest&) { return HttpResponse::Text("public"); },
                   {.is_public = true});
    // A body of `kb` KB (default 3 MB) whose every line names its own offset: framing and truncation show.
    ctx.Http().Add("GET", "/api/example/large", [](const HttpRequest& r) {
      const std::size_t kb = std::stoul(r.Query("kb").value_or("3072"));
      std::string body;
      body.reserve(kb * 1024);
      while (body.size() < kb * 1024) {
        std::string line = std::to_string(body.size());
        line.resize(63, '.');
        body += line + "\n";
      }
      body.resize(kb * 1024);
      return HttpResponse::Text(body);
    });
    ctx.Http().Add("POST", "/api/example/items", [this](const HttpRequest& r) {
      auto body = r.JsonBody();
      if (!body->has("name") || !body->get("name").isString() || body->getValue<std::string>("name").empty())
        throw HttpError::BadRequest("'name' must be a non-empty string");
      SqlResult res;
      ctx_->Db().InTransaction([&](Transaction& tx) {
        res = tx.Query("INSERT INTO example_items (name, created_ms) VALUES (?, ?) RETURNING id",
                       {body->getValue<std::string>("name"), ToEpochMs(ctx_->Time().Now())});
      });
      Poco::JSON::Object o;
      o.set("id", res.rows.at(0).Int(0));
      return HttpResponse::Json(o, 201);
    });
    ctx.Http().Add("GET", "/api/example/items", [this](const HttpRequest&) {
      auto res = ctx_->Db().Query("SELECT id, name FROM example_items ORDER BY id");
      Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
      for (const auto& row : res.rows) {
        Poco::JSON::Object::Ptr o = new Poco::JSON::Object;
        o->set("id", row.Int(0));
        o->set("name", row.String(1));
        arr->add(o);
      }
      return HttpResponse::Json(arr);
    });
    ctx.Http().Add("GET", "/api/example/items/:id", [this](const HttpRequest& r) {
      std::int64_t id = 0;
      try {
        id = std::stoll(r.Param("id"));
      } catch (const std::exception&) {
        throw HttpError::BadRequest("id must be a number");
      }
      auto res = ctx_->Db().Query("SELECT name FROM example_items WHERE id = ?", {id});
      if (res.rows.empty()) throw HttpError::NotFound("no item " + std::to_string(id));
      Poco::JSON::Object o;
      o.set("id", id);
      o.set("name", res.rows[0].String(0));
      return HttpResponse::Json(o);
    });
    ctx.Http().Add("GET", "/api/example/ticks", [this](const HttpRequest&) {
      auto res = ctx_->Db().Query("SELECT n FROM example_ticks WHERE id = 1");
      Poco::JSON::Object o;
      o.set("ticks", res.rows.at(0).Int(0));
      return HttpResponse::Json(o);
    });
    ctx.Http().Add("GET", "/api/example/mqtt", [this](const HttpRequest&) {
      Poco::JSON::Object o;
      o.set("republished", republished_.load());
      std::lock_guard lock(mutex_);
      o.set("last_command", last_command_);
      return HttpResponse::Json(o);
    });
    ctx.Http().Add("POST", "/api/example/sync", [this](const HttpRequest&) {
      Poco::JSON::Object o;
      o.set("triggered", ctx_->Jobs().RunNow("tick"));
      return HttpResponse::Json(o, 202);
    });
  }

  void Start(Context& ctx) override {
    if (const auto delay = ctx.Config().GetDuration("start_delay"); delay.count() > 0) std::this_thread::sleep_for(delay);
    if (ctx.Mqtt().Enabled()) {
      ctx.Mqtt().OnRepublish([this] { PublishDiscovery(); });
      ctx.Mqtt().OnCommand("example/sync", [this](const std::string& payload) {
        {
          std::lock_guard lock(mutex_);
          last_command_ = payload;
        }
        ctx_->Jobs().RunNow("tick");
      });
    }
    const auto interval = ctx.Config().GetDuration("tick");
    // `tick` may be below the scheduler's one-second floor (tests use 200 ms): opted in explicitly.
    ctx.Jobs().Every({.name = "tick", .interval = interval, .is_sync = true, .min_delay = interval}, [this](JobRun&) {
      std::int64_t n = 0;
      ctx_->Db().InTransaction([&](Transaction& tx) {
        tx.Execute("UPDATE example_ticks SET n = n + 1 WHERE id = 1");
        n = tx.Query("SELECT n FROM example_ticks WHERE id = 1").rows.at(0).Int(0);
      });
      ctx_->Events().Publish(test_events::Tick{n});
      ctx_->Mqtt().Publish("example/ticks", std::to_string(n));
    });
    ctx.Log().Info("started with greeting '" + greeting_ + "'");
  }

  void Stop() override { ctx_->Log().Info("stopping"); }

 private:
  // One Home Assistant device with a counter sensor and a "Sync now" button.
  void PublishDiscovery() {
    auto& mqtt = ctx_->Mqtt();
    Poco::JSON::Object::Ptr device = new Poco::JSON::Object;
    Poco::JSON::Array::Ptr ids = new Poco::JSON::Array;
    ids->add("tessie_example");
    device->set("identifiers", ids);
    device->set("name", "Tessie Example");
    device->set("manufacturer", "Tessie Stats");
    device->set("model", "test plugin");
    Poco::JSON::Object::Ptr origin = new Poco::JSON::Object;
    origin->set("name", "tessie-stats");
    origin->set("sw_version", "1.2.3");
    Poco::JSON::Object::Ptr ticks = new Poco::JSON::Object;
    ticks->set("platform", "sensor");
    ticks->set("name", "Ticks");
    ticks->set("unique_id", "tessie_example_ticks");
    ticks->set("default_entity_id", "sensor.tessie_example_ticks");
    ticks->set("state_topic", mqtt.BaseTopic() + "/example/ticks");
    ticks->set("state_class", "total_increasing");
    Poco::JSON::Object::Ptr sync = new Poco::JSON::Object;
    sync->set("platform", "button");
    sync->set("name", "Sync now");
    sync->set("unique_id", "tessie_example_sync");
    sync->set("default_entity_id", "button.tessie_example_sync");
    sync->set("command_topic", mqtt.BaseTopic() + "/example/sync");
    Poco::JSON::Object::Ptr components = new Poco::JSON::Object;
    components->set("ticks", ticks);
    components->set("sync", sync);
    Poco::JSON::Object config;
    config.set("device", device);
    config.set("origin", origin);
    config.set("availability_topic", mqtt.AvailabilityTopic());
    config.set("components", components);
    mqtt.PublishDiscovery("tessie_example", config);
    ++republished_;
  }

  Context* ctx_ = nullptr;
  std::atomic<int> republished_{0};
  std::mutex mutex_;
  std::string last_command_;
  std::string greeting_;
};

}  // namespace

TESSIE_PLUGIN(ExamplePlugin)
