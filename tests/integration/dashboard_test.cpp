// The dashboard plugin in the real host: the web app's files, its client-side routes, caching and gzip, and that
// the API's JSON errors are untouched by the catch-all route. Uses a small stand-in for the built app so it
// runs without npm; the real app is covered by plugins/dashboard/web (Vitest and the browser test).
#include <gtest/gtest.h>

#include <fstream>

#include "host_process.hpp"

namespace tessie::testing {
namespace {

TEST(Dashboard, ServesTheAppItsRoutesAndKeepsApiErrorsJson) {
  const auto dir = FreshTestDir();
  const auto assets = dir / "web";
  std::filesystem::create_directories(assets / "assets");
  std::ofstream(assets / "index.html") << "<!doctype html><title>Tessie Stats</title><div id=root></div>";
  std::ofstream(assets / "assets" / "index-0123abcd.js") << "console.log('" << std::string(5000, 'a') << "');";
  const std::string password = "dashboard-test-password";
  HostProcess host(dir,
                   "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() + "\nplugin_dir: " +
                       PluginDir().string() + "\nplugins:\n  dashboard:\n    assets_dir: " + assets.string() +
                       "\n    map_tile_url: ''\n    distance_unit: mi\n",
                   {{"TESSIE_ADMIN_PASSWORD", password}});
  ASSERT_TRUE(host.Start()) << host.Log();

  auto index = host.Get("/");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.headers["Content-Type"], "text/html; charset=utf-8");
  EXPECT_EQ(index.headers["Cache-Control"], "no-cache");
  EXPECT_NE(index.body.find("id=root"), std::string::npos);

  // A client-side route (a reload on /vehicles/123) gets the app, without a login.
  auto route = host.Get("/vehicles/1492932717794313");
  EXPECT_EQ(route.status, 200);
  EXPECT_EQ(route.body, index.body);

  auto js = host.Request("GET", "/assets/index-0123abcd.js", "", "", {{"Accept-Encoding", "gzip"}});
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(js.headers["Content-Type"], "text/javascript; charset=utf-8");
  EXPECT_EQ(js.headers["Content-Encoding"], "gzip");
  EXPECT_EQ(js.headers["Cache-Control"], "public, max-age=31536000, immutable");
  EXPECT_LT(js.body.size(), 1000u);
  auto again = host.Request("GET", "/assets/index-0123abcd.js", "", "", {{"If-None-Match", js.headers["ETag"]}});
  EXPECT_EQ(again.status, 304);

  EXPECT_EQ(host.Get("/assets/index-gone.js").status, 404);

  // The API is as before: JSON 404 for an unknown route, 401 without a token, 405 for a wrong method.
  auto missing = host.Get("/api/nothing/here");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.Json()->getValue<std::string>("error"), "not_found");
  EXPECT_EQ(host.Get("/api/plugins").status, 401);
  EXPECT_EQ(host.Get("/api/plugins").headers["Cache-Control"], "no-store");
  EXPECT_EQ(host.Request("DELETE", "/api/health").status, 405);
  EXPECT_EQ(host.Request("POST", "/vehicles/1").status, 404);

  auto config = host.Get("/api/dashboard/config");
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(config.Json()->getValue<std::string>("distance_unit"), "mi");
  EXPECT_EQ(config.Json()->getValue<std::string>("map_tile_url"), "");
  EXPECT_EQ(host.Stop(), 0);
}

TEST(Dashboard, SaysSoWhenTheAppIsNotInstalled) {
  const auto dir = FreshTestDir();
  HostProcess host(dir,
                   "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() +
                       "\nplugin_dir: " + PluginDir().string() +
                       "\nplugins:\n  dashboard:\n    assets_dir: " + (dir / "missing").string() + "\n",
                   {{"TESSIE_ADMIN_PASSWORD", "dashboard-test-password"}});
  ASSERT_TRUE(host.Start()) << host.Log();
  auto r = host.Get("/");
  EXPECT_EQ(r.status, 503);
  EXPECT_NE(r.body.find("not installed"), std::string::npos);
  EXPECT_EQ(host.Get("/api/health").status, 200);
  EXPECT_EQ(host.Stop(), 0);
}

}  // namespace
}  // namespace tessie::testing
