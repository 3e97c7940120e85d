#include "http_server.hpp"

#include <Poco/JSON/Object.h>
#include <tessie/sdk/detail/json_write.hpp>

#include <algorithm>
#include <array>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <thread>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <chrono>
#include <optional>
#include <set>
#include <sstream>
#include <stdexcept>
#include <utility>
#include <vector>

#include "http_request.hpp"
#include "storage.hpp"

namespace tessie::core {

namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

std::string ErrorBody(const std::string& code, const std::string& message) {
  std::string out = "{\"error\":";
  sdk::detail::AppendJsonString(code, out);
  out += ",\"message\":";
  sdk::detail::AppendJsonString(message, out);
  out += '}';
  return out;
}

namespace {

using Clock = std::chrono::steady_clock;
using Response = http::response<http::string_body>;

// An answer on its way out: kept alive by the write's completion handler.
struct Answer {
  std::string head;
  std::string body;
};

sdk::HttpResponse Error(int status, const std::string& code, const std::string& message) {
  sdk::HttpResponse r;
  r.status = status;
  r.body = ErrorBody(code, message);
  return r;
}

bool IEquals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view View(beast::string_view s) { return {s.data(), s.size()}; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

// Owns the server's threads, the listener and the connection counts.
class HttpServer::Impl {
 public:
  Impl(const HttpServerOptions& options, Router& router, const TokenIssuer& tokens, LogSink& log,
       const std::atomic<bool>& starting)
      : options_(options), router_(router), tokens_(tokens), log_(log), starting_(starting) {}

  int Start() {
    boost::system::error_code ec;
    const std::string where = options_.host + ":" + std::to_string(options_.port);
    tcp::resolver resolver(io_);
    const auto found = resolver.resolve(options_.host, std::to_string(options_.port),
                                        tcp::resolver::passive | tcp::resolver::numeric_service, ec);
    if (ec || found.empty()) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    const tcp::endpoint endpoint = found.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    const int port = acceptor_.local_endpoint().port();
    Accept();
    for (int i = 0; i < std::max(1, options_.threads); ++i) threads_.emplace_back([this] { io_.run(); });
    return port;
  }

  void Stop() {
    if (threads_.empty()) return;
    stopping_ = true;
    // Stop accepting and close connections that wait for a request; those with a request in a handler
    // answer it (with Connection: close) and then close.
    net::post(acceptor_.get_executor(), [this] {
      boost::system::error_code ignored;
      acceptor_.close(ignored);
      accept_retry_.cancel();
      // Called without the lock: a closure may drop the last reference to its session, whose destructor locks it.
      std::vector<std::function<void()>> closers;
      {
        std::lock_guard lock(mutex_);
        for (auto& [session, close] : idle_) closers.push_back(close);
      }
      for (auto& close : closers) close();
    });
    {
      std::unique_lock lock(mutex_);
      drained_.wait_for(lock, std::chrono::seconds(10), [this] { return in_handler_ == 0 && connections_ == 0; });
    }
    work_.reset();
    io_.stop();
    for (auto& t : threads_) t.join();  // no handler runs after this
    threads_.clear();
  }

  ~Impl() {
    if (!threads_.empty()) Stop();
  }

  // --- used by Session ---------------------------------------------------------------------------------
  const HttpServerOptions& Options() const { return options_; }
  bool Stopping() const { return stopping_; }
  LogSink& Log() { return log_; }

  // Counts a new connection; false when it is over a limit.
  bool Admit(const std::string& key) {
    std::lock_guard lock(mutex_);
    auto& n = per_client_[key];
    if (connections_ >= options_.max_connections || n >= options_.max_connections_per_client) {
      if (n == 0) per_client_.erase(key);
      return false;
    }
    ++n;
    ++connections_;
    return true;
  }
  // A connection that ends: `counted_for_client` is false when ReleaseClient already gave its client's slot back.
  void Leave(const std::string& key, bool counted_for_client) {
    std::lock_guard lock(mutex_);
    if (counted_for_client) ReleaseClientLocked(key);
    --connections_;
    drained_.notify_all();
  }
  // A connection that only lingers after its last answer no longer counts against its client (nginx's
  // limit_conn counts connections with a request in progress): a client that opens a connection per request
  // must not lock itself out while its closed ones drain.
  void ReleaseClient(const std::string& key) {
    std::lock_guard lock(mutex_);
    ReleaseClientLocked(key);
  }
  // Each session registers how to close it (when it is not busy with a request), so that Stop can.
  void SetIdle(const void* session, std::function<void()> close) {
    std::lock_guard lock(mutex_);
    if (close) {
      idle_[session] = std::move(close);
    } else {
      idle_.erase(session);
    }
  }

  // Counts a request in a handler, so that Stop can wait for it.
  void HandlerBegins() {
    std::lock_guard lock(mutex_);
    ++in_handler_;
  }
  void HandlerEnds() {
    std::lock_guard lock(mutex_);
    --in_handler_;
    drained_.notify_all();
  }

  sdk::HttpResponse Handle(const http::request<http::string_body>& request, const std::string& client,
                           std::string& path, std::string& owner, std::string& route);
  void Observe(const std::string& method, const std::string& route, int status, double ms);

 private:
  void Accept();
  void ReleaseClientLocked(const std::string& key) {
    if (auto it = per_client_.find(key); it != per_client_.end() && --it->second == 0) per_client_.erase(it);
  }

  HttpServerOptions options_;
  Router& router_;
  const TokenIssuer& tokens_;
  LogSink& log_;
  const std::atomic<bool>& starting_;  // HttpServer's, which outlives this
  // Declared before the I/O objects: sessions still queued in io_ reach these when io_ is destroyed.
  std::mutex mutex_;
  std::condition_variable drained_;
  std::size_t connections_ = 0;
  std::size_t in_handler_ = 0;
  std::map<std::string, std::size_t> per_client_;
  std::map<const void*, std::function<void()>> idle_;
  Clock::time_point last_refusal_log_{};
  std::atomic<bool> stopping_{false};

  net::io_context io_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_{io_.get_executor()};
  tcp::acceptor acceptor_{net::make_strand(io_)};
  net::steady_timer accept_retry_{io_};
  std::vector<std::thread> threads_;
};

namespace {

// One connection: reads a request (head under a deadline, then the body), hands it to a handler thread,
// writes the answer, and either waits for the next request or closes. All its members are touched on its
// strand only.
class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, HttpServer::Impl& server, std::string client, std::string key)
      : stream_(std::move(socket)), server_(server), client_(std::move(client)), key_(std::move(key)) {}

  ~Session() {
    server_.SetIdle(this, nullptr);
    server_.Leave(key_, !client_released_);
  }

  void Start() {
    boost::system::error_code ignored;
    stream_.socket().set_option(tcp::no_delay(true), ignored);
    std::weak_ptr<Session> weak = weak_from_this();
    server_.SetIdle(this, [weak] {
      if (auto self = weak.lock()) {
        net::dispatch(self->stream_.get_executor(), [self] {
          if (!self->busy_) self->Close();
        });
      }
    });
    ReadHead();
  }

  // Over a connection limit: a 503 and close (the connection was never counted).
  static void Refuse(tcp::socket socket) {
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    auto res = std::make_shared<Response>(http::status::service_unavailable, 11);
    res->set(http::field::content_type, "application/json");
    res->set(http::field::retry_after, "5");
    res->set(http::field::cache_control, "no-store");
    res->body() = ErrorBody("too_many_connections", "too many open connections from this address; try again later");
    res->keep_alive(false);
    res->prepare_payload();
    stream->expires_after(std::chrono::seconds(2));
    http::async_write(*stream, *res, [stream, res](boost::system::error_code, std::size_t) {
      boost::system::error_code ignored;
      stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    });
  }

 private:
  // Waits for the first byte of the next request on a kept-alive connection, then reads its head.
  void WaitForRequest() {
    if (server_.Stopping()) return Close();
    if (buffer_.size() > 0) return ReadHead();  // pipelined: the next request is already here
    stream_.expires_after(server_.Options().keepalive_timeout);
    stream_.async_read_some(buffer_.prepare(4096),
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                              if (ec || n == 0) return self->Close();
                              self->buffer_.commit(n);
                              self->ReadHead();
                            });
  }

