// tessie-fleet-sim: the Tesla Fleet API simulator as an HTTP server (see README.md).
#include <Poco/Crypto/Crypto.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/NumberParser.h>
#include <Poco/StreamCopier.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>
#include <Poco/Util/HelpFormatter.h>
#include <Poco/Util/Option.h>
#include <Poco/Util/OptionSet.h>
#include <Poco/Util/ServerApplication.h>

#include <chrono>
#include <condition_variable>
#include <iostream>
#include <mutex>

#include "simulator.h"

namespace {

using tessie::sim::HttpRequest;
using tessie::sim::HttpResponse;
using tessie::sim::Simulator;

// Ends a timeout fault's wait early when the simulator shuts down, so every worker is done before main returns
// (a worker still sleeping there used Poco's statics after exit had destroyed them). Thread-safe.
class ShutdownSignal {
 public:
  // Waits `delay` or until Trigger() was called, whichever comes first.
  void SleepFor(std::chrono::milliseconds delay) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, delay, [this] { return stopping_; });
  }
  void Trigger() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
};

// Adapts one Poco request to Simulator::Handle. Runs on the server's worker threads.
class SimRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  SimRequestHandler(Simulator& sim, ShutdownSignal& shutdown) : sim_(sim), shutdown_(shutdown) {}

  void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
    HttpRequest in;
    in.method = request.getMethod();
    const Poco::URI uri(request.getURI());
    in.path = uri.getPath();
    for (const auto& [key, value] : uri.getQueryParameters()) in.query[key] = value;
    in.authorization = request.get("Authorization", "");
    // A body only when the client announced one: a bare POST (curl -X POST) has neither a length nor
    // chunked encoding, and reading to EOF would wait for the keep-alive connection to close.
    if (request.hasContentLength() || request.getChunkedTransferEncoding()) {
      Poco::StreamCopier::copyToString(request.stream(), in.body);
    }

    const HttpResponse out = sim_.Handle(in);
    if (out.delay_ms > 0) shutdown_.SleepFor(std::chrono::milliseconds(out.delay_ms));
    response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(out.status));
    response.setContentType(out.content_type);
    for (const auto& [name, value] : out.headers) response.set(name, value);
    response.setContentLength(static_cast<std::streamsize>(out.body.size()));
    response.send() << out.body;
  }

 private:
  Simulator& sim_;
  ShutdownSignal& shutdown_;
};

class SimRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  SimRequestHandlerFactory(Simulator& sim, ShutdownSignal& shutdown) : sim_(sim), shutdown_(shutdown) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
    return new SimRequestHandler(sim_, shutdown_);
  }

 private:
  Simulator& sim_;
  ShutdownSignal& shutdown_;
};

class FleetSimApp : public Poco::Util::ServerApplication {
 protected:
  void defineOptions(Poco::Util::OptionSet& options) override {
    ServerApplication::defineOptions(options);
    options.addOption(Poco::Util::Option("listen", "", "HOST:PORT to listen on (port 0 = any free port)")
                          .argument("HOST:PORT")
                          .binding("sim.listen"));
    options.addOption(
        Poco::Util::Option("scenario", "", "scenario YAML file").argument("FILE").binding("sim.scenario"));
    options.addOption(Poco::Util::Option("speed", "", "clock speed: 1 real time, N accelerated, 0 stepped")
                          .argument("N")
                          .binding("sim.speed"));
    options.addOption(Poco::Util::Option("help", "h", "show this help")
                          .callback(Poco::Util::OptionCallback<FleetSimApp>(this, &FleetSimApp::ShowHelp)));
  }

  int main(const std::vector<std::string>&) override {
    // Tokens are signed per request on many threads: keep OpenSSL initialised for the process's life (the
    // host does the same; core/src/main.cpp says why).
    Poco::Crypto::initializeCrypto();
    if (help_) return EXIT_OK;
    const std::string scenario_path = config().getString("sim.scenario", "");
    if (scenario_path.empty()) {
      std::cerr << "tessie-fleet-sim: --scenario FILE.yaml is required (try --help)\n";
      return EXIT_USAGE;
    }
    try {
      const Poco::Net::SocketAddress address(config().getString("sim.listen", "127.0.0.1:0"));
      auto scenario = tessie::sim::LoadScenario(scenario_path);
      const double speed = Poco::NumberParser::parseFloat(config().getString("sim.speed", "1"));
      Poco::Net::ServerSocket socket(address);
      const std::string base_url =
          "http://" + address.host().toString() + ":" + std::to_string(socket.address().port());
      Simulator sim(std::move(scenario), base_url, speed);

      auto* params = new Poco::Net::HTTPServerParams;
      params->setMaxThreads(16);
      params->setMaxQueued(256);
      // The server's own pool, joined below: stopAll() does not wait for requests still being handled, and
      // Poco's default pool is only joined during static destruction, after the statics its workers use.
      ShutdownSignal shutdown;
      Poco::ThreadPool workers(2, 16);
      Poco::Net::HTTPServer server(new SimRequestHandlerFactory(sim, shutdown), workers, socket, params);
      server.start();
      std::cout << "tessie-fleet-sim listening on " << base_url << std::endl;
      waitForTerminationRequest();
      server.stopAll(true);
      shutdown.Trigger();
      workers.joinAll();
      return EXIT_OK;
    } catch (const tessie::sim::ScenarioError& e) {
      std::cerr << "tessie-fleet-sim: " << e.what() << "\n";
      return EXIT_CONFIG;
    } catch (const Poco::Exception& e) {
      std::cerr << "tessie-fleet-sim: " << e.displayText() << "\n";
      return EXIT_SOFTWARE;
    } catch (const std::exception& e) {
      std::cerr << "tessie-fleet-sim: " << e.what() << "\n";
      return EXIT_SOFTWARE;
    }
  }

 private:
  void ShowHelp(const std::string&, const std::string&) {
    Poco::Util::HelpFormatter help(options());
    help.setCommand(commandName());
    help.setUsage("--listen 127.0.0.1:PORT --scenario FILE.yaml [--speed N]");
    help.setHeader("Tesla Fleet API simulator for Tessie Stats tests, benchmarks and demo mode.");
    help.format(std::cout);
    help_ = true;
    stopOptionsProcessing();
  }

  bool help_ = false;
};

}  // namespace

POCO_SERVER_MAIN(FleetSimApp)
