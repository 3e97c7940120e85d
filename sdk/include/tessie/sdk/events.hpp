#pragma once
#include <functional>
#include <string>
#include <string_view>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

// Typed in-process events between plugins. An event type is a plain struct with
//   static constexpr std::string_view kTopic = "vehicle.state";
// declared in a header both plugins include (the SDK's own in tessie/sdk/events/). The topic, not RTTI,
// identifies the type, so events cross shared-library boundaries safely; one topic = one type.
//
// Delivery is synchronous, on the publisher's thread, to the subscribers of started plugins, in
// subscription order. A subscriber that throws is logged naming its plugin; the other subscribers and the
// publisher are unaffected. Subscribers must be thread-safe and quick (hand heavy work to a job).
class TESSIE_SDK_API EventBus {
 public:
  virtual ~EventBus() = default;

  template <class Event>
  void Publish(const Event& event) {
    PublishRaw(Event::kTopic, &event);
  }
  template <class Event>
  void Subscribe(std::function<void(const Event&)> handler) {
    SubscribeRaw(Event::kTopic,
                 [handler = std::move(handler)](const void* e) { handler(*static_cast<const Event*>(e)); });
  }

  virtual void PublishRaw(std::string_view topic, const void* event) = 0;
  virtual void SubscribeRaw(std::string_view topic, std::function<void(const void*)> handler) = 0;
};

}  // namespace v1
}  // namespace tessie::sdk
