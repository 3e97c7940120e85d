#pragma once
#include <functional>
#include <memory>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <vector>

#include "logger.hpp"

namespace tessie::core {

// Topic-keyed synchronous event delivery between plugins (see sdk/events.hpp for the contract).
// Thread-safe; a handler may publish further events (no lock is held while handlers run).
class EventHub {
 public:
  explicit EventHub(LogSink& log) : log_(log) {}
  void Subscribe(const std::string& owner, std::string_view topic, std::function<void(const void*)> handler);
  // Delivers to every subscriber; returns how many handlers ran without throwing.
  std::size_t Publish(const std::string& publisher, std::string_view topic, const void* event);
  void RemoveOwner(const std::string& owner);

 private:
  struct Subscription {
    std::string owner;
    std::string topic;
    std::shared_ptr<std::function<void(const void*)>> handler;
  };
  LogSink& log_;
  mutable std::shared_mutex mutex_;
  std::vector<Subscription> subscriptions_;
};

}  // namespace tessie::core
