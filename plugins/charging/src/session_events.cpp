#include "session_events.hpp"

namespace tessie::charging {

void SessionEvents::OnClosed(sdk::events::ChargingSessionClosed closed) {
  std::optional<sdk::events::ChargingSolarShare> share;
  bus_.Publish(sdk::events::ChargingSolarShareRequest{closed, &share});
  if (share) {
    if (auto stored = store_share_(*share)) closed = std::move(*stored);
  }
  bus_.Publish(closed);
}

void SessionEvents::OnShareChanged(const sdk::events::ChargingSolarShare& share) {
  if (auto stored = store_share_(share)) bus_.Publish(*stored);
}

}  // namespace tessie::charging
