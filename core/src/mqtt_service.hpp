#pragma once
#include <Poco/JSON/Object.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "logger.hpp"
#include "mqtt_inbound.hpp"
#include "tessie/sdk/config.hpp"

namespace mqtt {
class async_client;
}

namespace tessie::core {

struct MqttStats {
  bool enabled = false;
  bool connected = false;
  std::uint64_t published = 0;
  std::uint64_t connects = 0;
};

// The host's one MQTT connection (paho-mqtt-cpp, automatic reconnect with backoff 1 s → 60 s).
// Last will "offline" and retained "online" on <base>/status. Caches the latest retained payload per
// topic and re-sends all of them after each reconnect and each Home Assistant birth message, then calls
// the plugins' republish handlers — on its own thread, at most once per kRepublishQuiet (a birth during
// the quiet period schedules one trailing republish; see RepublishCoalescer).
// Inbound: a message over kMaxInboundPayloadBytes is dropped and logged; on a command topic an empty
// payload is never a command (it is how a retained command is cleared, and the clear comes back to us),
// and a retained one is ignored and cleared. Each command topic has one handler per owner: registering
// it again replaces the handler, so one message is one call. Thread-safe.
class MqttService {
 public:
  // `config` is the validated mqtt.* section; no url → disabled (every call is a no-op).
  static constexpr std::chrono::milliseconds kRepublishQuiet{std::chrono::seconds(5)};

  MqttService(const sdk::ConfigSection& config, LogSink& log);
  ~MqttService();
  void Start();
  void Stop();

  bool Enabled() const { return enabled_; }
  std::string BaseTopic() const { return base_topic_; }
  // The one place the base topic is added to a plugin's relative topic.
  std::string Topic(const std::string& relative) const { return base_topic_ + "/" + relative; }
  std::string AvailabilityTopic() const { return Topic("status"); }
  std::string DiscoveryPrefix() const { return discovery_prefix_; }
  // `topic` is absolute.
  void Publish(const std::string& topic, const std::string& payload, bool retain);
  // Registers (or replaces) `owner`'s handler for the absolute command `topic`.
  void OnCommand(const std::string& owner, const std::string& topic, std::function<void(const std::string&)> handler);
  void OnRepublish(const std::string& owner, std::function<void()> handler);
  void RemoveOwner(const std::string& owner);
  MqttStats Stats() const;

 private:
  void HandleConnected();
  void HandleMessage(const std::string& topic, const std::string& payload, bool retained);
  // Asks the republish thread for a republish (coalesced); `why` is logged when it schedules one.
  void RequestRepublish(const std::string& why);
  void RepublishLoop();
  void Republish();

  LogSink& log_;
  bool enabled_ = false;
  std::string url_, client_id_, username_, password_, ca_file_;
  std::string base_topic_, discovery_prefix_;
  std::unique_ptr<mqtt::async_client> client_;
  mutable std::mutex mutex_;
  std::map<std::string, std::string> retained_;  // topic → latest retained payload
  CommandRegistry commands_;
  std::vector<std::pair<std::string, std::shared_ptr<std::function<void()>>>> republishers_;
  std::atomic<bool> connected_{false};
  std::atomic<std::uint64_t> published_{0};
  std::atomic<std::uint64_t> connects_{0};

  std::mutex republish_mutex_;  // guards coalescer_, fresh_republishers_ and stopping_
  std::condition_variable republish_wake_;
  RepublishCoalescer coalescer_{kRepublishQuiet};
  // Handlers registered since the last republish, run once on the republish thread when connected: a plugin
  // that starts after the connect's republish ran (it runs on its own thread, beside the plugins' start)
  // would otherwise send its discovery only at the next reconnect or Home Assistant birth.
  std::vector<std::pair<std::string, std::shared_ptr<std::function<void()>>>> fresh_republishers_;
  bool stopping_ = false;
  std::thread republisher_;  // runs RepublishLoop from Start to Stop
};

}  // namespace tessie::core
