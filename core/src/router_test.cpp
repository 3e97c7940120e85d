#include "router.hpp"

#include <gtest/gtest.h>

namespace tessie::core {
namespace {

sdk::HttpHandler Named(std::string name) {
  return [name](const sdk::HttpRequest&) { return sdk::HttpResponse::Text(name); };
}

TEST(Router, MatchesParametersAndPrefersStaticSegments) {
  Router r;
  r.Add({"GET", "/api/vehicles/:id", "vehicle", Named("one"), {}});
  r.Add({"GET", "/api/vehicles/stats", "vehicle", Named("stats"), {}});
  auto m = r.Find("GET", "/api/vehicles/42");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("id"), "42");
  m = r.Find("GET", "/api/vehicles/stats");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route.handler({}).body, "stats");
  m = r.Find("GET", "/api/vehicles/a%20b/");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("id"), "a b");
}

// Found by fuzz/http_request_fuzz.cpp: the server routed the already decoded path, so parameters were decoded
// twice and "%25zz" (a literal "%zz") made Find throw (a 500).
TEST(Router, ParametersAreDecodedOnceAndNeverThrow) {
  Router r;
  r.Add({"GET", "/api/vehicles/:id/state", "vehicle", Named("state"), {}});
  auto m = r.Find("GET", "/api/vehicles/%2541/state");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("id"), "%41");
  m = r.Find("GET", "/api/vehicles/5YJ3%25zz/state");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("id"), "5YJ3%zz");
  m = r.Find("GET", "/api/vehicles/a%2Fb/state");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("id"), "a/b");
  Router::Miss miss = Router::Miss::kMethodNotAllowed;
  EXPECT_NO_THROW(m = r.Find("GET", "/api/vehicles/%zz/state", &miss));
  EXPECT_FALSE(m);
  EXPECT_EQ(miss, Router::Miss::kNotFound);
}

TEST(Router, TellsNotFoundFromMethodNotAllowed) {
  Router r;
  r.Add({"GET", "/api/drivers", "drivers", Named("list"), {}});
  r.Add({"POST", "/api/drivers", "drivers", Named("add"), {}});
  Router::Miss miss{};
  std::vector<std::string> allowed;
  EXPECT_FALSE(r.Find("DELETE", "/api/drivers", &miss, &allowed));
  EXPECT_EQ(miss, Router::Miss::kMethodNotAllowed);
  EXPECT_EQ(allowed, (std::vector<std::string>{"GET", "POST"}));
  EXPECT_FALSE(r.Find("GET", "/api/nothing", &miss));
  EXPECT_EQ(miss, Router::Miss::kNotFound);
}

TEST(Router, DuplicateRouteNamesTheOwner) {
  Router r;
  r.Add({"GET", "/api/x/:id", "first", Named("a"), {}});
  try {
    r.Add({"GET", "/api/x/:other", "second", Named("b"), {}});
    FAIL() << "duplicate accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_NE(std::string(e.what()).find("'first'"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(r.Add({"POST", "/api/x/:id", "second", Named("c"), {}}));
}

TEST(Router, RemoveOwnerRevokesOnlyItsRoutes) {
  Router r;
  r.Add({"GET", "/a", "p1", Named("a"), {}});
  r.Add({"GET", "/b", "p2", Named("b"), {}});
  EXPECT_EQ(r.RemoveOwner("p1"), 1u);
  EXPECT_FALSE(r.Find("GET", "/a"));
  EXPECT_TRUE(r.Find("GET", "/b"));
  EXPECT_NO_THROW(r.Add({"GET", "/a", "p3", Named("a"), {}}));
}

TEST(Router, RejectsMalformedRoutes) {
  Router r;
  EXPECT_THROW(r.Add({"GET", "no-slash", "p", Named("a"), {}}), std::invalid_argument);
  EXPECT_THROW(r.Add({"BREW", "/coffee", "p", Named("a"), {}}), std::invalid_argument);
  EXPECT_THROW(r.Add({"GET", "/x/:", "p", Named("a"), {}}), std::invalid_argument);
}

TEST(Router, TrailingWildcardTakesTheRestOnlyWhenNothingElseMatches) {
  Router r;
  r.Add({"GET", "/*path", "dashboard", Named("spa"), {}});
  r.Add({"GET", "/api/vehicles/:id", "vehicle", Named("one"), {}});
  r.Add({"POST", "/api/drivers", "drivers", Named("add"), {}});
  auto m = r.Find("GET", "/vehicles/42/drives");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route.owner, "dashboard");
  EXPECT_EQ(m->params.at("path"), "vehicles/42/drives");
  m = r.Find("GET", "/");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("path"), "");
  m = r.Find("GET", "/assets/a%20b.js");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->params.at("path"), "assets/a b.js");
  m = r.Find("GET", "/api/vehicles/7");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route.owner, "vehicle");
  // GET on a POST-only route is still a 405, not the wildcard; other methods never reach it.
  Router::Miss miss{};
  std::vector<std::string> allowed;
  EXPECT_FALSE(r.Find("GET", "/api/drivers", &miss, &allowed));
  EXPECT_EQ(miss, Router::Miss::kMethodNotAllowed);
  EXPECT_EQ(allowed, (std::vector<std::string>{"POST"}));
  EXPECT_FALSE(r.Find("DELETE", "/anything", &miss));
  EXPECT_EQ(miss, Router::Miss::kNotFound);
}

TEST(Router, LongerWildcardPrefixWinsAndWildcardsMustBeLast) {
  Router r;
  r.Add({"GET", "/*path", "a", Named("root"), {}});
  r.Add({"GET", "/files/*rest", "b", Named("files"), {}});
  auto m = r.Find("GET", "/files/x/y");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->route.owner, "b");
  EXPECT_EQ(m->params.at("rest"), "x/y");
  EXPECT_THROW(r.Add({"GET", "/*other", "c", Named("dup"), {}}), std::invalid_argument);
  EXPECT_THROW(r.Add({"GET", "/x/*rest/y", "c", Named("mid"), {}}), std::invalid_argument);
  EXPECT_THROW(r.Add({"GET", "/x/*", "c", Named("unnamed"), {}}), std::invalid_argument);
}

}  // namespace
}  // namespace tessie::core
