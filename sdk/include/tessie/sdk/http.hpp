#pragma once
#include <Poco/Dynamic/Var.h>
#include <Poco/JSON/Object.h>

#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// Thrown by a handler to answer with a JSON error body {"error": code, "message": message}.
// The message is shown to the user: say what was wrong and what to do, never include a secret.
class TESSIE_SDK_API HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int Status() const { return status_; }
  const std::string& Code() const { return code_; }

  static HttpError BadRequest(const std::string& m) { return HttpError(400, "bad_request", m); }
  static HttpError NotFound(const std::string& m) { return HttpError(404, "not_found", m); }
  static HttpError Conflict(const std::string& m) { return HttpError(409, "conflict", m); }

 private:
  int status_;
  std::string code_;
};

struct TESSIE_SDK_API HttpRequest {
  std::string method;
  std::string path;                                // without the query string
  std::map<std::string, std::string> path_params;  // ":id" segments of the route
  std::multimap<std::string, std::string> query;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
  std::string client_address;
  std::string subject;  // the authenticated user ("admin"), empty on public routes

  const std::string& Param(const std::string& name) const {
    auto it = path_params.find(name);
    if (it == path_params.end()) throw HttpError::BadRequest("missing path parameter '" + name + "'");
    return it->second;
  }
  std::optional<std::string> Query(const std::string& name) const {
    auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
  }
  // Parses the body as a JSON object; a malformed body is a 400 naming the problem, a body not sent as
  // application/json (see IsJsonContentType) a 415.
  Poco::JSON::Object::Ptr JsonBody() const;
};

// Whether a Content-Type header value is the media type application/json: type and subtype compared without
// regard to case, parameters after ';' (e.g. charset=utf-8) allowed. "text/plain; charset=json",
// "application/jsonx" or a missing value are not: a web page can send those cross-site without a CORS preflight.
bool IsJsonContentType(std::string_view value);

struct TESSIE_SDK_API HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::map<std::string, std::string> headers;

  static HttpResponse Json(const Poco::Dynamic::Var& value, int status = 200);
  static HttpResponse Text(std::string text, std::string content_type = "text/plain; charset=utf-8", int status = 200) {
    HttpResponse r;
    r.status = status;
    r.content_type = std::move(content_type);
    r.body = std::move(text);
    return r;
  }
  static HttpResponse NoContent() {
    HttpResponse r;
    r.status = 204;
    r.content_type.clear();
    return r;
  }
};

// Called on one of the HTTP server's worker threads, possibly concurrently: handlers must be thread-safe.
using HttpHandler = std::function<HttpResponse(const HttpRequest&)>;

struct RouteOptions {
  // Routes need a valid Bearer token unless marked public.
  bool is_public = false;
  std::string summary;  // one line for the route listing
};

// A plugin's view of the HTTP router. Registrations are revoked when the plugin stops.
class TESSIE_SDK_API HttpRoutes {
 public:
  virtual ~HttpRoutes() = default;
  // `path` segments starting with ':' are parameters, e.g. "/api/vehicles/:id/state". A last segment "*name"
  // matches the rest of the path (zero or more segments), e.g. "/*path" for a web app's client-side routes; it
  // answers only requests no other route matches.
  // Throws std::invalid_argument when another plugin (or the core) already owns method+path.
  virtual void Add(const std::string& method, const std::string& path, HttpHandler handler,
                   RouteOptions options = {}) = 0;
};

}  // namespace v1
}  // namespace tessie::sdk

#include "tessie/sdk/detail/http_inline.hpp"
