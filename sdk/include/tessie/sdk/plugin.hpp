#pragma once
// The interface every plugin implements, and the one macro that exports it.
#include <boost/dll/alias.hpp>

#include <cstdint>
#include <string>
#include <vector>

#include "tessie/sdk/config.hpp"
#include "tessie/sdk/context.hpp"
#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

struct PluginInfo {
  std::string name;  // matches plugins.<name> in the config and the library file name
  std::string version;
  std::string description;
  std::vector<std::string> depends_on;  // started before this one; if one is missing this one is disabled
  ConfigSchema config;                  // the keys of plugins.<name> (besides enabled/required)
};

// Lifecycle, driven by the host on one thread: Info → Configure → Start → ... → Stop → destroy.
// Configure registers migrations, routes and reads config; Start registers jobs and subscriptions and
// must return quickly without leaving threads behind. Everything registered through the context is
// revoked by the host after Stop, even when Stop throws. Any exception is turned into a host error naming
// the plugin, and the plugin is disabled.
class TESSIE_SDK_API Plugin {
 public:
  virtual ~Plugin() = default;
  virtual PluginInfo Info() const = 0;
  virtual void Configure(Context& context) = 0;
  virtual void Start(Context& context) = 0;
  virtual void Stop() = 0;
};

using AbiVersionFn = std::uint32_t();
using FingerprintFn = const char*();
using CreateFn = Plugin*();
using DestroyFn = void(Plugin*);

}  // namespace v1
}  // namespace tessie::sdk

// Exports the entry points of a plugin class with a default constructor. Use once per plugin library,
// at namespace scope in one .cpp file. The host checks the ABI version and fingerprint before it calls
// create; objects created by the plugin are destroyed by the plugin.
#define TESSIE_PLUGIN(PluginClass)                                            \
  namespace tessie_plugin_entry {                                             \
  std::uint32_t AbiVersion() { return ::tessie::sdk::kAbiVersion; }           \
  const char* Fingerprint() { return ::tessie::sdk::kBuildFingerprint; }      \
  ::tessie::sdk::Plugin* Create() { return new PluginClass(); }               \
  void Destroy(::tessie::sdk::Plugin* plugin) { delete plugin; }              \
  }                                                                           \
  BOOST_DLL_ALIAS(tessie_plugin_entry::AbiVersion, tessie_abi_version)        \
  BOOST_DLL_ALIAS(tessie_plugin_entry::Fingerprint, tessie_build_fingerprint) \
  BOOST_DLL_ALIAS(tessie_plugin_entry::Create, tessie_plugin_create)          \
  BOOST_DLL_ALIAS(tessie_plugin_entry::Destroy, tessie_plugin_destroy)
