#include "logger.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/Timestamp.h>

#include <stdexcept>

namespace tessie::core {

namespace {
const char* LevelName(sdk::LogLevel level) {
  switch (level) {
    case sdk::LogLevel::kDebug:
      return "DEBUG";
    case sdk::LogLevel::kInfo:
      return "INFO ";
    case sdk::LogLevel::kWarn:
      return "WARN ";
    case sdk::LogLevel::kError:
      return "ERROR";
  }
  return "?";
}
}  // namespace

std::string EscapeControl(std::string_view text) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) {
      out += ch;
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else {
      out += "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    }
  }
  return out;
}

LogSink::LogSink(std::ostream& out, sdk::LogLevel min_level) : out_(out), min_level_(min_level) {}

void LogSink::SetMinLevel(sdk::LogLevel level) { min_level_ = level; }

void LogSink::AddSecret(const std::string& secret) {
  if (secret.size() < 4) return;
  std::lock_guard lock(mutex_);
  for (const auto& s : secrets_)
    if (s == secret) return;
  secrets_.push_back(secret);
}

std::string LogSink::Redact(std::string_view text) const {
  std::string out(text);
  std::lock_guard lock(mutex_);
  for (const auto& secret : secrets_) {
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3)) {
      out.replace(pos, secret.size(), "***");
    }
  }
  return out;
}

void LogSink::Write(sdk::LogLevel level, std::string_view component, std::string_view message) {
  if (!Enabled(level)) return;
  std::string line = Poco::DateTimeFormatter::format(Poco::Timestamp(), "%Y-%m-%dT%H:%M:%S.%iZ");
  line += ' ';
  line += LevelName(level);
  line += " [";
  line += EscapeControl(component);
  line += "] ";
  line += EscapeControl(Redact(message));
  line += '\n';
  std::lock_guard lock(mutex_);
  out_ << line << std::flush;
}

sdk::LogLevel ParseLogLevel(const std::string& text) {
  if (text == "debug") return sdk::LogLevel::kDebug;
  if (text == "info") return sdk::LogLevel::kInfo;
  if (text == "warn" || text == "warning") return sdk::LogLevel::kWarn;
  if (text == "error") return sdk::LogLevel::kError;
  throw std::invalid_argument("unknown log level '" + text + "' (use debug, info, warn or error)");
}

}  // namespace tessie::core
