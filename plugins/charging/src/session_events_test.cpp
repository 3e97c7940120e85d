#include "session_events.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace tessie::charging {
namespace {

namespace ev = sdk::events;

// The host's bus as plugins see it: synchronous delivery on the publisher's thread, in subscription order.
// Counts what was published per topic.
class Bus final : public sdk::EventBus {
 public:
  void PublishRaw(std::string_view topic, const void* event) override {
    ++published[std::string(topic)];
    for (auto& [t, handler] : handlers)
      if (t == topic) handler(event);
  }
  void SubscribeRaw(std::string_view topic, std::function<void(const void*)> handler) override {
    handlers.emplace_back(std::string(topic), std::move(handler));
  }

  std::vector<std::pair<std::string, std::function<void(const void*)>>> handlers;
  std::map<std::string, int> published;
};

ev::ChargingSessionClosed Closed(std::int64_t id) {
  ev::ChargingSessionClosed e;
  e.session_id = id;
  e.vehicle_id = 1000000001;
  e.vin = "LRW3F7EK4NC000001";
  e.energy_added_kwh = 7;
  e.cost = 2.10;  // the tariff's
  e.currency = "EUR";
  e.place = "Home";
  return e;
}

// The charging_sessions table in short: the stored share and cost per session, as ChargingStore::ApplySolarShare
// keeps them (a share without cost keeps the tariff's).
struct Store {
  std::optional<ev::ChargingSessionClosed> Apply(const ev::ChargingSolarShare& share) {
    ++writes;
    auto& s = sessions.at(share.session_id);
    const auto cost = share.cost ? share.cost : s.cost;
    if (pct.count(share.session_id) && pct[share.session_id] == share.solar_percentage && cost == s.cost)
      return std::nullopt;
    pct[share.session_id] = share.solar_percentage;
    s.cost = cost;
    return s;
  }
  std::map<std::int64_t, ev::ChargingSessionClosed> sessions;
  std::map<std::int64_t, double> pct;
  int writes = 0;
};

class SessionEventsTest : public ::testing::Test {
 protected:
  SessionEventsTest() : events_(bus_, [this](const ev::ChargingSolarShare& s) { return store_.Apply(s); }) {
    bus_.Subscribe<ev::ChargingSessionClosed>([this](const ev::ChargingSessionClosed& e) { seen_.push_back(e); });
  }
  void Close(std::int64_t id) {
    store_.sessions[id] = Closed(id);
    events_.OnClosed(Closed(id));
  }
  // A solar plugin that knows the share at once: answers the request.
  void AnswerWith(std::optional<ev::ChargingSolarShare> share) {
    bus_.Subscribe<ev::ChargingSolarShareRequest>([share](const ev::ChargingSolarShareRequest& r) {
      if (share && r.answer) *r.answer = share;
    });
  }

  Bus bus_;
  Store store_;
  SessionEvents events_;
  std::vector<ev::ChargingSessionClosed> seen_;  // what drivers and the other subscribers receive
};

TEST_F(SessionEventsTest, AClosedSessionGoesOutOnceWithTheShareKnownAtClosing) {
  AnswerWith(ev::ChargingSolarShare{7, 100, 0.70});
  Close(7);
  EXPECT_EQ(bus_.published["charging.solar_share_request"], 1);
  EXPECT_EQ(bus_.published["charging.session_closed"], 1);
  EXPECT_EQ(bus_.published["charging.solar_share"], 0);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_EQ(seen_[0].session_id, 7);
  EXPECT_NEAR(*seen_[0].cost, 0.70, 1e-9);  // the solar cost, not the tariff's 2.10
}

TEST_F(SessionEventsTest, WithoutAnAnswerTheSessionKeepsItsTariffCostAndALaterShareCorrectsItOnce) {
  AnswerWith(std::nullopt);  // the intervals of the session are not stored yet
  Close(7);
  ASSERT_EQ(seen_.size(), 1u);
  EXPECT_NEAR(*seen_[0].cost, 2.10, 1e-9);

  events_.OnShareChanged({7, 50, 1.40});
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_NEAR(*seen_[1].cost, 1.40, 1e-9);
  // The same share again (the intervals re-sent) is stored but tells nobody anything.
  events_.OnShareChanged({7, 50, 1.40});
  EXPECT_EQ(seen_.size(), 2u);
  EXPECT_EQ(bus_.published["charging.solar_share_request"], 1);
}

TEST_F(SessionEventsTest, NoSolarPluginLeavesTheSessionAsClosed) {
  Close(7);
  Close(8);
  EXPECT_EQ(store_.writes, 0);
  ASSERT_EQ(seen_.size(), 2u);
  EXPECT_NEAR(*seen_[1].cost, 2.10, 1e-9);
}

// The round trip of earlier versions: a subscriber that answers every published session with a share (as the
// solar plugin did when it listened to charging.session_closed) makes the charging plugin publish the session
// again at most once per change, never in a loop, and the request path alone publishes each session once.
TEST_F(SessionEventsTest, ASessionIsPublishedOncePerClosingAndOncePerChangedShare) {
  AnswerWith(ev::ChargingSolarShare{7, 100, 0.70});
  int echoes = 0;
  bus_.Subscribe<ev::ChargingSessionClosed>([&](const ev::ChargingSessionClosed& e) {
    if (++echoes < 10) events_.OnShareChanged({e.session_id, 100, 0.70});  // what it already has
  });
  Close(7);
  EXPECT_EQ(bus_.published["charging.session_closed"], 1);
  EXPECT_EQ(echoes, 1);
}

}  // namespace
}  // namespace tessie::charging