  void ReadHead() {
    if (server_.Stopping()) return Close();
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.Options().max_header_bytes));
    parser_->body_limit(server_.Options().max_body_bytes);
    stream_.expires_after(server_.Options().header_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              self->OnHead(ec);
                            });
  }

  void OnHead(boost::system::error_code ec) {
    if (ec) return OnReadError(ec);
    const auto& req = parser_->get();
    // Framing the parser leaves to us (RFC 9112 §3.2, §6.1, §6.3).
    if (req.count(http::field::host) > 1 || (req.version() >= 11 && req.count(http::field::host) == 0)) {
      return Reject(400, "bad_request", "a request needs exactly one Host header (RFC 9112)");
    }
    if (auto te = req.find(http::field::transfer_encoding); te != req.end()) {
      if (req.version() < 11) return Reject(400, "bad_request", "Transfer-Encoding is not allowed in HTTP/1.0");
      if (req.count(http::field::transfer_encoding) > 1 || !IEquals(Trim(View(te->value())), "chunked")) {
        return Reject(501, "not_implemented", "the only transfer coding accepted is chunked");
      }
    }
    if (auto expect = req.find(http::field::expect); expect != req.end()) {
      if (!IEquals(Trim(View(expect->value())), "100-continue")) {
        return Reject(417, "expectation_failed", "only 'Expect: 100-continue' is understood");
      }
      if (!parser_->is_done()) {
        static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
        stream_.expires_after(server_.Options().send_timeout);
        return net::async_write(stream_, net::buffer(kContinue),
                                [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                                  if (ec) return self->Close();
                                  self->ReadBody();
                                });
      }
    }
    ReadBody();
  }

  void ReadBody() {
    if (parser_->is_done()) return Dispatch();
    stream_.expires_after(server_.Options().body_timeout);
    http::async_read(stream_, buffer_, *parser_, [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
      if (ec) return self->OnReadError(ec);
      self->Dispatch();
    });
  }

  void OnReadError(boost::system::error_code ec) {
    if (ec == http::error::end_of_stream || ec == net::error::eof || ec == beast::error::timeout ||
        ec == net::error::connection_reset || ec == net::error::operation_aborted) {
      return Close();  // the client left or was too slow: nothing to answer (nginx closes as well)
    }
    if (ec == http::error::header_limit) {
      return Reject(431, "headers_too_large",
                    "the request head is larger than " + std::to_string(server_.Options().max_header_bytes) +
                        " bytes");
    }
    if (ec == http::error::body_limit) {
      return Reject(413, "payload_too_large",
                    "the request body is larger than " + std::to_string(server_.Options().max_body_bytes) + " bytes");
    }
    // Anything else is a malformed or ambiguous request: two different Content-Lengths, Content-Length
    // together with Transfer-Encoding, a bad chunk size. Answering it and reading on would let a second
    // request hide in the body (request smuggling): 400, then close.
    Reject(400, "bad_request", "malformed HTTP request (" + ec.message() + ")");
  }

  // An answer to a request that cannot be read on: sent with Connection: close, then the connection ends.
  void Reject(int status, const std::string& code, const std::string& message) {
    server_.Log().Write(sdk::LogLevel::kInfo, "access", client_ + " " + std::to_string(status) + " " + message);
    server_.Observe("other", "(unparsed)", status, 0);
    sdk::HttpResponse out = Error(status, code, message);
    keep_alive_ = false;
    Write(std::move(out), false);
  }

  // Runs the handler here, on this I/O thread: every thread of the server runs the I/O loop, so while a handler
  // blocks (storage, the Fleet API) the other threads go on reading and writing every other connection, and a
  // request costs no hand-over between threads.
  void Dispatch() {
    busy_ = true;
    started_ = Clock::now();
    stream_.expires_never();  // the handler may take its time; the client waits
    const auto request = parser_->release();
    keep_alive_ = request.keep_alive();
    const std::string method(request.method_string());
    std::string path, owner, route = "(unmatched)";
    server_.HandlerBegins();
    sdk::HttpResponse response = server_.Handle(request, client_, path, owner, route);
    server_.HandlerEnds();
    const auto ms = std::chrono::duration<double, std::milli>(Clock::now() - started_).count();
    server_.Observe(method, route, response.status, ms);
    const auto level = path == "/api/health" ? sdk::LogLevel::kDebug : sdk::LogLevel::kInfo;
    if (server_.Log().Enabled(level)) {
      std::ostringstream line;
      line.precision(3);
      line << client_ << " " << method << " " << path << " " << response.status << " " << response.body.size()
           << "B " << std::fixed << ms << "ms";
      server_.Log().Write(level, "access", line.str());
    }
    Write(std::move(response), request.method() == http::verb::head);
  }

  // Writes the answer's head by hand (one string, no per-field allocations) and the body as a second buffer.
  void Write(sdk::HttpResponse out, bool head) {
    if (server_.Stopping()) keep_alive_ = false;
    const bool no_body = head || out.status == 204 || out.status == 304;
    auto answer = std::make_shared<Answer>();
    std::string& h = answer->head;
    h.reserve(256);
    h += "HTTP/1.1 ";
    h += std::to_string(out.status);
    h += ' ';
    h += View(http::obsolete_reason(static_cast<http::status>(out.status)));
    h += "\r\nServer: tessie-stats\r\n";
    // API answers are never cached and never sniffed; a handler may say otherwise (the dashboard's hashed assets).
    bool own_cache_control = false;
    for (const auto& field : out.headers) own_cache_control = own_cache_control || IEquals(field.first, "Cache-Control");
    if (!own_cache_control) h += "Cache-Control: no-store\r\n";
    h += "X-Content-Type-Options: nosniff\r\n";
    for (const auto& [name, value] : out.headers) {
      // Framing is the server's; the content type is the response's own field.
      if (IEquals(name, "Content-Length") || IEquals(name, "Connection") || IEquals(name, "Transfer-Encoding") ||
          IEquals(name, "X-Content-Type-Options") || (IEquals(name, "Content-Type") && !out.content_type.empty())) {
        continue;
      }
      AppendField(h, name, value);
    }
    if (!out.content_type.empty()) AppendField(h, "Content-Type", out.content_type);
    if (!keep_alive_) h += "Connection: close\r\n";
    if (out.status != 204 && out.status != 304) {
      h += "Content-Length: ";
      h += std::to_string(out.body.size());
      h += "\r\n";
    }
    h += "\r\n";
    if (!no_body) answer->body = std::move(out.body);
    std::array<net::const_buffer, 2> buffers{net::buffer(answer->head), net::buffer(answer->body)};
    stream_.expires_after(server_.Options().send_timeout);
    net::async_write(stream_, buffers,
                     [self = shared_from_this(), answer](boost::system::error_code ec, std::size_t) {
                       self->busy_ = false;
                       if (ec) return self->Close();
                       if (!self->keep_alive_) return self->LingeringClose();
                       self->WaitForRequest();
                     });
  }

  // One header line; CR and LF in a handler's value (a file name, say) cannot end the line early.
  static void AppendField(std::string& h, std::string_view name, std::string_view value) {
    h += name;
    h += ": ";
    for (char c : value) h += (c == '\r' || c == '\n') ? ' ' : c;
    h += "\r\n";
  }

  // After a last answer: stop sending, then read and discard what the client still sends for a short while,
  // so that closing with unread data does not reset the connection before the client has read the answer
  // (nginx's lingering close).
  void LingeringClose() {
    if (!std::exchange(client_released_, true)) server_.ReleaseClient(key_);
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    linger_until_ = Clock::now() + std::chrono::seconds(2);
    Drain();
  }
  void Drain() {
    const auto left = linger_until_ - Clock::now();
    if (left <= Clock::duration::zero()) return Close();
    stream_.expires_after(left);
    buffer_.consume(buffer_.size());
    stream_.async_read_some(buffer_.prepare(16 * 1024),
                            [self = shared_from_this()](boost::system::error_code ec, std::size_t) {
                              if (ec) return self->Close();
                              self->Drain();
                            });
  }

  void Close() {
    boost::system::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  HttpServer::Impl& server_;
  std::string client_;
  std::string key_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  bool keep_alive_ = true;
  bool busy_ = false;  // a request is in a handler or its answer is being written
  bool client_released_ = false;  // lingering: no longer counted against the client (Impl::ReleaseClient)
  Clock::time_point started_{};
  Clock::time_point linger_until_{};
};

}  // namespace

