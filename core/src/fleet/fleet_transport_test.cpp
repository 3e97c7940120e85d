#include "fleet/fleet_transport.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <future>
#include <memory>
#include <thread>

namespace tessie::core::fleet {
namespace {

// A real HTTP server on a private port that echoes what it got, keeps connections alive unless told not to,
// and can hold an answer back until released.
class EchoServer {
 public:
  explicit EchoServer(bool keep_alive = true, Poco::Timespan keep_alive_timeout = Poco::Timespan(10, 0))
      : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
    auto* params = new Poco::Net::HTTPServerParams;
    params->setKeepAlive(keep_alive);
    params->setKeepAliveTimeout(keep_alive_timeout);
    params->setMaxThreads(4);
    server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), socket_, params);
    server_->start();
  }
  ~EchoServer() { server_->stopAll(true); }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(socket_.address().port()) + path;
  }
  int Connections() const { return server_->totalConnections(); }
  int OpenConnections() const { return server_->currentConnections(); }
  // The next /slow request waits for this.
  std::promise<void> release;

 private:
  class Handler final : public Poco::Net::HTTPRequestHandler {
   public:
    explicit Handler(EchoServer& server) : server_(server) {}
    void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
      std::string body;
      Poco::StreamCopier::copyToString(request.stream(), body);
      if (request.getURI() == "/slow") server_.release.get_future().wait();
      response.setStatus(request.getURI() == "/missing" ? Poco::Net::HTTPResponse::HTTP_NOT_FOUND
                                                        : Poco::Net::HTTPResponse::HTTP_OK);
      response.set("RateLimit-Remaining", "7");
      const std::string echo = request.getMethod() + " " + request.getURI() +
                               " auth=" + request.get("Authorization", "-") + " type=" + request.getContentType() +
                               " body=" + body;
      response.setContentLength(static_cast<std::streamsize>(echo.size()));
      response.send() << echo;
    }

   private:
    EchoServer& server_;
  };
  class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
   public:
    explicit Factory(EchoServer& server) : server_(server) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
      return new Handler(server_);
    }

   private:
    EchoServer& server_;
  };

  Poco::Net::ServerSocket socket_;
  std::unique_ptr<Poco::Net::HTTPServer> server_;
};

TEST(PooledHttpTransport, SendsTheRequestAndReturnsStatusBodyAndLowerCaseHeaders) {
  EchoServer server;
  PooledHttpTransport transport(std::chrono::seconds(10));
  const auto get = transport.Send({"GET", server.Url("/api/1/products?x=1"), "tok", "application/json", ""});
  EXPECT_EQ(get.status, 200);
  EXPECT_EQ(get.body, "GET /api/1/products?x=1 auth=Bearer tok type= body=");
  EXPECT_EQ(get.headers.at("ratelimit-remaining"), "7");
  const auto post =
      transport.Send({"POST", server.Url("/oauth2/v3/token"), "", "application/x-www-form-urlencoded", "a=b"});
  EXPECT_EQ(post.body, "POST /oauth2/v3/token auth=- type=application/x-www-form-urlencoded body=a=b");
  EXPECT_EQ(transport.Send({"GET", server.Url("/missing"), "", "", ""}).status, 404);
}

TEST(PooledHttpTransport, SequentialRequestsToOneHostShareOneConnection) {
  EchoServer server;
  PooledHttpTransport transport(std::chrono::seconds(10));
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(transport.Send({"GET", server.Url("/api/1/vehicles/" + std::to_string(i)), "t", "", ""}).status, 200);
  }
  EXPECT_EQ(server.Connections(), 1);
}

TEST(PooledHttpTransport, AServerThatClosesEveryConnectionStillGetsEveryRequest) {
  EchoServer server(/*keep_alive=*/false);
  PooledHttpTransport transport(std::chrono::seconds(10));
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(transport.Send({"POST", server.Url("/api/1/vehicles/1/wake_up"), "t", "application/json", ""}).body,
              "POST /api/1/vehicles/1/wake_up auth=Bearer t type=application/json body=");
  }
  EXPECT_EQ(server.Connections(), 5);
}

TEST(PooledHttpTransport, AConnectionTheServerClosedWhileIdleIsReplacedWithoutLosingTheRequest) {
  EchoServer server(true, Poco::Timespan(0, 50'000));  // the server drops idle connections after 50 ms
  PooledHttpTransport transport(std::chrono::seconds(10));
  EXPECT_EQ(transport.Send({"GET", server.Url("/api/1/products"), "t", "", ""}).status, 200);
  while (server.OpenConnections() > 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  // The kept connection is dead now; the request goes out once more on a new one.
  const auto answer = transport.Send({"POST", server.Url("/api/1/vehicles/1/wake_up"), "t", "application/json", ""});
  EXPECT_EQ(answer.status, 200);
  EXPECT_EQ(answer.body, "POST /api/1/vehicles/1/wake_up auth=Bearer t type=application/json body=");
  EXPECT_EQ(server.Connections(), 2);
}

TEST(PooledHttpTransport, AnUnreachableHostFails) {
  std::string url;
  {
    EchoServer gone;
    url = gone.Url("/api/1/products");
  }
  PooledHttpTransport transport(std::chrono::seconds(10));
  EXPECT_THROW(transport.Send({"GET", url, "t", "", ""}), Poco::Exception);
}

TEST(PooledHttpTransport, NoAnswerWithinTheTimeoutIsATimeout) {
  EchoServer server;
  PooledHttpTransport transport(std::chrono::milliseconds(200));
  EXPECT_THROW(transport.Send({"GET", server.Url("/slow"), "", "", ""}), Poco::TimeoutException);
  server.release.set_value();
}

}  // namespace
}  // namespace tessie::core::fleet
