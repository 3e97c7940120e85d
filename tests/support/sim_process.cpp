#include "sim_process.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <signal.h>
#include <sys/wait.h>

#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace tessie::testing {

std::filesystem::path SimBinary() { return TESSIE_BIN_DIR "/tessie-fleet-sim"; }
std::filesystem::path SimScenario(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;  // a scenario file of the test's own
  return TESSIE_SOURCE_DIR "/sim/scenarios/" + name + ".yaml";
}

HttpResult HttpCall(int port, const std::string& method, const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers) {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  for (const auto& [k, v] : headers) request.set(k, v);
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  auto& in = session.receiveResponse(response);
  HttpResult result;
  result.status = response.getStatus();
  Poco::StreamCopier::copyToString(in, result.body);
  for (const auto& [k, v] : response) result.headers[k] = v;
  return result;
}

SimProcess::SimProcess(std::filesystem::path dir, std::string scenario, double speed)
    : dir_(std::move(dir)), scenario_(std::move(scenario)), speed_(speed) {}

SimProcess::~SimProcess() {
  if (handle_) {
    ::kill(handle_->id(), SIGTERM);
    int status = 0;
    ::waitpid(handle_->id(), &status, 0);
  }
}

std::string SimProcess::Log() const {
  std::ifstream in(dir_ / "sim.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool SimProcess::Start() {
  std::ostringstream speed;
  speed << speed_;
  const std::string command = "exec '" + SimBinary().string() + "' --listen 127.0.0.1:0 --scenario '" +
                              SimScenario(scenario_).string() + "' --speed " + speed.str() + " > '" +
                              (dir_ / "sim.log").string() + "' 2>&1";
  handle_.emplace(Poco::Process::launch("/bin/sh", {"-c", command}));
  const std::regex listening("listening on http://127.0.0.1:([0-9]+)");
  return Eventually([&] {
    std::smatch m;
    const auto log = Log();
    if (!std::regex_search(log, m, listening)) return false;
    port_ = std::stoi(m[1]);
    return true;
  });
}

std::string SimProcess::NewRefreshToken() { return Post("/sim/tokens").Json()->getValue<std::string>("refresh_token"); }

void SimProcess::Advance(int seconds) { Post("/sim/clock", "{\"advance_s\": " + std::to_string(seconds) + "}"); }

void SimProcess::Fault(const std::string& json) {
  const auto r = Post("/sim/faults", json);
  if (r.status >= 300) throw std::runtime_error("fault rejected: " + r.body);
}

int SimProcess::CountRequests(const std::string& fragment) {
  const auto list = Get("/sim/requests?limit=20000").Json()->getArray("requests");
  int n = 0;
  for (std::size_t i = 0; i < list->size(); ++i) {
    if (list->getObject(static_cast<unsigned>(i))->getValue<std::string>("path").find(fragment) != std::string::npos)
      ++n;
  }
  return n;
}

}  // namespace tessie::testing
