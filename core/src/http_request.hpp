#pragma once
// What the HTTP server makes of a request before a handler runs, without sockets: the pure part of
// http_server.cpp, so that it can be unit-tested and fuzzed (fuzz/http_request_fuzz.cpp). Thread-safe.
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "auth.hpp"
#include "tessie/sdk/http.hpp"

namespace tessie::core {

struct IncomingRequest {
  std::string method;  // as sent ("GET", "HEAD", ...)
  std::string uri;     // the request target: path and query string
  std::vector<std::pair<std::string, std::string>> headers;
  std::string client_address;
};

std::string LowerAscii(std::string s);

// The sdk::HttpRequest for `in`, without body and path parameters: HEAD becomes GET, the path is the URI's
// (percent-decoded) path, query parameters are decoded, header names lower-cased (a repeated header keeps the
// last value). Throws sdk::HttpError 400 for a malformed URI or query string.
// `raw_path` receives the path as sent, still percent-encoded: that is what Router::Find matches, decoding each
// segment once. (Routing on the decoded path decoded twice: "%2541" became "A", "%25zz" a 500, "%2F" split a
// segment; found by fuzz/http_request_fuzz.cpp.)
sdk::HttpRequest ParseRequestHead(const IncomingRequest& in, std::string* raw_path = nullptr);

// The subject of the login token in an "Authorization: Bearer <token>" header value, or nullopt when the value
// is not a Bearer token or the token is invalid, forged or expired.
std::optional<std::string> BearerSubject(const std::string& authorization, const TokenIssuer& tokens,
                                         std::chrono::system_clock::time_point now);

// Whether a request body of `content_type` is accepted for `method`: on POST, PUT and PATCH only the media type
// application/json (sdk::IsJsonContentType; no route reads form data); anything on other methods. An empty body
// is always accepted.
bool AcceptsBody(const std::string& method, const std::string& content_type, bool body_empty);

}  // namespace tessie::core
