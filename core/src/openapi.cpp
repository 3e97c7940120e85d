#include "openapi.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>

namespace tessie::core {

namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Object::Ptr NewObject() { return new Object(Poco::JSON_PRESERVE_KEY_ORDER); }

Poco::Dynamic::Var PlainScalar(const std::string& s) {
  static const std::regex kNull("~|null|Null|NULL|");
  static const std::regex kInt("[-+]?[0-9]+");
  static const std::regex kFloat(R"([-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?)");
  if (std::regex_match(s, kNull)) return Poco::Dynamic::Var();
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  if (std::regex_match(s, kInt)) {
    try {
      return static_cast<Poco::Int64>(std::stoll(s));
    } catch (const std::out_of_range&) {
      return std::stod(s);
    }
  }
  if (std::regex_match(s, kFloat)) return std::stod(s);
  return s;
}

// Whether two YAML definitions are the same (compared as emitted text).
bool SameDefinition(const YAML::Node& a, const YAML::Node& b) { return YAML::Dump(a) == YAML::Dump(b); }

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

int MethodRank(const std::string& method) {
  static const std::vector<std::string> kOrder = {"GET", "PUT", "POST", "PATCH", "DELETE"};
  const auto it = std::find(kOrder.begin(), kOrder.end(), method);
  return static_cast<int>(it - kOrder.begin());
}

// The path parameters of an OpenAPI path, in order: "/a/{x}/b/{y}" -> x, y.
std::vector<std::string> PathParameters(const std::string& path) {
  std::vector<std::string> names;
  static const std::regex kParam(R"(\{([^}/]+)\})");
  for (std::sregex_iterator it(path.begin(), path.end(), kParam), end; it != end; ++it) names.push_back((*it)[1]);
  return names;
}

Object::Ptr StubOperation(const Route& route, const std::string& path) {
  auto op = NewObject();
  op->set("summary", route.options.summary.empty() ? route.method + " " + path : route.options.summary);
  op->set("description", "Registered by '" + route.owner + "', whose OpenAPI part does not describe it.");
  Array::Ptr params = new Array;
  for (const auto& name : PathParameters(path)) {
    auto p = NewObject();
    p->set("name", name);
    p->set("in", "path");
    p->set("required", true);
    auto schema = NewObject();
    schema->set("type", "string");
    p->set("schema", schema);
    params->add(p);
  }
  if (params->size() > 0) op->set("parameters", params);
  auto responses = NewObject();
  auto any = NewObject();
  any->set("description", "not described");
  responses->set("default", any);
  op->set("responses", responses);
  return op;
}

}  // namespace

Poco::Dynamic::Var YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      auto object = NewObject();
      for (const auto& entry : node) object->set(entry.first.Scalar(), YamlToJson(entry.second));
      return object;
    }
    case YAML::NodeType::Sequence: {
      Array::Ptr array = new Array;
      for (const auto& item : node) array->add(YamlToJson(item));
      return array;
    }
    case YAML::NodeType::Scalar:
      // "?" marks a plain scalar; quoted and block scalars are tagged "!".
      if (node.Tag() == "?") return PlainScalar(node.Scalar());
      return node.Scalar();
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      break;
  }
  return Poco::Dynamic::Var();
}

std::string OpenApiPath(const std::string& pattern) {
  static const std::regex kParam("[:*]([A-Za-z_][A-Za-z0-9_]*)");
  return std::regex_replace(pattern, kParam, "{$1}");
}

std::string OperationId(const std::string& method, const std::string& openapi_path) {
  std::string id = Lower(method);
  std::stringstream segments(openapi_path);
  std::string segment;
  bool first = true;
  while (std::getline(segments, segment, '/')) {
    if (segment.empty()) continue;
    if (first && segment == "api") {
      first = false;
      continue;
    }
    first = false;
    if (segment.front() == '{' && segment.back() == '}') {
      segment = segment.substr(1, segment.size() - 2);
      id += "By";
    }
    bool upper = true;
    for (char c : segment) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        upper = true;
        continue;
      }
      id += upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      upper = false;
    }
  }
  return id;
}

