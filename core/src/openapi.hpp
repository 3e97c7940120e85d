#pragma once
#include <Poco/Dynamic/Var.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "router.hpp"

namespace tessie::core {

// A YAML document as JSON values, with YAML 1.2 core-schema typing: quoted and block scalars are strings, plain
// ones are null, booleans, integers or numbers when they look like one, else strings. Mapping order is kept.
Poco::Dynamic::Var YamlToJson(const YAML::Node& node);

// The OpenAPI 3 operation id derived from a route: "GET /api/vehicles/{id}/state" -> "getVehiclesByIdState".
std::string OperationId(const std::string& method, const std::string& openapi_path);

// Route pattern to OpenAPI path: "/api/vehicles/:id" and "/*path" -> "/api/vehicles/{id}", "/{path}".
std::string OpenApiPath(const std::string& pattern);

// The REST API description served at GET /api/openapi.json: the core's own document (docs/openapi.yaml) and
// each plugin's part (sdk::events::OpenApiPart), merged along the route table, which decides what is listed.
// Thread-safe: plugins set and lose their part while requests render the document.
class OpenApiDocument {
 public:
  // Throws YAML::Exception (or std::invalid_argument for a document that is not a mapping).
  void SetCore(std::string_view yaml);
  // Replaces `owner`'s part. Returns an empty string, or why the part was refused (not YAML, not a mapping, or a
  // component name another owner already uses with a different definition); a refused part leaves the owner's
  // routes listed with their summary only.
  std::string SetPart(const std::string& owner, std::string_view yaml);
  void RemovePart(const std::string& owner);

  // The merged document as JSON. Every route of `routes` is one operation, taken from its owner's description
  // (or made from its summary when the owner has none), with security [] when the route is public, an
  // operationId when the description has none, and the owner as its tag; paths nobody serves are left out.
  // `tag_descriptions` describes each owner's tag; `version` goes to info.version. Reuses the last rendering
  // when nothing it was made from changed.
  std::string Render(const std::vector<Route>& routes, const std::map<std::string, std::string>& tag_descriptions,
                     const std::string& version) const;

 private:
  mutable std::mutex mutex_;
  YAML::Node core_;
  std::map<std::string, YAML::Node> parts_;
  // The last rendering and what it was made from: the route table rarely changes, so most requests reuse it.
  mutable std::string cached_inputs_;
  mutable std::string cached_;
};

}  // namespace tessie::core
