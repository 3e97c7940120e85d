// docs/openapi.yaml, the plugins' openapi.yaml files and GET /api/openapi.json must agree with the route table of
// a host running the shipped plugins. (The openapi.lint test lints the served document.)
#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <regex>
#include <set>

#include "host_process.hpp"

namespace tessie::testing {
namespace {

TEST(OpenApi, DocumentsEveryRouteOfTheShippedPluginsAndNothingElse) {
  const auto dir = FreshTestDir();
  const std::string password = "openapi-test-password";
  HostProcess host(dir,
                   "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() +
                       "\nplugin_dir: " + PluginDir().string() + "\n",
                   {{"TESSIE_ADMIN_PASSWORD", password}});
  ASSERT_TRUE(host.Start()) << host.Log();
  const auto routes = host.Get("/api/routes", host.Login(password)).Json()->getArray("routes");
  ASSERT_GT(routes->size(), 0u);

  // The core's routes in docs/openapi.yaml, each plugin's next to it in plugins/<name>/openapi.yaml.
  std::vector<YAML::Node> specs = {YAML::LoadFile(TESSIE_SOURCE_DIR "/docs/openapi.yaml")};
  for (const auto& entry : std::filesystem::directory_iterator(TESSIE_SOURCE_DIR "/plugins")) {
    if (std::filesystem::exists(entry.path() / "openapi.yaml"))
      specs.push_back(YAML::LoadFile(entry.path() / "openapi.yaml"));
  }
  std::set<std::string> documented, documented_public;
  for (const auto& spec : specs)
    for (const auto& path : spec["paths"]) {
      for (const auto& op : path.second) {
        std::string method = op.first.Scalar();
        for (auto& c : method) c = static_cast<char>(std::toupper(c));
        const std::string key = method + " " + path.first.Scalar();
        documented.insert(key);
        if (op.second["security"] && op.second["security"].size() == 0) documented_public.insert(key);
      }
    }
  std::set<std::string> served, served_public;
  // ":id" and a trailing wildcard "*path" are both path parameters in OpenAPI.
  const std::regex param("[:*]([A-Za-z_][A-Za-z0-9_]*)");
  for (std::size_t i = 0; i < routes->size(); ++i) {
    const auto r = routes->getObject(static_cast<unsigned>(i));
    const std::string key =
        r->getValue<std::string>("method") + " " + std::regex_replace(r->getValue<std::string>("path"), param, "{$1}");
    served.insert(key);
    if (r->getValue<bool>("public")) served_public.insert(key);
  }
  for (const auto& k : served) EXPECT_TRUE(documented.count(k)) << k << " is served but not in docs/openapi.yaml";
  for (const auto& k : documented) EXPECT_TRUE(served.count(k)) << k << " is in docs/openapi.yaml but not served";
  EXPECT_EQ(served_public, documented_public) << "public routes (security: []) differ";

  // The served description, fetched without a token, lists the same operations with the same public ones, each
  // described by its owner (not a summary-only stand-in).
  const auto answer = host.Get("/api/openapi.json");
  ASSERT_EQ(answer.status, 200) << answer.body;
  const auto doc = answer.Json();
  EXPECT_EQ(doc->getValue<std::string>("openapi").substr(0, 2), "3.");
  std::set<std::string> listed, listed_public;
  const auto paths = doc->getObject("paths");
  for (const auto& [path, item] : *paths) {
    for (const auto& [method, op_var] : *item.extract<Poco::JSON::Object::Ptr>()) {
      const auto op = op_var.extract<Poco::JSON::Object::Ptr>();
      std::string m = method;
      for (auto& c : m) c = static_cast<char>(std::toupper(c));
      listed.insert(m + " " + path);
      const auto security = op->getArray("security");
      if (security && security->size() == 0) listed_public.insert(m + " " + path);
      EXPECT_EQ(op->optValue<std::string>("description", "").find("does not describe it"), std::string::npos)
          << m << " " << path << " is served undescribed";
      EXPECT_FALSE(op->optValue<std::string>("operationId", "").empty()) << m << " " << path;
    }
  }
  EXPECT_EQ(listed, served) << "GET /api/openapi.json lists other operations than the route table";
  EXPECT_EQ(listed_public, served_public) << "GET /api/openapi.json marks other routes public";
  EXPECT_EQ(host.Stop(), 0);
}

}  // namespace
}  // namespace tessie::testing
