#include "mqtt_inbound.hpp"

#include <algorithm>

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

}  // namespace tessie::core
