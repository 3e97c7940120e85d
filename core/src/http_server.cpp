#include "http_server.hpp"

#include "http_request.hpp"
#include "storage.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>

#include <algorithm>
#include <chrono>
#include <sstream>

namespace tessie::core {

using Poco::Net::HTTPResponse;

std::string ErrorBody(const std::string& code, const std::string& message) {
  Poco::JSON::Object obj;
  obj.set("error", code);
  obj.set("message", message);
  std::ostringstream out;
  obj.stringify(out);
  return out.str();
}

namespace {

class RequestHandler final : public Poco::Net::HTTPRequestHandler {
 public:
  RequestHandler(Router& router, const TokenIssuer& tokens, LogSink& log, std::size_t max_body,
                 MetricsRegistry* metrics)
      : router_(router), tokens_(tokens), log_(log), max_body_(max_body), metrics_(metrics) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    const auto started = std::chrono::steady_clock::now();
    sdk::HttpResponse out;
    std::string owner = "http";
    std::string path;
    std::string route = "(unmatched)";  // the pattern, not the raw path: bounded label values
    try {
      out = Handle(request, path, owner, route);
    } catch (const sdk::HttpError& e) {
      out = Error(e.Status(), e.Code(), e.what());
    } catch (const StorageUnavailable& e) {
      log_.Write(sdk::LogLevel::kWarn, owner, request.getMethod() + " " + path + ": " + e.what());
      out = Error(503, "database_unavailable", "the database is unreachable; try again in a minute");
      out.headers["Retry-After"] = "30";
    } catch (const std::exception& e) {
      log_.Write(sdk::LogLevel::kError, owner, request.getMethod() + " " + path + " failed: " + e.what());
      out = Error(500, "internal_error", "the server failed to handle this request; the host log has details");
    }
    response.setStatus(static_cast<HTTPResponse::HTTPStatus>(out.status));
    // API answers are never cached; a handler may say otherwise (the dashboard's hashed assets).
    response.set("Cache-Control", "no-store");
    for (const auto& [name, value] : out.headers) response.set(name, value);
    if (!out.content_type.empty()) response.setContentType(out.content_type);
    response.setContentLength(static_cast<std::streamsize>(out.body.size()));
    if (request.getMethod() == "HEAD" || out.status == 204 || out.status == 304) {
      response.send();
    } else {
      Send(request, response, out.body);
    }
    const auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
    if (metrics_) {
      const std::string method = request.getMethod();
      const bool known = method == "GET" || method == "HEAD" || method == "POST" || method == "PUT" ||
                         method == "PATCH" || method == "DELETE" || method == "OPTIONS";
      metrics_->Add("tessie_http_requests_total",
                    {{"method", known ? method : "other"}, {"route", route}, {"status", std::to_string(out.status)}});
      metrics_->Observe("tessie_http_request_duration_seconds", {{"route", route}}, ms / 1000.0);
    }
    std::ostringstream line;
    line.precision(3);
    line << request.clientAddress().host().toString() << " " << request.getMethod() << " " << path << " " << out.status
         << " " << out.body.size() << "B " << std::fixed << ms << "ms";
    log_.Write(path == "/api/health" ? sdk::LogLevel::kDebug : sdk::LogLevel::kInfo, "access", line.str());
  }

 private:
  // Small bodies go out with the header in one write. A large one (a year of hourly energy is 2.5 MB) is
  // handed to the socket whole after the header: through Poco's stream it would take a send() per 4 KB.
  static void Send(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const std::string& body) {
    constexpr std::size_t kDirect = 64 * 1024;
    auto* impl = dynamic_cast<Poco::Net::HTTPServerRequestImpl*>(&request);
    std::ostream& stream = response.send();
    if (body.size() < kDirect || impl == nullptr) {
      stream << body;
      return;
    }
    stream.flush();  // the header
    auto& socket = impl->socket();
    socket.setNoDelay(true);  // the body's last segment must not wait for the header's ACK (Nagle)
    const char* data = body.data();
    std::size_t left = body.size();
    try {
      while (left > 0) {  // a blocking socket sends all it is given; loop in case it does not
        const int sent = socket.sendBytes(data, static_cast<int>(std::min<std::size_t>(left, 1 << 30)));
        if (sent <= 0) return;  // the client went away: nothing more to do on this connection
        data += sent;
        left -= static_cast<std::size_t>(sent);
      }
    } catch (const Poco::Exception&) {
      // The client went away (reset, timeout): as with the stream, the connection just ends.
    }
  }

