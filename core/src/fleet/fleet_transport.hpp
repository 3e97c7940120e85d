#pragma once
#include <Poco/Net/HTTPClientSession.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace tessie::core::fleet {

// One HTTP exchange as the Fleet client sees it.
struct HttpExchange {
  std::string method;
  std::string url;           // absolute: http(s)://host[:port]/path?query
  std::string bearer_token;  // "" = no Authorization header
  std::string content_type;  // sent with a body, and with every POST
  std::string body;
};

struct HttpAnswer {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // lower-case names
};

// Sends one request and returns the answer; throws Poco::Exception (Poco::TimeoutException for a timeout)
// when none came. An interface so that the token keeper and the client can be tested without a server.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual HttpAnswer Send(const HttpExchange& request) = 0;
};

// The Fleet API's transport: keeps HTTP(S) connections open per host and reuses them (keep-alive), so a sync
// pays no TCP and TLS handshake per request. A connection the server closed while it sat idle is not reused; when
// the close crosses a request (nothing at all came back, so the server cannot have handled it), the request is
// sent once more on a new connection.
// TLS uses the one client context of the process. Thread-safe: each request has a connection to itself;
// concurrent requests to one host open more, and up to kMaxIdlePerHost are kept for reuse.
class PooledHttpTransport final : public HttpTransport {
 public:
  // `timeout` bounds connecting, each send and each receive (tesla.request_timeout).
  explicit PooledHttpTransport(std::chrono::milliseconds timeout);
  HttpAnswer Send(const HttpExchange& request) override;

  static constexpr std::size_t kMaxIdlePerHost = 4;

 private:
  using Session = std::unique_ptr<Poco::Net::HTTPClientSession>;
  // An idle connection to `origin` ("scheme://host:port") that is still open, or null (the caller connects).
  Session Acquire(const std::string& origin, bool& reused);
  Session Connect(const std::string& scheme, const std::string& host, unsigned short port) const;
  void Release(const std::string& origin, Session session);
  HttpAnswer Exchange(Poco::Net::HTTPClientSession& session, const HttpExchange& request,
                      const std::string& path_and_query) const;

  const std::chrono::milliseconds timeout_;
  std::mutex mutex_;  // guards idle_
  std::map<std::string, std::vector<Session>> idle_;
};

}  // namespace tessie::core::fleet
