#include "mqtt_service.hpp"

#include <mqtt/async_client.h>

namespace tessie::core {

MqttService::MqttService(const sdk::ConfigSection& config, LogSink& log) : log_(log) {
  enabled_ = config.Has("url");
  base_topic_ = config.Has("base_topic") ? config.GetString("base_topic") : "tessie";
  discovery_prefix_ = config.Has("discovery_prefix") ? config.GetString("discovery_prefix") : "homeassistant";
  if (!enabled_) return;
  url_ = config.GetString("url");
  client_id_ = config.Has("client_id") ? config.GetString("client_id") : "tessie-stats";
  if (config.Has("username")) username_ = config.GetString("username");
  if (config.Has("password")) {
    password_ = config.GetString("password");
    log_.AddSecret(password_);
  }
  if (config.Has("ca_file")) ca_file_ = config.GetString("ca_file");
}

MqttService::~MqttService() { Stop(); }

void MqttService::Start() {
  if (!enabled_) return;
  {
    std::lock_guard lock(republish_mutex_);
    stopping_ = false;
  }
  republisher_ = std::thread([this] { RepublishLoop(); });
  // No persistence; up to 10k messages buffered while disconnected.
  client_ = std::make_unique<mqtt::async_client>(url_, client_id_, 10'000, nullptr);
  client_->set_connected_handler([this](const std::string&) { HandleConnected(); });
  client_->set_connection_lost_handler([this](const std::string& cause) {
    connected_ = false;
    log_.Write(sdk::LogLevel::kWarn, "mqtt",
               "connection lost" + (cause.empty() ? "" : ": " + cause) + "; reconnecting");
  });
  client_->set_message_callback(
      [this](mqtt::const_message_ptr msg) { HandleMessage(msg->get_topic(), msg->to_string(), msg->is_retained()); });
  mqtt::connect_options options;
  options.set_clean_session(true);
  options.set_keep_alive_interval(30);
  options.set_automatic_reconnect(std::chrono::seconds(1), std::chrono::seconds(60));
  options.set_will(mqtt::message(AvailabilityTopic(), "offline", 1, true));
  if (!username_.empty()) options.set_user_name(username_);
  if (!password_.empty()) options.set_password(password_);
  if (url_.rfind("ssl://", 0) == 0 || url_.rfind("mqtts://", 0) == 0) {
    mqtt::ssl_options ssl;
    if (!ca_file_.empty()) ssl.set_trust_store(ca_file_);
    options.set_ssl(ssl);
  }
  log_.Write(sdk::LogLevel::kInfo, "mqtt", "connecting to " + url_);
  try {
    client_->connect(options);
  } catch (const mqtt::exception& e) {
    log_.Write(sdk::LogLevel::kError, "mqtt", std::string("cannot connect: ") + e.what());
  }
}

void MqttService::Stop() {
  {
    std::lock_guard lock(republish_mutex_);
    stopping_ = true;
  }
  republish_wake_.notify_all();
  if (republisher_.joinable()) republisher_.join();
  if (!client_) return;
  try {
    if (client_->is_connected()) {
      // A clean shutdown: say offline (the broker only sends the will on an unclean loss).
      client_->publish(AvailabilityTopic(), "offline", 1, true)->wait_for(std::chrono::seconds(2));
      client_->disconnect()->wait_for(std::chrono::seconds(2));
    }
  } catch (const mqtt::exception& e) {
    log_.Write(sdk::LogLevel::kWarn, "mqtt", std::string("disconnect: ") + e.what());
  }
  client_.reset();
  connected_ = false;
}

void MqttService::HandleConnected() {
  connected_ = true;
  ++connects_;
  log_.Write(sdk::LogLevel::kInfo, "mqtt", "connected to " + url_);
  try {
    client_->publish(AvailabilityTopic(), "online", 1, true);
    client_->subscribe(discovery_prefix_ + "/status", 1);
    std::vector<std::string> topics;  // one subscription per topic, however many owners
    {
      std::lock_guard lock(mutex_);
      topics = commands_.Topics();
    }
    for (const auto& t : topics) client_->subscribe(t, 1);
  } catch (const mqtt::exception& e) {
    log_.Write(sdk::LogLevel::kError, "mqtt", std::string("after connect: ") + e.what());
  }
  RequestRepublish("connected");
}

void MqttService::RequestRepublish(const std::string& why) {
  const auto now = RepublishCoalescer::Clock::now();
  bool scheduled = false;
  std::chrono::milliseconds in{0};
  {
    std::lock_guard lock(republish_mutex_);
    scheduled = coalescer_.Request(now);
    if (scheduled) in = std::chrono::duration_cast<std::chrono::milliseconds>(*coalescer_.Due() - now);
  }
  if (!scheduled) return;  // joins the pending one: nothing to log (a flood would flood the log)
  republish_wake_.notify_all();
  log_.Write(sdk::LogLevel::kInfo, "mqtt",
             why + "; republishing discovery and states" +
                 (in.count() > 0 ? " in " + std::to_string((in.count() + 999) / 1000) + " s (at most one per " +
                                       std::to_string(kRepublishQuiet.count() / 1000) + " s)"
                                 : ""));
}

void MqttService::RepublishLoop() {
  std::unique_lock lock(republish_mutex_);
  while (!stopping_) {
    const auto due = coalescer_.Due();
    const auto now = RepublishCoalescer::Clock::now();
    if (due && now >= *due) {
      coalescer_.Started(now);
      // A full republish runs every registered handler, the fresh ones too (each was registered before this).
      fresh_republishers_.clear();
      lock.unlock();
      Republish();
      lock.lock();
    } else if (!fresh_republishers_.empty()) {
      auto fresh = std::move(fresh_republishers_);
      fresh_republishers_.clear();
      lock.unlock();
      if (connected_) {  // otherwise the next connect republishes everything
        for (const auto& [owner, handler] : fresh) {
          try {
            (*handler)();
          } catch (const std::exception& e) {
            log_.Write(sdk::LogLevel::kError, "mqtt", owner + ": republish handler failed: " + e.what());
          }
        }
      }
      lock.lock();
    } else if (due) {
      republish_wake_.wait_until(lock, *due);
    } else {
      republish_wake_.wait(lock);
    }
  }
}

// On the republish thread only.
void MqttService::Republish() {
  if (!connected_) return;  // the next connect asks again
  std::vector<std::string> topics;
  std::vector<std::shared_ptr<std::function<void()>>> handlers;
  {
    std::lock_guard lock(mutex_);
    for (const auto& r : retained_) topics.push_back(r.first);
    for (const auto& r : republishers_) handlers.push_back(r.second);
  }
  for (const auto& topic : topics) {
    // The latest payload at the time of sending, not of a snapshot taken before the loop: a plugin may have
    // published a newer state meanwhile (the republish runs beside the jobs), and the broker keeps the last.
    std::string payload;
    {
      std::lock_guard lock(mutex_);
      const auto it = retained_.find(topic);
      if (it == retained_.end()) continue;  // removed meanwhile
      payload = it->second;
    }
    try {
      client_->publish(topic, payload, 1, true);
      ++published_;
    } catch (const mqtt::exception&) {
      return;  // disconnected again; the next connect republishes
    }
  }
  for (const auto& h : handlers) {
    try {
      (*h)();
    } catch (const std::exception& e) {
      log_.Write(sdk::LogLevel::kError, "mqtt", std::string("republish handler failed: ") + e.what());
    }
  }
}

void MqttService::HandleMessage(const std::string& topic, const std::string& payload, bool retained) {
  // `topic` matched one of our exact subscriptions, so it is ours to log; the payload never is.
  if (payload.size() > kMaxInboundPayloadBytes) {
    log_.Write(sdk::LogLevel::kWarn, "mqtt",
               "dropped a " + std::to_string(payload.size()) + "-byte message on " + topic + " (the limit is " +
                   std::to_string(kMaxInboundPayloadBytes) + " bytes)");
    return;
  }
  if (topic == discovery_prefix_ + "/status") {
    if (payload == "online") RequestRepublish("Home Assistant came online");
    return;
  }
  std::vector<CommandRegistry::Target> targets;
  {
    std::lock_guard lock(mutex_);
    targets = commands_.For(topic);
  }
  if (targets.empty()) return;
  if (payload.empty()) {
    // Never a command: this is how a retained command is cleared, ours included (it comes back to us).
    log_.Write(sdk::LogLevel::kInfo, "mqtt", "empty message on " + topic + ": not a command, ignored");
    return;
  }
  if (retained) {
    // A retained command would re-run on every restart: ignore it and clear it from the broker.
    if (!payload.empty()) {
      log_.Write(sdk::LogLevel::kWarn, "mqtt", "ignoring retained command on " + topic + " and clearing it");
      try {
        client_->publish(topic, "", 1, true);
      } catch (const mqtt::exception&) {
      }
    }
    return;
  }
  for (const auto& c : targets) {
    try {
      (*c.handler)(payload);
    } catch (const std::exception& e) {
      log_.Write(sdk::LogLevel::kError, c.owner, "command on " + topic + " failed: " + e.what());
    }
  }
}

void MqttService::Publish(const std::string& topic, const std::string& payload, bool retain) {
  if (!enabled_) return;
  if (retain) {
    std::lock_guard lock(mutex_);
    if (payload.empty())
      retained_.erase(topic);
    else
      retained_[topic] = payload;
  }
  if (!client_) return;
  try {
    client_->publish(topic, payload, 1, retain);
    ++published_;
  } catch (const mqtt::exception& e) {
    // Buffer full or not connected yet: retained topics are re-sent on connect.
    log_.Write(sdk::LogLevel::kDebug, "mqtt", "publish to " + topic + " deferred: " + e.what());
  }
}

void MqttService::OnCommand(const std::string& owner, const std::string& topic,
                            std::function<void(const std::string&)> handler) {
  if (!enabled_) return;
  bool first = false;
  {
    std::lock_guard lock(mutex_);
    first = commands_.Set(owner, topic, std::move(handler));
  }
  if (first && client_ && connected_) {
    try {
      client_->subscribe(topic, 1);
    } catch (const mqtt::exception&) {
    }
  }
}

void MqttService::OnRepublish(const std::string& owner, std::function<void()> handler) {
  if (!enabled_) return;
  auto shared = std::make_shared<std::function<void()>>(std::move(handler));
  {
    std::lock_guard lock(mutex_);
    republishers_.emplace_back(owner, shared);
  }
  {
    std::lock_guard lock(republish_mutex_);
    fresh_republishers_.emplace_back(owner, std::move(shared));
  }
  republish_wake_.notify_all();
}

void MqttService::RemoveOwner(const std::string& owner) {
  std::vector<std::string> unsubscribe;
  {
    std::lock_guard lock(mutex_);
    unsubscribe = commands_.RemoveOwner(owner);
    std::erase_if(republishers_, [&](const auto& r) { return r.first == owner; });
  }
  {
    std::lock_guard lock(republish_mutex_);
    std::erase_if(fresh_republishers_, [&](const auto& r) { return r.first == owner; });
  }
  if (client_ && connected_) {
    for (const auto& t : unsubscribe) {
      try {
        client_->unsubscribe(t);
      } catch (const mqtt::exception&) {
      }
    }
  }
}

MqttStats MqttService::Stats() const { return {enabled_, connected_.load(), published_.load(), connects_.load()}; }

}  // namespace tessie::core
