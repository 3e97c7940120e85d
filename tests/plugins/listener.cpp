// Depends on example and counts its Tick events: proves dependency order and typed events.
#include <atomic>

#include "tessie/sdk/plugin.hpp"
#include "test_events.hpp"

namespace {
using namespace tessie::sdk;

class ListenerPlugin final : public Plugin {
 public:
  PluginInfo Info() const override { return {"listener", "0.1.0", "counts example.tick events", {"example"}, {}}; }
  void Configure(Context& ctx) override {
    ctx.Http().Add("GET", "/api/listener/count", [this](const HttpRequest&) {
      Poco::JSON::Object o;
      o.set("count", count_.load());
      o.set("last", last_.load());
      return HttpResponse::Json(o);
    });
  }
  void Start(Context& ctx) override {
    ctx.Events().Subscribe<test_events::Tick>([this](const test_events::Tick& t) {
      ++count_;
      last_ = t.n;
    });
  }
  void Stop() override {}

 private:
  std::atomic<std::int64_t> count_{0};
  std::atomic<std::int64_t> last_{0};
};
}  // namespace

TESSIE_PLUGIN(ListenerPlugin)