void OpenApiDocument::SetCore(std::string_view yaml) {
  auto doc = YAML::Load(std::string(yaml));
  if (!doc.IsMap()) throw std::invalid_argument("the core's OpenAPI document is not a mapping");
  std::lock_guard lock(mutex_);
  core_ = doc;
  cached_inputs_.clear();
}

std::string OpenApiDocument::SetPart(const std::string& owner, std::string_view yaml) {
  YAML::Node part;
  try {
    part = YAML::Load(std::string(yaml));
  } catch (const YAML::Exception& e) {
    return std::string("its OpenAPI part is not valid YAML: ") + e.what();
  }
  if (!part.IsMap()) return "its OpenAPI part is not a mapping with paths and components";
  std::lock_guard lock(mutex_);
  const YAML::Node components = part["components"];
  if (components && components.IsMap()) {
    for (const auto& section : components) {
      const std::string kind = section.first.Scalar();
      if (!section.second.IsMap()) continue;
      for (const auto& item : section.second) {
        const std::string name = item.first.Scalar();
        const auto clash = [&](const YAML::Node& other) {
          const YAML::Node o = other["components"];
          if (!o || !o.IsMap() || !o[kind] || !o[kind].IsMap()) return false;
          const YAML::Node existing = o[kind][name];
          return existing && !SameDefinition(existing, item.second);
        };
        if (clash(core_)) return "its component " + kind + "/" + name + " redefines the host's";
        for (const auto& [other_owner, other] : parts_) {
          if (other_owner != owner && clash(other))
            return "its component " + kind + "/" + name + " is already defined differently by '" + other_owner +
                   "'; prefix component names with the plugin's name";
        }
      }
    }
  }
  parts_[owner] = part;
  cached_inputs_.clear();
  return {};
}

void OpenApiDocument::RemovePart(const std::string& owner) {
  std::lock_guard lock(mutex_);
  parts_.erase(owner);
  cached_inputs_.clear();
}