void HttpServer::Impl::Accept() {
  acceptor_.async_accept(net::make_strand(io_), [this](boost::system::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted || !acceptor_.is_open()) return;
    if (!ec) {
      boost::system::error_code addr_ec;
      const auto remote = socket.remote_endpoint(addr_ec);
      const std::string client = addr_ec ? "?" : remote.address().to_string();
      const std::string key = LoginThrottle::ClientKey(client);  // IPv6 per /64, as the throttle
      if (Admit(key)) {
        std::make_shared<Session>(std::move(socket), *this, client, key)->Start();
      } else {
        const auto now = Clock::now();
        bool log = false;
        {
          std::lock_guard lock(mutex_);
          if (now - last_refusal_log_ > std::chrono::seconds(10)) {
            last_refusal_log_ = now;
            log = true;
          }
        }
        if (log) {
          log_.Write(sdk::LogLevel::kWarn, "http",
                     "refusing connections from " + client + ": connection limit reached (server.max_connections " +
                         std::to_string(options_.max_connections) + ", per client " +
                         std::to_string(options_.max_connections_per_client) + ")");
        }
        Session::Refuse(std::move(socket));
      }
    } else {
      // Out of file descriptors and the like: try again shortly instead of spinning.
      log_.Write(sdk::LogLevel::kWarn, "http", "accept failed: " + ec.message());
      accept_retry_.expires_after(std::chrono::milliseconds(100));
      accept_retry_.async_wait(net::bind_executor(acceptor_.get_executor(), [this](boost::system::error_code wait_ec) {
        if (!wait_ec && acceptor_.is_open()) Accept();
      }));
      return;
    }
    Accept();
  });
}

