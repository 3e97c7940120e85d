#include "fleet/fleet_transport.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cctype>
#include <utility>

namespace tessie::core::fleet {

namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// The one TLS client context of the process, made on first use (a host talking only to the simulator never
// loads TLS) and shared by every connection: Poco's Context is reference-counted and read-only once made.
Poco::Net::Context::Ptr TlsContext() {
  static std::once_flag once;
  static Poco::Net::Context::Ptr context;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    context =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
  });
  return context;
}

// What a kept-alive connection the server has meanwhile closed looks like: nothing at all came back. The
// request cannot have been handled, so it is safe to send it again on a new connection (even a POST).
bool ClosedWhileIdle(const Poco::Exception& e) {
  return dynamic_cast<const Poco::Net::NoMessageException*>(&e) ||
         dynamic_cast<const Poco::Net::ConnectionResetException*>(&e) ||
         dynamic_cast<const Poco::Net::ConnectionAbortedException*>(&e) ||
         dynamic_cast<const Poco::Net::SSLConnectionUnexpectedlyClosedException*>(&e);
}

// A kept connection the server has closed since reads as ready (end of stream or a reset) although no answer is
// due. Checked before reuse, so that a request goes out on a dead connection only when the close crosses it.
bool Dropped(Poco::Net::HTTPClientSession& session) {
  try {
    return !session.connected() || session.socket().poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ);
  } catch (const Poco::Exception&) {
    return true;
  }
}

}  // namespace

PooledHttpTransport::PooledHttpTransport(std::chrono::milliseconds timeout) : timeout_(timeout) {}

PooledHttpTransport::Session PooledHttpTransport::Connect(const std::string& scheme, const std::string& host,
                                                          unsigned short port) const {
  Session session;
  if (scheme == "https") {
    session = std::make_unique<Poco::Net::HTTPSClientSession>(host, port, TlsContext());
  } else {
    session = std::make_unique<Poco::Net::HTTPClientSession>(host, port);
  }
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(timeout_).count();
  session->setTimeout(Poco::Timespan(micros));
  session->setKeepAlive(true);
  return session;
}

PooledHttpTransport::Session PooledHttpTransport::Acquire(const std::string& origin, bool& reused) {
  Session session;
  {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(origin);
    if (it == idle_.end() || it->second.empty()) {
      reused = false;
      return nullptr;
    }
    session = std::move(it->second.back());
    it->second.pop_back();
  }
  if (Dropped(*session)) {  // closed by the server while idle: open a new one (the others are checked in turn)
    reused = false;
    return nullptr;
  }
  reused = true;
  return session;
}

void PooledHttpTransport::Release(const std::string& origin, Session session) {
  std::lock_guard lock(mutex_);
  auto& idle = idle_[origin];
  if (idle.size() < kMaxIdlePerHost) idle.push_back(std::move(session));
}

HttpAnswer PooledHttpTransport::Exchange(Poco::Net::HTTPClientSession& session, const HttpExchange& request,
                                         const std::string& path_and_query) const {
  Poco::Net::HTTPRequest out(request.method, path_and_query, Poco::Net::HTTPMessage::HTTP_1_1);
  out.set("User-Agent", "tessie-stats");
  out.set("Accept", "application/json");
  if (!request.bearer_token.empty()) out.set("Authorization", "Bearer " + request.bearer_token);
  if (!request.body.empty() || request.method == "POST") {
    out.setContentType(request.content_type);
    out.setContentLength(static_cast<std::streamsize>(request.body.size()));
  }
  session.sendRequest(out) << request.body;
  Poco::Net::HTTPResponse response;
  auto& in = session.receiveResponse(response);
  HttpAnswer answer;
  answer.status = response.getStatus();
  // Read to the end: the connection is reusable only once the whole body is consumed.
  Poco::StreamCopier::copyToString(in, answer.body);
  for (const auto& [k, v] : response) answer.headers[Lower(k)] = v;
  return answer;
}

HttpAnswer PooledHttpTransport::Send(const HttpExchange& request) {
  const Poco::URI uri(request.url);
  const std::string origin = uri.getScheme() + "://" + uri.getHost() + ":" + std::to_string(uri.getPort());
  const std::string path = uri.getPathAndQuery();
  bool reused = false;
  Session session = Acquire(origin, reused);
  if (!session) session = Connect(uri.getScheme(), uri.getHost(), uri.getPort());
  try {
    auto answer = Exchange(*session, request, path);
    Release(origin, std::move(session));
    return answer;
  } catch (const Poco::Exception& e) {
    if (!reused || !ClosedWhileIdle(e)) throw;  // the session is dropped: its state is unknown
  }
  // The kept-alive connection had gone stale: once more on a new one, whose failure is the caller's.
  session = Connect(uri.getScheme(), uri.getHost(), uri.getPort());
  auto answer = Exchange(*session, request, path);
  Release(origin, std::move(session));
  return answer;
}

}  // namespace tessie::core::fleet
