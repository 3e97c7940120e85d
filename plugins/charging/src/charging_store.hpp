#pragma once
// The charging plugin's tables. Thread-safe as far as sdk::Database is; the caller serialises Apply and
// ApplySolarShare with the detector (they must see the same state).
#include <Poco/JSON/Object.h>

#include <optional>
#include <vector>

#include "query.hpp"
#include "session_detector.hpp"
#include "stats.hpp"
#include "tariff.hpp"
#include "tessie/sdk/events/charging.hpp"
#include "tessie/sdk/storage.hpp"

namespace tessie::charging {

class ChargingStore {
 public:
  explicit ChargingStore(sdk::Database& db) : db_(db) {}

  static std::vector<sdk::Migration> Migrations();

  struct Applied {
    std::optional<std::int64_t> opened_session_id;
    std::vector<sdk::events::ChargingSessionClosed> closed;  // to publish after the commit
  };
  // Stores one sample's actions and the vehicle's detector state in one transaction.
  Applied Apply(const std::vector<Action>& actions, const VehicleTrack& track, const Tariff& tariff,
                std::int64_t now_ms);
  // The detector state of every vehicle, with open sessions and their curves.
  std::vector<VehicleTrack> LoadTracks();
  // Stores a solar share; returns the event to publish when a closed session changed.
  std::optional<sdk::events::ChargingSessionClosed> ApplySolarShare(const sdk::events::ChargingSolarShare& share,
                                                                    std::int64_t now_ms);

  Poco::JSON::Object::Ptr ListSessions(const SessionQuery& query);
  // nullptr when there is no such session.
  Poco::JSON::Object::Ptr GetSession(std::int64_t id);
  std::vector<StatsSession> StatsSessions(const StatsQuery& query);

 private:
  sdk::Database& db_;
};

}  // namespace tessie::charging