void HttpServer::Impl::Observe(const std::string& method, const std::string& route, int status, double ms) {
  if (!options_.metrics) return;
  const bool known = method == "GET" || method == "HEAD" || method == "POST" || method == "PUT" ||
                     method == "PATCH" || method == "DELETE" || method == "OPTIONS";
  options_.metrics->Add("tessie_http_requests_total",
                        {{"method", known ? method : "other"}, {"route", route}, {"status", std::to_string(status)}});
  options_.metrics->Observe("tessie_http_request_duration_seconds", {{"route", route}}, ms / 1000.0);
}

sdk::HttpResponse HttpServer::Impl::Handle(const http::request<http::string_body>& request, const std::string& client,
                                           std::string& path, std::string& owner, std::string& route) {
  const std::string method(request.method_string());
  try {
    IncomingRequest incoming{method, std::string(request.target()), {}, client};
    std::string content_type, authorization;
    for (const auto& field : request) {
      incoming.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    }
    if (auto it = request.find(http::field::content_type); it != request.end()) content_type = View(it->value());
    if (auto it = request.find(http::field::authorization); it != request.end()) authorization = View(it->value());
    std::string raw_path;
    sdk::HttpRequest req = ParseRequestHead(incoming, &raw_path);
    path = req.path;

    Router::Miss miss = Router::Miss::kNotFound;
    std::vector<std::string> allowed;
    auto match = router_.Find(req.method, raw_path, &miss, &allowed);
    if (starting_ && !(match && match->route.while_starting)) {
      if (match) {  // counted and logged under its route, like any other answer
        owner = match->route.owner;
        route = match->route.pattern;
      }
      auto r = Error(503, "starting", "the host is starting its plugins; try again in a second");
      r.headers["Retry-After"] = "1";
      return r;
    }
    if (!match) {
      if (miss == Router::Miss::kMethodNotAllowed) {
        std::sort(allowed.begin(), allowed.end());
        std::string allow;
        for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
        auto r = Error(405, "method_not_allowed", method + " is not allowed on " + path + " (allowed: " + allow + ")");
        r.headers["Allow"] = allow;
        return r;
      }
      return Error(404, "not_found", "no route for " + path);
    }
    owner = match->route.owner;
    route = match->route.pattern;
    req.path_params = std::move(match->params);

    if (!match->route.options.is_public) {
      const auto subject = BearerSubject(authorization, tokens_, std::chrono::system_clock::now());
      if (!subject) {
        auto r = Error(401, "unauthorized",
                       authorization.empty() ? "this route needs a login token: POST /api/auth/login, then send "
                                               "'Authorization: Bearer <token>'"
                                             : "the login token is invalid or expired; log in again");
        r.headers["WWW-Authenticate"] = "Bearer";
        return r;
      }
      req.subject = *subject;
    }
    req.body = request.body();
    if (!AcceptsBody(req.method, content_type, req.body.empty())) {
      return Error(415, "unsupported_media_type", "send the body as application/json");
    }
    return match->route.handler(req);
  } catch (const sdk::HttpError& e) {
    return Error(e.Status(), e.Code(), e.what());
  } catch (const StorageUnavailable& e) {
    log_.Write(sdk::LogLevel::kWarn, owner, method + " " + path + ": " + e.what());
    auto r = Error(503, "database_unavailable", "the database is unreachable; try again in a minute");
    r.headers["Retry-After"] = "30";
    return r;
  } catch (const std::exception& e) {
    log_.Write(sdk::LogLevel::kError, owner, method + " " + path + " failed: " + e.what());
    return Error(500, "internal_error", "the server failed to handle this request; the host log has details");
  } catch (...) {
    log_.Write(sdk::LogLevel::kError, owner, method + " " + path + " failed with an unknown exception");
    return Error(500, "internal_error", "the server failed to handle this request; the host log has details");
  }
}

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
  impl_ = std::make_unique<Impl>(options_, router_, tokens_, log_, starting_);
  port_ = impl_->Start();
}

void HttpServer::Stop() {
  if (impl_) {
    impl_->Stop();
    impl_.reset();
  }
}

}  // namespace tessie::core
