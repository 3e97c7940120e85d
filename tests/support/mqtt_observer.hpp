#pragma once
// An MQTT client for the integration tests: records everything under its filters (against the real Mosquitto
// that make test starts), and runs tools/ha-discovery-check on what it saw.
#include <Poco/JSON/Object.h>
#include <mqtt/async_client.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "host_process.hpp"

namespace tessie::testing {

struct Message {
  std::string topic, payload;
  bool retained = false;
  int qos = 0;
};

// A second MQTT client that records everything under the given filters.
class Observer {
 public:
  Observer(const std::string& url, const std::vector<std::string>& filters)
      : client_(url, "observer-" + RandomSuffix(), mqtt::create_options(MQTTVERSION_3_1_1)) {
    client_.set_message_callback([this](mqtt::const_message_ptr m) {
      std::lock_guard lock(mutex_);
      messages_.push_back({m->get_topic(), m->to_string(), m->is_retained(), m->get_qos()});
    });
    mqtt::connect_options options;
    options.set_clean_session(true);
    client_.connect(options)->wait();
    for (const auto& f : filters) client_.subscribe(f, 1)->wait();
  }
  ~Observer() {
    try {
      client_.disconnect()->wait();
    } catch (...) {
    }
  }
  void Publish(const std::string& topic, const std::string& payload, bool retain) {
    client_.publish(topic, payload, 1, retain)->wait();
  }
  std::vector<Message> Messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }
  std::optional<Message> Last(const std::string& topic) {
    std::lock_guard lock(mutex_);
    for (auto it = messages_.rbegin(); it != messages_.rend(); ++it)
      if (it->topic == topic) return *it;
    return std::nullopt;
  }
  void WriteCapture(const std::filesystem::path& file) {
    std::ofstream out(file);
    for (const auto& m : Messages()) {
      Poco::JSON::Object o;
      o.set("topic", m.topic);
      o.set("retain", m.retained ? 1 : 0);
      o.set("qos", m.qos);
      o.set("payload", m.payload);
      o.stringify(out);
      out << "\n";
    }
  }

 private:
  mqtt::async_client client_;
  std::mutex mutex_;
  std::vector<Message> messages_;
};

// Runs tools/ha-discovery-check on `capture` (Observer::WriteCapture) for discovery under `prefix`: true when it
// exits 0 and reports no error; `report` gets its output.
inline bool HaDiscoveryCheck(const std::filesystem::path& capture, const std::string& prefix, std::string& report) {
  const auto out = capture.parent_path() / (capture.stem().string() + "-ha-check.txt");
  const std::string command = "python3 '" TESSIE_SOURCE_DIR "/tools/ha-discovery-check' --prefix " + prefix + " '" +
                              capture.string() + "' > '" + out.string() + "' 2>&1";
  const int rc = std::system(command.c_str());
  std::ifstream in(out);
  std::stringstream text;
  text << in.rdbuf();
  report = text.str();
  return WEXITSTATUS(rc) == 0 && report.find(" 0 errors") != std::string::npos;
}

}  // namespace tessie::testing
