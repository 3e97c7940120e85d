#pragma once
#include <string_view>

#include "tessie/sdk/version.hpp"

namespace tessie::sdk {
inline namespace v1 {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// A plugin's logger: every line carries the plugin's name. Thread-safe.
// Known secrets (tokens, passwords, keys) are masked by the host before a line is written, but never pass
// one on purpose.
class TESSIE_SDK_API Logger {
 public:
  virtual ~Logger() = default;
  virtual void Write(LogLevel level, std::string_view message) = 0;

  void Debug(std::string_view m) { Write(LogLevel::kDebug, m); }
  void Info(std::string_view m) { Write(LogLevel::kInfo, m); }
  void Warn(std::string_view m) { Write(LogLevel::kWarn, m); }
  void Error(std::string_view m) { Write(LogLevel::kError, m); }
};

}  // namespace v1
}  // namespace tessie::sdk
