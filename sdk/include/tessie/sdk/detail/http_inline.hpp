#pragma once
#include <Poco/JSON/JSONException.h>
#include <Poco/JSON/Parser.h>

#include <sstream>

namespace tessie::sdk {
inline namespace v1 {

inline Poco::JSON::Object::Ptr HttpRequest::JsonBody() const {
  if (body.empty()) throw HttpError::BadRequest("request body is empty; expected a JSON object");
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
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(value, out);
  r.body = out.str();
  return r;
}

}  // namespace v1
}  // namespace tessie::sdk
