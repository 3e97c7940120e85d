#pragma once
#include <boost/dll/shared_library.hpp>

#include <filesystem>
#include <functional>
#include <stdexcept>
#include <string>

#include "tessie/sdk/plugin.hpp"

namespace tessie::core {

class PluginLoadError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A plugin library whose ABI version and build fingerprint match the host's. The library stays loaded as
// long as this object lives; the host keeps it until exit (unloading live code crashes).
struct PluginLibrary {
  std::filesystem::path path;
  boost::dll::shared_library library;
  std::function<sdk::Plugin*()> create;
  std::function<void(sdk::Plugin*)> destroy;
};

// dlopen with RTLD_NOW (unresolved symbols fail here, not at the first call), then checks the exported
// ABI version and fingerprint before touching anything else. Throws PluginLoadError saying what is wrong.
// This is the only place that resolves plugin symbols (Boost 1.74 spells the API get_alias).
PluginLibrary LoadPluginLibrary(const std::filesystem::path& path);

}  // namespace tessie::core