  static sdk::HttpResponse Error(int status, const std::string& code, const std::string& message) {
    sdk::HttpResponse r;
    r.status = status;
    r.body = ErrorBody(code, message);
    return r;
  }

  sdk::HttpResponse Handle(Poco::Net::HTTPServerRequest& request, std::string& path, std::string& owner,
                           std::string& route) {
    IncomingRequest incoming{request.getMethod(), request.getURI(), {}, request.clientAddress().host().toString()};
    for (const auto& header : request) incoming.headers.emplace_back(header.first, header.second);
    std::string raw_path;
    sdk::HttpRequest req = ParseRequestHead(incoming, &raw_path);
    path = req.path;

    Router::Miss miss = Router::Miss::kNotFound;
    std::vector<std::string> allowed;
    auto match = router_.Find(req.method, raw_path, &miss, &allowed);
    if (!match) {
      if (miss == Router::Miss::kMethodNotAllowed) {
        std::sort(allowed.begin(), allowed.end());
        std::string allow;
        for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
        auto r = Error(405, "method_not_allowed",
                       request.getMethod() + " is not allowed on " + path + " (allowed: " + allow + ")");
        r.headers["Allow"] = allow;
        return r;
      }
      return Error(404, "not_found", "no route for " + path);
    }
    owner = match->route.owner;
    route = match->route.pattern;
    req.path_params = std::move(match->params);

    if (!match->route.options.is_public) {
      const auto& auth = request.get("Authorization", "");
      const auto subject = BearerSubject(auth, tokens_, std::chrono::system_clock::now());
      if (!subject) {
        auto r = Error(401, "unauthorized",
                       auth.empty() ? "this route needs a login token: POST /api/auth/login, then send "
                                      "'Authorization: Bearer <token>'"
                                    : "the login token is invalid or expired; log in again");
        r.headers["WWW-Authenticate"] = "Bearer";
        return r;
      }
      req.subject = *subject;
    }

    // Body, bounded: never read more than the limit.
    if (request.hasContentLength() && request.getContentLength64() > static_cast<Poco::Int64>(max_body_)) {
      return Error(413, "payload_too_large", "the request body is larger than " + std::to_string(max_body_) + " bytes");
    }
    auto& in = request.stream();
    char buffer[8192];
    while (in.good()) {
      in.read(buffer, sizeof(buffer));
      req.body.append(buffer, static_cast<std::size_t>(in.gcount()));
      if (req.body.size() > max_body_) {
        return Error(413, "payload_too_large",
                     "the request body is larger than " + std::to_string(max_body_) + " bytes");
      }
    }
    if (!AcceptsBody(req.method, request.getContentType(), req.body.empty())) {
      return Error(415, "unsupported_media_type", "send the body as application/json");
    }
    return match->route.handler(req);
  }

  Router& router_;
  const TokenIssuer& tokens_;
  LogSink& log_;
  std::size_t max_body_;
  MetricsRegistry* metrics_;
};

}  // namespace

class HttpServer::Factory final : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(HttpServer& server) : server_(server) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new RequestHandler(server_.router_, server_.tokens_, server_.log_, server_.options_.max_body_bytes,
                              server_.options_.metrics);
  }

 private:
  HttpServer& server_;
};

HttpServer::HttpServer(const HttpServerOptions& options, Router& router, const TokenIssuer& tokens, LogSink& log)
    : options_(options), router_(router), tokens_(tokens), log_(log) {
  if (options_.metrics) {
    options_.metrics->Describe("tessie_http_requests_total", MetricType::kCounter,
                               "HTTP requests by method, route pattern and status.");
    options_.metrics->Describe("tessie_http_request_duration_seconds", MetricType::kHistogram,
                               "HTTP request handling time by route pattern, in seconds.");
  }
}

HttpServer::~HttpServer() { Stop(); }

void HttpServer::Start() {
  Poco::Net::SocketAddress address(options_.host, static_cast<Poco::UInt16>(options_.port));
  Poco::Net::ServerSocket socket(address, 64);
  port_ = socket.address().port();
  auto params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(options_.threads);
  params->setMaxQueued(256);
  params->setKeepAlive(true);
  params->setTimeout(Poco::Timespan(30, 0));
  server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket, params);
  server_->start();
}

void HttpServer::Stop() {
  if (server_) {
    server_->stopAll(false);  // close the listener; let in-flight requests finish
    server_.reset();
  }
}

}  // namespace tessie::core
