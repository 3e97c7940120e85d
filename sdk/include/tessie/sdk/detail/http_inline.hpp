#pragma once
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>
#include <tessie/sdk/detail/json_write.hpp>

#include <sstream>

namespace tessie::sdk {
inline namespace v1 {

inline bool IsJsonContentType(std::string_view value) {
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  std::size_t begin = 0, end = value.find(';');
  if (end == std::string_view::npos) end = value.size();
  while (begin < end && is_space(value[begin])) ++begin;
  while (end > begin && is_space(value[end - 1])) --end;
  constexpr std::string_view kJson = "application/json";
  if (end - begin != kJson.size()) return false;
  for (std::size_t i = 0; i < kJson.size(); ++i) {
    const char c = value[begin + i];
    if ((c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c) != kJson[i]) return false;
  }
  return true;
}

inline Poco::JSON::Object::Ptr HttpRequest::JsonBody() const {
  if (body.empty()) throw HttpError::BadRequest("request body is empty; expected a JSON object");
  const auto type = headers.find("content-type");
  if (type == headers.end() || !IsJsonContentType(type->second)) {
    throw HttpError(415, "unsupported_media_type", "send the body with 'Content-Type: application/json'");
  }
  Poco::Dynamic::Var parsed;
  try {
    Poco::JSON::Parser parser;
    parsed = parser.parse(body);
  } catch (const Poco::Exception& e) {
    throw HttpError::BadRequest("request body is not valid JSON: " + e.message());
  }
  if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) {
    throw HttpError::BadRequest("request body must be a JSON object");
  }
  return parsed.extract<Poco::JSON::Object::Ptr>();
}

inline HttpResponse HttpResponse::Json(const Poco::Dynamic::Var& value, int status) {
  HttpResponse r;
  r.status = status;
  r.body = ToJson(value);
  return r;
}

}  // namespace v1
}  // namespace tessie::sdk
