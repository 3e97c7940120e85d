#pragma once
// What the charging plugin tells the other plugins about closed sessions. The flow goes one way only:
//   a session closes → ChargingSolarShareRequest (the solar plugin answers during Publish) → the answer is
//   stored → ChargingSessionClosed, once, with the final cost;
//   a share changes later (ChargingSolarShare from the solar plugin) → stored → ChargingSessionClosed again,
//   as a correction, only when the stored share or cost changed.
// The solar plugin never receives ChargingSessionClosed, so nothing the charging plugin publishes makes it
// publish again (docs/plugins.md, "Events between plugins").
#include <functional>
#include <optional>

#include "tessie/sdk/events.hpp"
#include "tessie/sdk/events/charging.hpp"

namespace tessie::charging {

class SessionEvents {
 public:
  // Stores a share; returns the session as stored when its share or cost changed (nothing otherwise).
  using StoreShare =
      std::function<std::optional<sdk::events::ChargingSessionClosed>(const sdk::events::ChargingSolarShare&)>;

  SessionEvents(sdk::EventBus& bus, StoreShare store_share) : bus_(bus), store_share_(std::move(store_share)) {}

  // A session was closed and committed. Call without holding a lock that `store_share` takes: the answerer
  // runs on this thread during the request.
  void OnClosed(sdk::events::ChargingSessionClosed closed);
  // The solar plugin's share changed after the session was closed.
  void OnShareChanged(const sdk::events::ChargingSolarShare& share);

 private:
  sdk::EventBus& bus_;
  StoreShare store_share_;
};

}  // namespace tessie::charging