std::string OpenApiDocument::Render(const std::vector<Route>& routes,
                                    const std::map<std::string, std::string>& tag_descriptions,
                                    const std::string& version) const {
  std::string inputs = version + '\n';
  for (const auto& r : routes)
    inputs += r.method + ' ' + r.pattern + ' ' + r.owner + (r.options.is_public ? " public " : " - ") +
              r.options.summary + '\n';
  for (const auto& [tag, description] : tag_descriptions) inputs += tag + ": " + description + '\n';
  std::lock_guard lock(mutex_);
  if (!cached_inputs_.empty() && inputs == cached_inputs_) return cached_;
  const YAML::Node core = core_;
  Object::Ptr doc = core.IsMap() ? YamlToJson(core).extract<Object::Ptr>() : NewObject();
  if (!doc->has("openapi")) doc->set("openapi", "3.0.3");
  Object::Ptr info = doc->getObject("info");
  if (!info) {
    info = NewObject();
    info->set("title", "Tessie Stats REST API");
    doc->set("info", info);
  }
  info->set("version", version);

  // Components: the core's, then each part's (SetPart refused clashing names; an identical one is kept once).
  Object::Ptr components = doc->getObject("components");
  if (!components) {
    components = NewObject();
    doc->set("components", components);
  }
  for (const auto& [owner, part] : parts_) {
    const YAML::Node c = part["components"];
    if (!c || !c.IsMap()) continue;
    for (const auto& section : c) {
      if (!section.second.IsMap()) continue;
      const std::string kind = section.first.Scalar();
      Object::Ptr out = components->getObject(kind);
      if (!out) {
        out = NewObject();
        components->set(kind, out);
      }
      for (const auto& item : section.second) {
        if (!out->has(item.first.Scalar())) out->set(item.first.Scalar(), YamlToJson(item.second));
      }
    }
  }
  const bool has_unauthorized =
      components->getObject("responses") && components->getObject("responses")->has("Unauthorized");

  // Paths: one operation per route, ordered by path and method.
  std::vector<const Route*> ordered;
  for (const auto& r : routes) ordered.push_back(&r);
  std::stable_sort(ordered.begin(), ordered.end(), [](const Route* a, const Route* b) {
    const auto pa = OpenApiPath(a->pattern), pb = OpenApiPath(b->pattern);
    if (pa != pb) return pa < pb;
    return MethodRank(a->method) < MethodRank(b->method);
  });
  Object::Ptr paths = NewObject();
  std::set<std::string> ids;
  for (const Route* route : ordered) {
    const std::string path = OpenApiPath(route->pattern);
    const std::string method = Lower(route->method);
    // Const nodes throughout: yaml-cpp's non-const operator[] records every missing key in the shared document.
    const auto find_part = [&]() -> YAML::Node {
      if (route->owner == "core") return core;
      const auto it = parts_.find(route->owner);
      return it == parts_.end() ? YAML::Node() : it->second;
    };
    const YAML::Node source = find_part();
    const YAML::Node item =
        source.IsMap() && source["paths"] && source["paths"].IsMap() ? source["paths"][path] : YAML::Node();
    Object::Ptr path_out = paths->getObject(path);
    if (!path_out) {
      path_out = NewObject();
      paths->set(path, path_out);
      // Path-level fields (shared parameters, summary) of the owner's path item.
      if (item && item.IsMap()) {
        for (const auto& field : item) {
          const std::string key = field.first.Scalar();
          if (key == "parameters" || key == "summary" || key == "description" || key == "servers")
            path_out->set(key, YamlToJson(field.second));
        }
      }
    }
    Object::Ptr op;
    if (item && item.IsMap() && item[method] && item[method].IsMap()) {
      op = YamlToJson(item[method]).extract<Object::Ptr>();
    } else {
      op = StubOperation(*route, path);
    }
    if (!op->has("operationId")) op->set("operationId", OperationId(route->method, path));
    std::string id = op->getValue<std::string>("operationId");
    for (int n = 2; ids.count(id); ++n) id = op->getValue<std::string>("operationId") + std::to_string(n);
    op->set("operationId", id);
    ids.insert(id);
    if (!op->has("tags")) {
      Array::Ptr tags = new Array;
      tags->add(route->owner);
      op->set("tags", tags);
    }
    // The route table decides who may call: a public route needs no token, any other one the bearer token.
    if (route->options.is_public) {
      op->set("security", Array::Ptr(new Array));
    } else {
      const auto security = op->getArray("security");
      if (security && security->size() == 0) op->remove("security");
      auto responses = op->getObject("responses");
      if (responses && has_unauthorized && !responses->has("401")) {
        auto ref = NewObject();
        ref->set("$ref", "#/components/responses/Unauthorized");
        responses->set("401", ref);
      }
    }
    path_out->set(method, op);
  }
  doc->set("paths", paths);

  // Tags: every owner that serves a route and every tag an operation names, described where known.
  std::set<std::string> used;
  for (const auto& [path, item] : *paths) {
    for (const auto& [method, op] : *item.extract<Object::Ptr>()) {
      if (op.type() != typeid(Object::Ptr)) continue;
      const auto tags = op.extract<Object::Ptr>()->getArray("tags");
      if (!tags) continue;
      for (std::size_t i = 0; i < tags->size(); ++i)
        used.insert(tags->getElement<std::string>(static_cast<unsigned>(i)));
    }
  }
  Array::Ptr tags = new Array;
  std::vector<std::string> names(used.begin(), used.end());
  std::stable_partition(names.begin(), names.end(), [](const std::string& n) { return n == "core"; });
  for (const auto& name : names) {
    auto tag = NewObject();
    tag->set("name", name);
    const auto it = tag_descriptions.find(name);
    if (it != tag_descriptions.end() && !it->second.empty()) tag->set("description", it->second);
    tags->add(tag);
  }
  doc->set("tags", tags);

  std::ostringstream out;
  doc->stringify(out);
  cached_inputs_ = std::move(inputs);
  cached_ = out.str();
  return cached_;
}

}  // namespace tessie::core
