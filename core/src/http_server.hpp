#pragma once
#include <Poco/Net/HTTPServer.h>

#include <atomic>
#include <memory>
#include <string>

#include "auth.hpp"
#include "logger.hpp"
#include "metrics.hpp"
#include "router.hpp"

namespace tessie::core {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port; see Port()
  std::size_t max_body_bytes = 1 << 20;
  int threads = 8;
  MetricsRegistry* metrics = nullptr;  // counts requests per route pattern and status (tessie_http_*)
};

// Poco::Net HTTP front: body limit, routing, Bearer auth for non-public routes, JSON errors, access log.
// Handlers run on Poco's worker threads.
class HttpServer {
 public:
  HttpServer(const HttpServerOptions& options, Router& router, const TokenIssuer& tokens, LogSink& log);
  ~HttpServer();
  void Start();
  // Stops accepting; waits for in-flight requests to complete.
  void Stop();
  int Port() const { return port_; }

 private:
  class Factory;
  HttpServerOptions options_;
  Router& router_;
  const TokenIssuer& tokens_;
  LogSink& log_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
  int port_ = 0;
};

// Builds the JSON error body {"error": code, "message": message}.
std::string ErrorBody(const std::string& code, const std::string& message);

}  // namespace tessie::core
