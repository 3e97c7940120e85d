#include "openapi.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include "core_openapi.hpp"

namespace tessie::core {
namespace {

using Poco::JSON::Object;

Route MakeRoute(std::string method, std::string pattern, std::string owner, bool is_public = false,
                std::string summary = {}) {
  Route r{std::move(method), std::move(pattern), std::move(owner), {}, {}};
  r.options.is_public = is_public;
  r.options.summary = std::move(summary);
  return r;
}

Object::Ptr Parse(const std::string& json) { return Poco::JSON::Parser().parse(json).extract<Object::Ptr>(); }

constexpr const char* kCore = R"(openapi: 3.0.3
info: {title: T, version: 0.0.0}
components:
  responses:
    Unauthorized: {description: no token}
security: [{bearer: []}]
paths:
  /api/health:
    get:
      summary: health
      security: []
      responses: {'200': {description: ok}}
  /api/gone:
    get: {summary: not served, responses: {'200': {description: ok}}}
)";

TEST(OpenApiYaml, PlainScalarsAreTypedAndQuotedOnesStayStrings) {
  const auto json = YamlToJson(YAML::Load(
      "a: 12\nb: '12'\nc: true\nd: \"true\"\ne: 1.5\nf: 0.1.0\ng: ~\nh: 2026-06\ni: |\n  text\nj: [true, 'x', 3]\n"));
  std::ostringstream out;
  json.extract<Object::Ptr>()->stringify(out);
  EXPECT_EQ(out.str(),
            R"({"a":12,"b":"12","c":true,"d":"true","e":1.5,"f":"0.1.0","g":null,"h":"2026-06","i":"text\n",)"
            R"("j":[true,"x",3]})");
}

TEST(OpenApiPaths, RoutePatternsAndOperationIds) {
  EXPECT_EQ(OpenApiPath("/api/vehicles/:id/state"), "/api/vehicles/{id}/state");
  EXPECT_EQ(OpenApiPath("/*path"), "/{path}");
  EXPECT_EQ(OperationId("GET", "/api/vehicles/{id}/state"), "getVehiclesByIdState");
  EXPECT_EQ(OperationId("POST", "/api/auth/tesla/callback"), "postAuthTeslaCallback");
  EXPECT_EQ(OperationId("GET", "/api/openapi.json"), "getOpenapiJson");
  EXPECT_EQ(OperationId("GET", "/{path}"), "getByPath");
  EXPECT_EQ(OperationId("GET", "/metrics"), "getMetrics");
}

TEST(OpenApiDocumentTest, FollowsTheRouteTable) {
  OpenApiDocument doc;
  doc.SetCore(kCore);
  EXPECT_EQ(doc.SetPart("cars", R"(paths:
  /api/cars/{id}:
    get:
      summary: one car
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: the car, content: {application/json: {schema: {$ref: '#/components/schemas/CarsCar'}}}}}
components:
  schemas:
    CarsCar: {type: object, properties: {vin: {type: string}}}
)"),
            "");
  const std::vector<Route> routes = {MakeRoute("GET", "/api/health", "core", true),
                                     MakeRoute("GET", "/api/cars/:id", "cars"),
                                     MakeRoute("POST", "/api/cars/:id/honk", "cars", false, "honk once")};
  const auto d = Parse(doc.Render(routes, {{"cars", "Cars plugin"}}, "1.2.3"));
  EXPECT_EQ(d->getObject("info")->getValue<std::string>("version"), "1.2.3");
  const auto paths = d->getObject("paths");
  EXPECT_FALSE(paths->has("/api/gone")) << "described but not served";
  ASSERT_TRUE(paths->has("/api/health"));
  EXPECT_EQ(paths->getObject("/api/health")->getObject("get")->getArray("security")->size(), 0u);

  const auto car = paths->getObject("/api/cars/{id}")->getObject("get");
  EXPECT_EQ(car->getValue<std::string>("summary"), "one car");
  EXPECT_EQ(car->getValue<std::string>("operationId"), "getCarsById");
  EXPECT_EQ(car->getArray("tags")->getElement<std::string>(0), "cars");
  EXPECT_TRUE(car->getObject("responses")->has("401")) << "a route that needs a token answers 401";
  EXPECT_TRUE(d->getObject("components")->getObject("schemas")->has("CarsCar"));

  // Served but not described: listed with its summary and its path parameter declared.
  const auto honk = paths->getObject("/api/cars/{id}/honk")->getObject("post");
  EXPECT_EQ(honk->getValue<std::string>("summary"), "honk once");
  EXPECT_EQ(honk->getArray("parameters")->getObject(0)->getValue<std::string>("name"), "id");

  const auto tags = d->getArray("tags");
  ASSERT_EQ(tags->size(), 2u);
  EXPECT_EQ(tags->getObject(0)->getValue<std::string>("name"), "core");
  EXPECT_EQ(tags->getObject(1)->getValue<std::string>("description"), "Cars plugin");

  // A stopped plugin's part goes with it; its routes (if any were left) would only have summaries.
  // (The same inputs again render the same document, from the cache the removal must drop.)
  EXPECT_EQ(doc.Render(routes, {{"cars", "Cars plugin"}}, "1.2.3"),
            doc.Render(routes, {{"cars", "Cars plugin"}}, "1.2.3"));
  doc.RemovePart("cars");
  const auto after = Parse(doc.Render(routes, {{"cars", "Cars plugin"}}, "1.2.3"));
  EXPECT_FALSE(after->getObject("components")->getObject("schemas"));
}

TEST(OpenApiDocumentTest, RefusesAPartThatRedefinesAnotherOnesComponent) {
  OpenApiDocument doc;
  doc.SetCore(kCore);
  const char* a = "components: {schemas: {Error: {type: object}}}\n";
  const char* b = "components: {schemas: {Error: {type: string}}}\n";
  EXPECT_EQ(doc.SetPart("a", a), "");
  EXPECT_EQ(doc.SetPart("a", a), "") << "a plugin may publish its part again";
  EXPECT_EQ(doc.SetPart("c", a), "") << "the same definition twice is no clash";
  EXPECT_NE(doc.SetPart("b", b).find("already defined differently by 'a'"), std::string::npos);
  EXPECT_NE(doc.SetPart("b", "paths: [").find("not valid YAML"), std::string::npos);
  EXPECT_NE(doc.SetPart("b", "components: {responses: {Unauthorized: {description: x}}}").find("host's"),
            std::string::npos);
}

TEST(OpenApiDocumentTest, TheShippedCoreDocumentParses) {
  OpenApiDocument doc;
  ASSERT_NO_THROW(doc.SetCore(kCoreOpenApiYaml));
  const auto d = Parse(doc.Render({MakeRoute("GET", "/api/openapi.json", "core", true)}, {}, "0.1.0"));
  EXPECT_EQ(d->getValue<std::string>("openapi"), "3.0.3");
  EXPECT_TRUE(d->getObject("paths")->has("/api/openapi.json"));
}

}  // namespace
}  // namespace tessie::core
