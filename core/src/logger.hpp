#pragma once
#include <atomic>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "tessie/sdk/log.hpp"

namespace tessie::core {

// `text` with every control character (below 0x20, and DEL) written as an escape (\n, \r, \t, \x1b, \x00):
// one call to Write is one line, whatever a client put into a path, header or name (log injection).
std::string EscapeControl(std::string_view text);

// The one log sink of the process: "2026-11-27T12:00:00.123Z INFO  [component] message" per line on
// stderr (the journal adds its own timestamp; ours keeps order across components). Thread-safe.
// Every registered secret is replaced by "***" before a line is written, whichever component logs it; control
// characters are escaped (EscapeControl).
class LogSink {
 public:
  explicit LogSink(std::ostream& out, sdk::LogLevel min_level = sdk::LogLevel::kInfo);
  void SetMinLevel(sdk::LogLevel level);
  // Whether a line of `level` would be written (lock-free: callers skip formatting lines nobody reads).
  bool Enabled(sdk::LogLevel level) const { return level >= min_level_.load(std::memory_order_relaxed); }
  // Secrets shorter than 4 characters are ignored (they would mask ordinary words).
  void AddSecret(const std::string& secret);
  void Write(sdk::LogLevel level, std::string_view component, std::string_view message);
  std::string Redact(std::string_view text) const;

 private:
  std::ostream& out_;
  mutable std::mutex mutex_;
  std::atomic<sdk::LogLevel> min_level_;
  std::vector<std::string> secrets_;
};

// A Logger bound to one component name (a plugin or a core part).
class ComponentLogger final : public sdk::Logger {
 public:
  ComponentLogger(LogSink& sink, std::string component) : sink_(sink), component_(std::move(component)) {}
  void Write(sdk::LogLevel level, std::string_view message) override { sink_.Write(level, component_, message); }

 private:
  LogSink& sink_;
  std::string component_;
};

sdk::LogLevel ParseLogLevel(const std::string& text);

}  // namespace tessie::core
