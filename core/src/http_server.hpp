#pragma once
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "auth.hpp"
#include "logger.hpp"
#include "metrics.hpp"
#include "router.hpp"

namespace tessie::core {

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port; see Port()
  std::size_t max_body_bytes = 1 << 20;
  int threads = 8;  // threads running the I/O loop and, on it, the handlers
  // Open connections at most, in all and per client address (an IPv6 client counts per /64). A connection
  // over either limit gets a 503 and is closed (nginx's limit_conn answers the same way).
  std::size_t max_connections = 1024;
  std::size_t max_connections_per_client = 64;
  // Deadlines (docs/operations.md, "The HTTP front"): the whole request head, from the connection's start or
  // from its first byte on a kept-alive connection; an idle kept-alive connection; the body; the response.
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds keepalive_timeout{15'000};
  std::chrono::milliseconds body_timeout{30'000};
  std::chrono::milliseconds send_timeout{60'000};
  std::size_t max_header_bytes = 16 * 1024;
  MetricsRegistry* metrics = nullptr;  // counts requests per route pattern and status (tessie_http_*)
};

// The HTTP/1.1 front: strict request framing (RFC 9112: a request whose length is ambiguous is a 400 and the
// connection is closed), deadlines and connection limits, body limit, routing, Bearer auth for non-public
// routes, JSON errors, security headers, access log.
//
// Threads: `threads` threads run one Asio I/O loop that reads and writes every socket asynchronously, so a slow
// or idle client holds no thread; a complete request's handler runs on the thread that read it (no hand-over),
// each connection on its own strand. A handler may block (storage, Fleet API): the other threads go on serving.
// Start and Stop are called from one thread.
class HttpServer {
 public:
  HttpServer(const HttpServerOptions& options, Router& router, const TokenIssuer& tokens, LogSink& log);
  ~HttpServer();
  // Binds and listens (throws std::runtime_error naming the address when it cannot), then serves.
  void Start();
  // Stops accepting, closes idle connections, lets in-flight requests finish (a few seconds at most), and
  // returns when no handler runs any more.
  void Stop();
  int Port() const { return port_; }
  // While starting, only routes marked Route::while_starting answer; every other request (plugin routes not
  // registered yet included) gets 503 with Retry-After: 1 and a JSON error, so that no client sees a 404 or a
  // half-configured plugin. The host sets it before Start and clears it once every plugin has started.
  // Thread-safe.
  void SetStarting(bool starting) { starting_ = starting; }

  class Impl;  // the Asio/Beast part, in http_server.cpp

 private:
  HttpServerOptions options_;
  Router& router_;
  const TokenIssuer& tokens_;
  LogSink& log_;
  std::unique_ptr<Impl> impl_;
  int port_ = 0;
  std::atomic<bool> starting_{false};
};

// Builds the JSON error body {"error": code, "message": message}.
std::string ErrorBody(const std::string& code, const std::string& message);

}  // namespace tessie::core
