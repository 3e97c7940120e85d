// The dashboard plugin: serves the web dashboard (a React app built by Vite into assets_dir) at / with a
// fallback to index.html for the app's own routes, and the app's settings at /api/dashboard/config. The app
// reads all its data from the REST API with the user's login token; the files themselves are public.
#include <dlfcn.h>

#include <Poco/JSON/Object.h>

#include <chrono>

#include "openapi_part.hpp"
#include "static_files.hpp"
#include "tessie/sdk/events/openapi.hpp"
#include "tessie/sdk/plugin.hpp"

namespace tessie::dashboard {
namespace {

using namespace tessie::sdk;

// Where the build and the install put the files: <dir of libdashboard.so>/../dashboard
// (build/lib/tessie-stats/dashboard, /usr/lib/tessie-stats/dashboard).
std::filesystem::path DefaultAssetsDir() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&DefaultAssetsDir), &info) == 0 || !info.dli_fname) return "dashboard";
  return std::filesystem::path(info.dli_fname).parent_path().parent_path() / "dashboard";
}

std::string OneOf(const Poco::Dynamic::Var& v, std::initializer_list<const char*> allowed) {
  std::string list;
  for (const char* a : allowed) {
    if (v.toString() == a) return "";
    list += (list.empty() ? "" : " or ") + std::string(a);
  }
  return "use " + list;
}

class DashboardPlugin final : public Plugin {
 public:
  PluginInfo Info() const override {
    return {"dashboard",
            "0.1.0",
            "the web dashboard: serves the built React app and its settings",
            {},
            {
                ConfigField::String("assets_dir",
                                    "directory of the built dashboard (index.html, assets/); empty = ../dashboard next "
                                    "to the plugin directory")
                    .Default(""),
                ConfigField::String("map_tile_url",
                                    "map tiles, {z}/{x}/{y} URL template; empty = no tiles (drive paths are drawn "
                                    "anyway)")
                    .Default("https://tile.openstreetmap.org/{z}/{x}/{y}.png"),
                ConfigField::String("map_attribution", "attribution shown on the map")
                    .Default("© OpenStreetMap contributors"),
                ConfigField::String("distance_unit", "default distance unit: km or mi (each browser may change it)")
                    .Default("km")
                    .Validate([](const Poco::Dynamic::Var& v) {
                      return OneOf(v, {"km", "mi"});
                    }),
                ConfigField::String("temperature_unit", "default temperature unit: C or F")
                    .Default("C")
                    .Validate([](const Poco::Dynamic::Var& v) {
                      return OneOf(v, {"C", "F"});
                    }),
                ConfigField::Duration("refresh_interval", "how often live values (cars, Powerwall) are refetched")
                    .Default(std::chrono::seconds(30))
                    .Validate([](const Poco::Dynamic::Var& v) -> std::string {
                      return v.convert<Poco::Int64>() >= 1000 ? "" : "must be at least 1s";
                    }),
            }};
  }

  void Configure(Context& ctx) override {
    // This plugin's routes in GET /api/openapi.json (openapi.yaml, embedded at build time).
    ctx.Events().Publish(::tessie::sdk::events::OpenApiPart{kOpenApiYaml});
    const auto& c = ctx.Config();
    const auto configured = c.GetString("assets_dir");
    assets_dir_ = configured.empty() ? DefaultAssetsDir() : std::filesystem::path(configured);
    const auto count = files_.Load(assets_dir_);
    if (!files_.Find("index.html")) {
      ctx.Log().Warn("no index.html in " + assets_dir_.string() +
                     ": the dashboard is not installed there (build with TESSIE_BUILD_DASHBOARD=ON or set "
                     "plugins.dashboard.assets_dir); / answers 503 until it is");
    } else {
      ctx.Log().Info("serving " + std::to_string(count) + " dashboard files from " + assets_dir_.string());
    }

    Poco::JSON::Object config;
    csp_ = ContentSecurityPolicy(c.GetString("map_tile_url"));
    config.set("map_tile_url", c.GetString("map_tile_url"));
    config.set("map_attribution", c.GetString("map_attribution"));
    config.set("distance_unit", c.GetString("distance_unit"));
    config.set("temperature_unit", c.GetString("temperature_unit"));
    config.set("refresh_interval_s", c.GetDuration("refresh_interval").count() / 1000.0);
    config.set("version", Info().version);
    const auto config_response = HttpResponse::Json(config);

    ctx.Http().Add(
        "GET", "/api/dashboard/config", [config_response](const HttpRequest&) { return config_response; },
        {.is_public = true, .summary = "the dashboard's settings: map tiles, default units, refresh interval"});
    ctx.Http().Add("GET", "/*path", [this](const HttpRequest& req) { return Serve(req); },
                   {.is_public = true, .summary = "the web dashboard (index.html for the app's routes, assets/...)"});
  }

  void Start(Context&) override {}
  void Stop() override {}

 private:
  HttpResponse Serve(const HttpRequest& req) const {
    const auto& path = req.Param("path");
    // Unknown API routes keep the API's JSON 404.
    if (path == "api" || path.rfind("api/", 0) == 0) throw HttpError::NotFound("no route for " + req.path);
    if (!files_.Find("index.html")) {
      return HttpResponse::Text("<!doctype html><title>Tessie Stats</title><p>The dashboard is not installed in " +
                                    assets_dir_.string() +
                                    ". The REST API works: <a href=\"/api/health\">/api/health</a>.</p>",
                                "text/html; charset=utf-8", 503);
    }
    auto header = [&req](const char* name) {
      auto it = req.headers.find(name);
      return it == req.headers.end() ? std::string() : it->second;
    };
    auto answer = files_.Answer(path, header("accept-encoding"), header("if-none-match"));
    if (!answer) throw HttpError::NotFound("no file " + req.path + " in the dashboard");
    HttpResponse r;
    r.status = answer->status;
    r.content_type = answer->content_type;
    r.body = std::move(answer->body);
    r.headers = std::move(answer->headers);
    if (r.content_type.rfind("text/html", 0) == 0) {
      r.headers["Content-Security-Policy"] = csp_;
      r.headers["X-Frame-Options"] = "DENY";  // for browsers without frame-ancestors
    }
    // Tile servers (OpenStreetMap's policy) want to know the site, never the page.
    r.headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
    return r;
  }

  std::filesystem::path assets_dir_;
  std::string csp_;     // set in Configure
  StaticFiles files_;  // loaded in Configure, read-only afterwards
};

}  // namespace
}  // namespace tessie::dashboard

TESSIE_PLUGIN(tessie::dashboard::DashboardPlugin)
