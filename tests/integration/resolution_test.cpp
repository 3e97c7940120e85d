// One vocabulary for the resolution of every history route (issue 13): raw, 5m, 15m, 1h, 1d, 1mo; the energy
// history's first spellings (5min, hour, day, month) still work as deprecated aliases and are answered with the
// canonical name; anything else is a 400 naming the parameter and the values that route allows. Real host, real
// simulator.
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>

#include "host_process.hpp"
#include "sim_process.hpp"

namespace tessie::testing {
namespace {

const std::string kPassword = "resolution-password-5a7d2c";

TEST(HistoryResolution, EveryRouteSpeaksOneVocabularyAndNamesTheAllowedValues) {
  const auto dir = FreshTestDir();
  SimProcess sim(dir);
  ASSERT_TRUE(sim.Start()) << sim.Log();
  HostProcess host(dir,
                   "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() +
                       "\nplugin_dir: " + PluginDir().string() + "\ntesla:\n  base_url: " + sim.Url() +
                       "\n  auth_url: " + sim.Url() + "/oauth2/v3/token\n  client_id: tessie-stats\n",
                   {{"TESSIE_ADMIN_PASSWORD", kPassword}});
  ASSERT_TRUE(host.Start()) << host.Log();
  const auto token = host.Login(kPassword);
  ASSERT_EQ(host.Post("/api/auth/token", "{\"refresh_token\": \"" + sim.NewRefreshToken() + "\"}", token).status, 201);
  ASSERT_EQ(host.Post("/api/sync/trigger", "", token).status, 202);
  std::string vin, site_id;
  ASSERT_TRUE(Eventually([&] {
    const auto items = host.Get("/api/vehicles", token).Json()->getArray("items");
    if (!items || items->size() == 0) return false;
    vin = items->getObject(0)->getValue<std::string>("vin");
    return true;
  })) << host.Log();
  ASSERT_TRUE(Eventually([&] {
    const auto sites = host.Get("/api/energy/sites", token).Json()->getArray("items");
    if (!sites || sites->size() == 0) return false;
    site_id = std::to_string(sites->getObject(0)->getValue<Poco::Int64>("energy_site_id"));
    return true;
  })) << "the test scenario has an energy site";
  const std::string vehicle = "/api/vehicles/" + vin + "/history?from=2026-01-01&resolution=";
  const std::string energy = "/api/energy/sites/" + site_id + "/history?resolution=";

  // What each route answers for a resolution it computes: 200 and the canonical name.
  const auto answers = [&](const std::string& path, const std::string& canonical) {
    const auto r = host.Get(path, token);
    ASSERT_EQ(r.status, 200) << path << ": " << r.body;
    EXPECT_EQ(r.Json()->getValue<std::string>("resolution"), canonical) << path;
  };
  for (const std::string r : {"raw", "5m", "15m", "1h", "1d"}) answers(vehicle + r, r);
  for (const std::string r : {"5m", "1h", "1d", "1mo"}) answers(energy + r, r);
  // The energy history's first spellings, deprecated, on both routes.
  answers(energy + "5min", "5m");
  answers(energy + "hour", "1h");
  answers(energy + "day", "1d");
  answers(energy + "month", "1mo");
  answers(vehicle + "hour", "1h");
  answers(vehicle + "day", "1d");

  const auto refused = [&](const std::string& path, const std::string& message) {
    const auto r = host.Get(path, token);
    ASSERT_EQ(r.status, 400) << path << ": " << r.body;
    EXPECT_EQ(r.Json()->getValue<std::string>("message"), message) << path;
  };
  refused(vehicle + "week", "resolution must be one of raw, 5m, 15m, 1h, 1d, got 'week'");
  refused(vehicle + "1mo", "resolution must be one of raw, 5m, 15m, 1h, 1d, got '1mo'");
  refused(energy + "15m", "resolution must be one of 5m, 1h, 1d, 1mo, got '15m'");
  refused(energy + "raw", "resolution must be one of 5m, 1h, 1d, 1mo, got 'raw'");
  refused(energy + "HOUR", "resolution must be one of 5m, 1h, 1d, 1mo, got 'HOUR'");
  EXPECT_EQ(host.Stop(), 0);
}

}  // namespace
}  // namespace tessie::testing
