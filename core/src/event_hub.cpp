#include "event_hub.hpp"

#include <mutex>

namespace tessie::core {

void EventHub::Subscribe(const std::string& owner, std::string_view topic, std::function<void(const void*)> handler) {
  std::unique_lock lock(mutex_);
  subscriptions_.push_back(
      {owner, std::string(topic), std::make_shared<std::function<void(const void*)>>(std::move(handler))});
}

std::size_t EventHub::Publish(const std::string& publisher, std::string_view topic, const void* event) {
  std::vector<Subscription> targets;
  {
    std::shared_lock lock(mutex_);
    for (const auto& s : subscriptions_)
      if (s.topic == topic) targets.push_back(s);
  }
  std::size_t delivered = 0;
  for (const auto& s : targets) {
    try {
      (*s.handler)(event);
      ++delivered;
    } catch (const std::exception& e) {
      log_.Write(sdk::LogLevel::kError, s.owner,
                 "handler for event '" + std::string(topic) + "' from '" + publisher + "' failed: " + e.what());
    } catch (...) {
      log_.Write(sdk::LogLevel::kError, s.owner, "handler for event '" + std::string(topic) + "' failed");
    }
  }
  return delivered;
}

void EventHub::RemoveOwner(const std::string& owner) {
  std::unique_lock lock(mutex_);
  std::erase_if(subscriptions_, [&](const Subscription& s) { return s.owner == owner; });
}

}  // namespace tessie::core
