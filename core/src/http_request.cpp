#include "http_request.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cctype>

namespace tessie::core {

std::string LowerAscii(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

sdk::HttpRequest ParseRequestHead(const IncomingRequest& in, std::string* raw_path) {
  Poco::URI uri;
  try {
    uri = Poco::URI(in.uri);
  } catch (const Poco::Exception&) {
    throw sdk::HttpError(400, "bad_request", "the request URI is malformed");
  }
  sdk::HttpRequest req;
  req.method = in.method == "HEAD" ? "GET" : in.method;
  req.path = uri.getPath();
  if (raw_path) {
    if (!in.uri.empty() && in.uri[0] == '/') {
      *raw_path = in.uri.substr(0, in.uri.find_first_of("?#"));  // origin form, as sent
    } else {
      raw_path->clear();  // absolute form: Poco keeps only the decoded path; encode it again
      Poco::URI::encode(req.path, "?#%", *raw_path);
    }
  }
  try {
    for (const auto& [k, v] : uri.getQueryParameters()) req.query.emplace(k, v);
  } catch (const Poco::Exception&) {
    throw sdk::HttpError(400, "bad_request", "the query string is malformed");
  }
  for (const auto& [name, value] : in.headers) req.headers[LowerAscii(name)] = value;
  req.client_address = in.client_address;
  return req;
}

std::optional<std::string> BearerSubject(const std::string& authorization, const TokenIssuer& tokens,
                                         std::chrono::system_clock::time_point now) {
  if (authorization.size() <= 7 || LowerAscii(authorization.substr(0, 7)) != "bearer ") return std::nullopt;
  return tokens.Verify(authorization.substr(7), now);
}

bool AcceptsBody(const std::string& method, const std::string& content_type, bool body_empty) {
  if (body_empty || (method != "POST" && method != "PUT" && method != "PATCH")) return true;
  // No route reads form data; JSON only (a cross-site page cannot send it without a CORS preflight).
  return sdk::IsJsonContentType(content_type);
}

}  // namespace tessie::core
