// REST request parsing as the HTTP server does it (core/src/http_request.cpp, core/src/router.cpp): request line,
// headers, query string, route matching with path parameters, Bearer token verification, JSON body.
//
// Input: "METHOD TARGET\n" then "Name: value\n" header lines, an empty line, and the body. The documented
// outcomes are a request, or sdk::HttpError (400 for a malformed URI, query or body); anything else is a finding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "http_request.hpp"
#include "router.hpp"

namespace {

using namespace tessie;

core::Router& Routes() {
  // The shapes of the real route table (docs/openapi.yaml, plugins/*/openapi.yaml), static and parameterised.
  static core::Router* router = [] {
    auto* r = new core::Router;
    const sdk::HttpHandler ok = [](const sdk::HttpRequest&) { return sdk::HttpResponse{}; };
    const char* get[] = {"/api/health",
                         "/api/plugins",
                         "/api/routes",
                         "/api/auth/status",
                         "/api/auth/tesla/login",
                         "/api/auth/tesla/callback",
                         "/api/sync/status",
                         "/api/charging/sessions",
                         "/api/charging/sessions/:id",
                         "/api/charging/stats",
                         "/api/drives/:id",
                         "/api/drivers/:id/stats",
                         "/api/energy/sites/:id/history",
                         "/api/energy/sites/:id/live",
                         "/api/vehicles/:id/state",
                         "/api/vehicles/:id/history",
                         "/api/vehicles/:id"};
    const char* post[] = {"/api/auth/login",        "/api/auth/token", "/api/sync/trigger",
                          "/api/vehicles/:id/wake", "/api/drivers",    "/api/drives/:id"};
    for (const char* p : get) r->Add({"GET", p, "core", ok, {}});
    for (const char* p : post) r->Add({"POST", p, "core", ok, {}});
    r->Add({"PATCH", "/api/drives/:id", "core", ok, {}});
    r->Add({"DELETE", "/api/drivers/:id", "core", ok, {}});
    return r;
  }();
  return *router;
}

const core::TokenIssuer& Tokens() {
  static const core::TokenIssuer tokens(std::string(64, 'a'), std::chrono::hours(12));
  return tokens;
}

std::string_view NextLine(std::string_view& rest) {
  const auto end = rest.find('\n');
  std::string_view line = rest.substr(0, end);
  rest = end == std::string_view::npos ? std::string_view() : rest.substr(end + 1);
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  const auto request_line = NextLine(rest);
  const auto space = request_line.find(' ');
  core::IncomingRequest in;
  in.method = std::string(request_line.substr(0, space));
  in.uri = space == std::string_view::npos ? "/" : std::string(request_line.substr(space + 1));
  in.client_address = "127.0.0.1";
  while (!rest.empty()) {
    const auto line = NextLine(rest);
    if (line.empty()) break;
    const auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto value = line.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    in.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  }

  sdk::HttpRequest req;
  std::string raw_path;
  try {
    req = core::ParseRequestHead(in, &raw_path);
  } catch (const sdk::HttpError& e) {
    if (e.Status() != 400) __builtin_trap();
    return 0;
  }
  core::Router::Miss miss;
  std::vector<std::string> allowed;
  auto match = Routes().Find(req.method, raw_path, &miss, &allowed);
  if (match) {
    req.path_params = match->params;
    for (const auto& [name, value] : req.path_params) req.Param(name);
  } else if (miss == core::Router::Miss::kMethodNotAllowed && allowed.empty()) {
    __builtin_trap();  // a 405 must name the allowed methods
  }
  if (auto it = req.headers.find("authorization"); it != req.headers.end()) {
    // The key is not in the input, so no token can verify; a subject here is a forged token accepted.
    if (core::BearerSubject(it->second, Tokens(), std::chrono::system_clock::now())) __builtin_trap();
  }
  for (const auto& [k, v] : req.query) req.Query(k);
  req.body = std::string(rest);
  const auto type = req.headers.count("content-type") ? req.headers["content-type"] : "";
  if (core::AcceptsBody(req.method, type, req.body.empty()) && !req.body.empty()) {
    try {
      req.JsonBody();
    } catch (const sdk::HttpError& e) {
      // 400 for a body that is not a JSON object, 415 for one not sent as application/json (JsonBody checks the
      // media type again, also where AcceptsBody lets any type through: methods without a body).
      if (e.Status() != 400 && e.Status() != 415) __builtin_trap();
    }
  }
  return 0;
}
