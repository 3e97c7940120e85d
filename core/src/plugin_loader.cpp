#include "plugin_loader.hpp"

#include <dlfcn.h>
#include <boost/dll/shared_library_load_mode.hpp>

namespace tessie::core {

PluginLibrary LoadPluginLibrary(const std::filesystem::path& path) {
  PluginLibrary out;
  out.path = path;
  boost::dll::fs::error_code ec;
  out.library.load(path.string(), boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local, ec);
  if (ec || !out.library.is_loaded()) {
    // Boost.DLL clears dlerror(); ask the dynamic loader once more for its reason (undefined symbol...).
    std::string detail = ec.message();
    if (void* handle = ::dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {
      ::dlclose(handle);
    } else if (const char* reason = ::dlerror()) {
      detail = reason;
    }
    throw PluginLoadError("cannot load " + path.filename().string() + ": " + detail);
  }
  for (const char* symbol :
       {"tessie_abi_version", "tessie_build_fingerprint", "tessie_plugin_create", "tessie_plugin_destroy"}) {
    if (!out.library.has(symbol)) {
      throw PluginLoadError(path.filename().string() + " is not a Tessie Stats plugin: it does not export '" + symbol +
                            "' (declare it with TESSIE_PLUGIN)");
    }
  }
  const std::uint32_t abi = out.library.get_alias<sdk::AbiVersionFn>("tessie_abi_version")();
  if (abi != sdk::kAbiVersion) {
    throw PluginLoadError(path.filename().string() + " was built for plugin ABI " + std::to_string(abi) +
                          " but this host speaks ABI " + std::to_string(sdk::kAbiVersion) + "; rebuild the plugin");
  }
  const std::string fingerprint = out.library.get_alias<sdk::FingerprintFn>("tessie_build_fingerprint")();
  if (fingerprint != sdk::kBuildFingerprint) {
    throw PluginLoadError(path.filename().string() + " was built with '" + fingerprint + "' but the host with '" +
                          sdk::kBuildFingerprint + "'; rebuild the plugin with the host's toolchain");
  }
  out.create = out.library.get_alias<sdk::CreateFn>("tessie_plugin_create");
  out.destroy = out.library.get_alias<sdk::DestroyFn>("tessie_plugin_destroy");
  return out;
}

}  // namespace tessie::core
