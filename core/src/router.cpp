#include "router.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <algorithm>
#include <mutex>
#include <stdexcept>

namespace tessie::core {

std::vector<std::string> Router::Split(const std::string& path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

namespace {
std::string Shape(const std::vector<std::string>& parts) {
  std::string shape;
  for (const auto& p : parts) shape += "/" + (p[0] == ':' || p[0] == '*' ? p.substr(0, 1) : p);
  return shape;
}
bool IsWildcard(const std::vector<std::string>& pattern) { return !pattern.empty() && pattern.back()[0] == '*'; }
}  // namespace

void Router::Add(Route route) {
  if (route.pattern.empty() || route.pattern[0] != '/')
    throw std::invalid_argument("route path '" + route.pattern + "' must start with '/'");
  static const std::vector<std::string> kMethods = {"GET", "POST", "PUT", "PATCH", "DELETE"};
  if (std::find(kMethods.begin(), kMethods.end(), route.method) == kMethods.end())
    throw std::invalid_argument("route " + route.pattern + ": unsupported method '" + route.method + "'");
  if (!route.handler) throw std::invalid_argument("route " + route.method + " " + route.pattern + " has no handler");
  route.segments = Split(route.pattern);
  for (std::size_t i = 0; i < route.segments.size(); ++i) {
    const auto& p = route.segments[i];
    if (p == ":" || p == "*") throw std::invalid_argument("route " + route.pattern + " has an unnamed parameter");
    if (p[0] == '*' && i + 1 != route.segments.size())
      throw std::invalid_argument("route " + route.pattern + ": a '*' parameter must be the last segment");
  }
  const auto shape = Shape(route.segments);
  std::unique_lock lock(mutex_);
  for (const auto& existing : routes_) {
    if (existing.method == route.method && Shape(existing.segments) == shape) {
      throw std::invalid_argument("route " + route.method + " " + route.pattern + " is already registered by '" +
                                  existing.owner + "'");
    }
  }
  routes_.push_back(std::move(route));
}

std::size_t Router::RemoveOwner(const std::string& owner) {
  std::unique_lock lock(mutex_);
  const auto before = routes_.size();
  std::erase_if(routes_, [&](const Route& r) { return r.owner == owner; });
  return before - routes_.size();
}

std::optional<Router::Match> Router::Find(const std::string& method, const std::string& path, Miss* miss,
                                          std::vector<std::string>* allowed) const {
  const auto parts = Split(path);
  std::shared_lock lock(mutex_);
  const Route* best = nullptr;
  int best_static = -1;
  std::map<std::string, std::string> best_params;
  // A trailing-wildcard route only answers when no exact-length route does (longest static prefix first).
  const Route* best_wild = nullptr;
  int best_wild_static = -1;
  std::map<std::string, std::string> best_wild_params;
  bool path_matched = false;
  for (const auto& route : routes_) {
    const auto& pattern = route.segments;  // split once, at Add
    const bool wild = IsWildcard(pattern);
    const std::size_t fixed = wild ? pattern.size() - 1 : pattern.size();
    if (wild ? parts.size() < fixed : pattern.size() != parts.size()) continue;
    // Static segments first (a comparison each): most routes differ there, and only a route that matches them
    // has its parameters decoded.
    bool statics_match = true;
    for (std::size_t i = 0; i < fixed && statics_match; ++i) {
      statics_match = pattern[i][0] == ':' || pattern[i] == parts[i];
    }
    if (!statics_match) continue;
    std::map<std::string, std::string> params;
    int static_count = 0;
    bool ok = true;
    for (std::size_t i = 0; i < fixed && ok; ++i) {
      if (pattern[i][0] == ':') {
        std::string decoded;
        try {
          Poco::URI::decode(parts[i], decoded);
        } catch (const Poco::Exception&) {
          ok = false;  // a malformed escape matches no parameter
          break;
        }
        params[pattern[i].substr(1)] = decoded;
      } else if (pattern[i] == parts[i]) {
        ++static_count;
      } else {
        ok = false;
      }
    }
    if (!ok) continue;
    if (wild) {
      // The rest of the path, segments decoded and joined with '/'; empty when nothing follows the prefix.
      std::string rest;
      for (std::size_t i = fixed; i < parts.size(); ++i) {
        std::string decoded;
        Poco::URI::decode(parts[i], decoded);
        rest += (i == fixed ? "" : "/") + decoded;
      }
      params[pattern.back().substr(1)] = rest;
      // A wildcard never turns a 404 into a 405: it only answers its own method.
      if (route.method == method && static_count > best_wild_static) {
        best_wild = &route;
        best_wild_static = static_count;
        best_wild_params = std::move(params);
      }
      continue;
    }
    path_matched = true;
    if (route.method != method) {
      if (allowed && std::find(allowed->begin(), allowed->end(), route.method) == allowed->end())
        allowed->push_back(route.method);
      continue;
    }
    if (static_count > best_static) {
      best = &route;
      best_static = static_count;
      best_params = std::move(params);
    }
  }
  if (best) return Match{*best, std::move(best_params)};
  if (best_wild && !path_matched) return Match{*best_wild, std::move(best_wild_params)};
  if (miss) *miss = path_matched ? Miss::kMethodNotAllowed : Miss::kNotFound;
  return std::nullopt;
}

std::vector<Route> Router::Routes() const {
  std::shared_lock lock(mutex_);
  return routes_;
}

}  // namespace tessie::core
