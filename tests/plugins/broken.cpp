// Broken-on-purpose plugins. Each is built from this file with one BROKEN_* definition; every one must be
// disabled with an error naming it while the host and the other plugins keep running.
#include <stdexcept>

#include "tessie/sdk/plugin.hpp"

namespace {
using namespace tessie::sdk;

class BrokenPlugin final : public Plugin {
 public:
  BrokenPlugin() {
#ifdef BROKEN_CREATE
    throw std::runtime_error("constructor exploded");
#endif
  }
  PluginInfo Info() const override {
    PluginInfo info{TESSIE_BROKEN_NAME, "0.0.1", "broken on purpose", {}, {}};
#ifdef BROKEN_DUPLICATE_ROUTE
    info.depends_on = {"example"};
#endif
#ifdef BROKEN_DEPENDS_ON_MISSING
    info.depends_on = {"nonexistent"};
#endif
    return info;
  }
  void Configure(Context& ctx) override {
    ctx.Http().Add("GET", std::string("/api/") + TESSIE_BROKEN_NAME + "/alive",
                   [](const HttpRequest&) { return HttpResponse::Text("alive"); });
#ifdef BROKEN_CONFIGURE
    throw std::runtime_error("configure exploded");
#endif
#ifdef BROKEN_DUPLICATE_ROUTE
    ctx.Http().Add("GET", "/api/example/hello", [](const HttpRequest&) { return HttpResponse::Text("hijacked"); });
#endif
  }
  void Start(Context& ctx) override {
    // Below the scheduler's one-second floor on purpose (the tests count failures quickly): opted in.
    ctx.Jobs().Every(
        {.name = "work", .interval = std::chrono::milliseconds(100), .min_delay = std::chrono::milliseconds(100)},
        [](JobRun&) {
#ifdef BROKEN_JOB
          throw std::runtime_error("job exploded");
#endif
        });
#ifdef BROKEN_START
    throw std::runtime_error("start exploded");
#endif
  }
  void Stop() override {
#ifdef BROKEN_STOP
    throw std::runtime_error("stop exploded");
#endif
  }
};
}  // namespace

#if defined(BROKEN_ABI)
namespace entry {
std::uint32_t Abi() { return 999; }
const char* Fingerprint() { return kBuildFingerprint; }
Plugin* Create() { return new BrokenPlugin(); }
void Destroy(Plugin* p) { delete p; }
}  // namespace entry
BOOST_DLL_ALIAS(entry::Abi, tessie_abi_version)
BOOST_DLL_ALIAS(entry::Fingerprint, tessie_build_fingerprint)
BOOST_DLL_ALIAS(entry::Create, tessie_plugin_create)
BOOST_DLL_ALIAS(entry::Destroy, tessie_plugin_destroy)
#elif defined(BROKEN_FINGERPRINT)
namespace entry {
std::uint32_t Abi() { return kAbiVersion; }
const char* Fingerprint() { return "clang-99;boost-1_99;sdk-9.9.9"; }
Plugin* Create() { return new BrokenPlugin(); }
void Destroy(Plugin* p) { delete p; }
}  // namespace entry
BOOST_DLL_ALIAS(entry::Abi, tessie_abi_version)
BOOST_DLL_ALIAS(entry::Fingerprint, tessie_build_fingerprint)
BOOST_DLL_ALIAS(entry::Create, tessie_plugin_create)
BOOST_DLL_ALIAS(entry::Destroy, tessie_plugin_destroy)
#elif defined(BROKEN_MISSING_SYMBOL)
namespace entry {
std::uint32_t Abi() { return kAbiVersion; }
const char* Fingerprint() { return kBuildFingerprint; }
}  // namespace entry
BOOST_DLL_ALIAS(entry::Abi, tessie_abi_version)
BOOST_DLL_ALIAS(entry::Fingerprint, tessie_build_fingerprint)
#elif defined(BROKEN_UNRESOLVED)
extern "C" int tessie_symbol_nobody_defines();
// An exported pointer the linker cannot drop: dlopen(RTLD_NOW) must fail on the undefined symbol.
extern "C" {
__attribute__((visibility("default"))) int (*tessie_force_reference)() = &tessie_symbol_nobody_defines;
}
TESSIE_PLUGIN(BrokenPlugin)
#else
TESSIE_PLUGIN(BrokenPlugin)
#endif
