#pragma once
// What a plugin and the host must agree on before the host calls anything in the plugin.
#include <boost/version.hpp>
#include <cstdint>

#ifndef TESSIE_SDK_VERSION_STRING
#define TESSIE_SDK_VERSION_STRING "0.0.0"
#endif

#define TESSIE_SDK_STRINGIFY_IMPL(x) #x
#define TESSIE_SDK_STRINGIFY(x) TESSIE_SDK_STRINGIFY_IMPL(x)

// Exported types (interfaces, exceptions, events) must be visible so that RTTI and exceptions work across
// the host/plugin boundary while everything else is built with -fvisibility=hidden.
#define TESSIE_SDK_API __attribute__((visibility("default")))

namespace tessie::sdk {
inline namespace v1 {

// Bumped on any incompatible change of the interfaces in this SDK.
// 2: Database::InReadTransaction (a virtual added at the end of Database) and JobOptions::min_delay (the struct
//    crosses the boundary by reference, so its layout changed).
// 3: LiveStatus::wall_connector_power_w and SiteInfo::wall_connector_count (both structs cross the boundary).
//    Context::Metrics and MqttBridge::Topic (virtuals added at the end of their classes), ha::Device::manufacturer
//    (a member added), ConfigField's builder (no layout change) and the new headers metrics.hpp and row.hpp. The event
//    structs (tessie/sdk/events/) moved into v1 with the rest of the SDK.
inline constexpr std::uint32_t kAbiVersion = 3;

// Compiler, C++ standard library ABI, Boost and SDK version: a plugin built with anything else is rejected
// (the vtables and std:: types that cross the boundary are only compatible within one toolchain).
inline constexpr const char* kBuildFingerprint =
    "gcc-" __VERSION__ ";cxx-" TESSIE_SDK_STRINGIFY(__cplusplus) ";glibcxx-abi-" TESSIE_SDK_STRINGIFY(
        _GLIBCXX_USE_CXX11_ABI) ";boost-" BOOST_LIB_VERSION ";sdk-" TESSIE_SDK_VERSION_STRING;

}  // namespace v1
}  // namespace tessie::sdk
