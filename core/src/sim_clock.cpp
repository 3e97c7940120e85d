#include "sim_clock.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cmath>
#include <stdexcept>

namespace tessie::core {

SimulatorClock::SimulatorClock(std::string url, LogSink& log) : log_(log) {
  Poco::URI uri(url);
  host_ = uri.getHost();
  port_ = uri.getPort();
  Sync();  // throws when unreachable
  thread_ = std::thread([this] {
    std::mutex m;
    std::unique_lock lock(m);
    while (!stop_) {
      wake_.wait_for(lock, std::chrono::milliseconds(200));
      if (stop_) break;
      try {
        Sync();
      } catch (const std::exception& e) {
        log_.Write(sdk::LogLevel::kDebug, "clock", std::string("simulator clock not reachable: ") + e.what());
      }
    }
  });
}

SimulatorClock::~SimulatorClock() {
  stop_ = true;
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SimulatorClock::Sync() {
  Poco::Net::HTTPClientSession session(host_, static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(2, 0));
  Poco::Net::HTTPRequest request("GET", "/sim/clock", Poco::Net::HTTPMessage::HTTP_1_1);
  const auto sent = std::chrono::steady_clock::now();
  session.sendRequest(request);
  Poco::Net::HTTPResponse response;
  std::string body;
  Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
  const auto received = std::chrono::steady_clock::now();
  if (response.getStatus() != 200)
    throw std::runtime_error("GET /sim/clock answered " + std::to_string(response.getStatus()));
  auto json = Poco::JSON::Parser().parse(body).extract<Poco::JSON::Object::Ptr>();
  std::function<void()> changed;
  {
    std::lock_guard lock(mutex_);
    base_epoch_s_ = json->getValue<double>("epoch_s");
    const double speed = json->getValue<double>("speed");
    if (speed != speed_) changed = speed_changed_;
    speed_ = speed;
    base_steady_ = sent + (received - sent) / 2;
  }
  if (changed) changed();
}

void SimulatorClock::OnSpeedChange(std::function<void()> changed) {
  std::lock_guard lock(mutex_);
  speed_changed_ = std::move(changed);
}

std::chrono::system_clock::time_point SimulatorClock::Now() const {
  std::lock_guard lock(mutex_);
  const double elapsed_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - base_steady_).count();
  const double now_s = base_epoch_s_ + elapsed_s * speed_;
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(std::chrono::duration<double>(now_s)));
}

double SimulatorClock::Speed() const {
  std::lock_guard lock(mutex_);
  return speed_;
}

}  // namespace tessie::core
