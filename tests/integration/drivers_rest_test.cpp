// Drivers over REST in the real host (issue 13): one name per driver (trimmed, case-insensitive: 409 with a JSON
// error), and a driver can be deleted, with their drives unattributed or handed to another driver. What happens to
// the drives themselves is checked against the simulator's drives in the dashboard's browser test.
#include <gtest/gtest.h>

#include "host_process.hpp"

namespace tessie::testing {
namespace {

TEST(DriversRest, RefusesADuplicateNameAndDeletesADriver) {
  const auto dir = FreshTestDir();
  const std::string password = "drivers-rest-password";
  HostProcess host(dir,
                   "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() +
                       "\nplugin_dir: " + PluginDir().string() + "\n",
                   {{"TESSIE_ADMIN_PASSWORD", password}});
  ASSERT_TRUE(host.Start()) << host.Log();
  const auto token = host.Login(password);

  const auto alex = host.Post("/api/drivers", R"({"name": "Alex", "default_for_vehicles": [7]})", token);
  ASSERT_EQ(alex.status, 201) << alex.body;
  const auto alex_id = alex.Json()->getValue<std::int64_t>("id");
  const auto sam = host.Post("/api/drivers", R"({"name": "  Sam  "})", token);
  ASSERT_EQ(sam.status, 201) << sam.body;
  EXPECT_EQ(sam.Json()->getValue<std::string>("name"), "Sam") << "the name is stored trimmed";
  const auto sam_id = sam.Json()->getValue<std::int64_t>("id");

  // The same name again, in another case or with spaces around it: 409 with a JSON error naming the driver.
  for (const std::string name : {"Alex", " alex ", "ALEX"}) {
    const auto again = host.Post("/api/drivers", "{\"name\": \"" + name + "\"}", token);
    EXPECT_EQ(again.status, 409) << name << ": " << again.body;
    ASSERT_TRUE(again.Json()) << again.body;
    EXPECT_EQ(again.Json()->getValue<std::string>("error"), "conflict");
    EXPECT_NE(again.Json()->getValue<std::string>("message").find("'Alex' exists already"), std::string::npos)
        << again.body;
  }
  // Renaming Sam to Alex is the same conflict; saving Alex under their own name is not.
  EXPECT_EQ(host.Request("PUT", "/api/drivers/" + std::to_string(sam_id), R"({"name": "alex"})", token).status, 409);
  EXPECT_EQ(host.Request("PUT", "/api/drivers/" + std::to_string(alex_id), R"({"name": "Alex "})", token).status, 200);
  auto list = host.Get("/api/drivers", token).Json()->getArray("items");
  EXPECT_EQ(list->size(), 2u) << "no second Alex was stored";

  // Delete: unknown ids and a reassignment to nobody known are refused with JSON errors.
  EXPECT_EQ(host.Request("DELETE", "/api/drivers/999", "", token).status, 404);
  const auto self = host.Request(
      "DELETE", "/api/drivers/" + std::to_string(alex_id) + "?reassign_to=" + std::to_string(alex_id), "", token);
  EXPECT_EQ(self.status, 400) << self.body;
  const auto ghost = host.Request("DELETE", "/api/drivers/" + std::to_string(alex_id) + "?reassign_to=999", "", token);
  EXPECT_EQ(ghost.status, 400) << ghost.body;
  EXPECT_NE(ghost.body.find("reassign_to"), std::string::npos) << ghost.body;
  EXPECT_EQ(host.Request("DELETE", "/api/drivers/" + std::to_string(alex_id)).status, 401) << "needs a login";

  const auto gone = host.Request(
      "DELETE", "/api/drivers/" + std::to_string(alex_id) + "?reassign_to=" + std::to_string(sam_id), "", token);
  ASSERT_EQ(gone.status, 200) << gone.body;
  EXPECT_EQ(gone.Json()->getValue<std::int64_t>("deleted"), alex_id);
  EXPECT_EQ(gone.Json()->getValue<std::int64_t>("reassigned_to"), sam_id);
  EXPECT_EQ(host.Get("/api/drivers/" + std::to_string(alex_id), token).status, 404);
  list = host.Get("/api/drivers", token).Json()->getArray("items");
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->getObject(0)->getValue<std::string>("name"), "Sam");
  // The name is free again.
  EXPECT_EQ(host.Post("/api/drivers", R"({"name": "alex"})", token).status, 201);
  EXPECT_EQ(host.Stop(), 0);
}

}  // namespace
}  // namespace tessie::testing
