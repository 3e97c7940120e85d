#include "mqtt_inbound.hpp"

#include <algorithm>
#include <set>

namespace tessie::core {

bool RepublishCoalescer::Request(Clock::time_point now) {
  if (due_) return false;
  due_ = last_start_ ? std::max(now, *last_start_ + quiet_) : now;
  return true;
}

void RepublishCoalescer::Started(Clock::time_point now) {
  last_start_ = now;
  due_.reset();
}

bool CommandRegistry::Set(const std::string& owner, const std::string& topic, Handler handler) {
  auto shared = std::make_shared<const Handler>(std::move(handler));
  bool known = false;
  for (auto& e : entries_) {
    if (e.topic != topic) continue;
    known = true;
    if (e.owner == owner) {
      e.handler = std::move(shared);
      return false;
    }
  }
  entries_.push_back({owner, topic, std::move(shared)});
  return !known;
}

std::vector<CommandRegistry::Target> CommandRegistry::For(const std::string& topic) const {
  std::vector<Target> out;
  for (const auto& e : entries_)
    if (e.topic == topic) out.push_back({e.owner, e.handler});
  return out;
}

std::vector<std::string> CommandRegistry::Topics() const {
  std::set<std::string> topics;
  for (const auto& e : entries_) topics.insert(e.topic);
  return {topics.begin(), topics.end()};
}

std::vector<std::string> CommandRegistry::RemoveOwner(const std::string& owner) {
  std::vector<std::string> gone;
  for (const auto& e : entries_)
    if (e.owner == owner) gone.push_back(e.topic);
  std::erase_if(entries_, [&](const Entry& e) { return e.owner == owner; });
  for (const auto& e : entries_) std::erase(gone, e.topic);
  return gone;
}

}  // namespace tessie::core
