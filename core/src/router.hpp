#pragma once
#include <map>
#include <optional>
#include <shared_mutex>
#include <string>
#include <vector>

#include "tessie/sdk/http.hpp"

namespace tessie::core {

struct Route {
  std::string method;
  std::string pattern;  // "/api/vehicles/:id"
  std::string owner;    // plugin name or "core"
  sdk::HttpHandler handler;
  sdk::RouteOptions options;
  std::vector<std::string> segments = {};  // the pattern split on '/', filled by Router::Add
  // Answers while the host is still starting its plugins (health, readiness, metrics); every other route
  // answers 503 until then (see HttpServer::SetStarting).
  bool while_starting = false;
};

// The route table. Add/Remove may happen while requests are being matched (plugins start and stop at
// runtime); all methods are thread-safe.
class Router {
 public:
  struct Match {
    Route route;  // a copy: stays valid if the route is removed while the request runs
    std::map<std::string, std::string> params;
  };
  enum class Miss { kNotFound, kMethodNotAllowed };

  // Throws std::invalid_argument on a malformed pattern or when method+pattern (with parameter names
  // ignored: /a/:x and /a/:y clash) is already registered; the message names the owner.
  void Add(Route route);
  // Removes every route of `owner`; returns how many.
  std::size_t RemoveOwner(const std::string& owner);
  // `path` is the request path as sent (percent-encoded): segments are split on '/' first, then each parameter
  // is decoded once, so "%2F" stays inside its segment. A segment with a malformed escape matches no parameter.
  // Never throws. Static segments win over parameters at the same position. A last segment "*name" matches the
  // rest of the path (zero or more segments, joined with '/', in params["name"]); such a route answers only when
  // no other route matches the path with any method, so it never hides a 405 or a more specific route.
  std::optional<Match> Find(const std::string& method, const std::string& path, Miss* miss = nullptr,
                            std::vector<std::string>* allowed = nullptr) const;
  std::vector<Route> Routes() const;

 private:
  static std::vector<std::string> Split(const std::string& path);
  mutable std::shared_mutex mutex_;
  std::vector<Route> routes_;
};

}  // namespace tessie::core
