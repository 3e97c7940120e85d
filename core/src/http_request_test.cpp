#include "http_request.hpp"

#include <gtest/gtest.h>

namespace tessie::core {
namespace {

TEST(HttpRequestHead, MethodPathQueryAndHeaders) {
  const auto req = ParseRequestHead(
      {"HEAD", "/api/vehicles/5YJ3%20X/history?from=2024-01-01&resolution=hour&x=%41", {{"X-Name", "v"}}, "10.0.0.1"});
  EXPECT_EQ(req.method, "GET");
  EXPECT_EQ(req.path, "/api/vehicles/5YJ3 X/history");
  EXPECT_EQ(req.Query("resolution"), "hour");
  EXPECT_EQ(req.Query("x"), "A");
  EXPECT_FALSE(req.Query("to"));
  EXPECT_EQ(req.headers.at("x-name"), "v");
  EXPECT_EQ(req.client_address, "10.0.0.1");
}

TEST(HttpRequestHead, TheRawPathIsKeptForRouting) {
  std::string raw;
  auto req = ParseRequestHead({"GET", "/api/vehicles/5YJ3%25zz/a%2Fb?x=%25", {}, ""}, &raw);
  EXPECT_EQ(raw, "/api/vehicles/5YJ3%25zz/a%2Fb");
  EXPECT_EQ(req.path, "/api/vehicles/5YJ3%zz/a/b");
  EXPECT_EQ(req.Query("x"), "%");
  req = ParseRequestHead({"GET", "http://host:8080/api/x%25y?q", {}, ""}, &raw);
  EXPECT_EQ(raw, "/api/x%25y");
}

TEST(HttpRequestHead, MalformedUriIsA400) {
  try {
    ParseRequestHead({"GET", "/api/%zz", {}, ""});
    FAIL() << "accepted a malformed escape";
  } catch (const sdk::HttpError& e) {
    EXPECT_EQ(e.Status(), 400);
  }
}

TEST(HttpRequestHead, BearerTokens) {
  const TokenIssuer tokens(std::string(64, 'a'), std::chrono::hours(1));
  const auto now = std::chrono::system_clock::now();
  const auto token = tokens.Issue("admin", now);
  EXPECT_EQ(BearerSubject("Bearer " + token, tokens, now), "admin");
  EXPECT_EQ(BearerSubject("bearer " + token, tokens, now), "admin");
  EXPECT_FALSE(BearerSubject("Basic " + token, tokens, now));
  EXPECT_FALSE(BearerSubject("Bearer ", tokens, now));
  EXPECT_FALSE(BearerSubject(token, tokens, now));
  EXPECT_FALSE(BearerSubject("Bearer " + token, tokens, now + std::chrono::hours(2)));
}

TEST(HttpRequestHead, BodiesNeedJsonOnWrites) {
  EXPECT_TRUE(AcceptsBody("POST", "application/json", false));
  EXPECT_TRUE(AcceptsBody("POST", "application/json; charset=utf-8", false));
  EXPECT_TRUE(AcceptsBody("POST", "Application/JSON ;charset=UTF-8", false));
  EXPECT_TRUE(AcceptsBody("PUT", "text/plain", true));
  EXPECT_TRUE(AcceptsBody("GET", "text/plain", false));
  EXPECT_FALSE(AcceptsBody("PUT", "text/plain", false));
  // What a cross-site page can send without a CORS preflight, dressed up as JSON.
  EXPECT_FALSE(AcceptsBody("POST", "text/plain; charset=json", false));
  EXPECT_FALSE(AcceptsBody("POST", "text/plain; application/json", false));
  EXPECT_FALSE(AcceptsBody("POST", "application/x-www-form-urlencoded", false));
  EXPECT_FALSE(AcceptsBody("PATCH", "multipart/form-data; boundary=json", false));
  EXPECT_FALSE(AcceptsBody("POST", "", false));
  // Other types that merely contain "json".
  EXPECT_FALSE(AcceptsBody("POST", "application/jsonx", false));
  EXPECT_FALSE(AcceptsBody("POST", "application/json-patch+json", false));
  EXPECT_FALSE(AcceptsBody("POST", "application/ json", false));
}

TEST(HttpRequestHead, JsonBodyNeedsTheJsonMediaType) {
  sdk::HttpRequest r;
  r.method = "POST";
  r.body = R"({"password":"x"})";
  const auto status = [&]() {
    try {
      r.JsonBody();
      return 200;
    } catch (const sdk::HttpError& e) {
      return e.Status();
    }
  };
  EXPECT_EQ(status(), 415);  // no Content-Type at all (a Blob body from fetch)
  r.headers["content-type"] = "text/plain; charset=json";
  EXPECT_EQ(status(), 415);
  r.headers["content-type"] = "application/json; charset=utf-8";
  EXPECT_EQ(status(), 200);
}

}  // namespace
}  // namespace tessie::core
