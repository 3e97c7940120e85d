#include "logger.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <string>

using namespace std::string_literals;

namespace tessie::core {
namespace {

TEST(LogSink, AClientCannotForgeALine) {
  std::ostringstream out;
  LogSink sink(out);
  // What a request path like /x%0a2026-01-01T00:00:00.000Z%20ERROR%20[core]%20forged decodes to, with NUL and ESC.
  sink.Write(sdk::LogLevel::kInfo, "access", "GET /x\n2026-01-01T00:00:00.000Z ERROR [core] forged\r\x1b[31m\0end"s);
  const std::string text = out.str();
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 1) << text;
  EXPECT_NE(text.find("/x\\n2026-01-01T00:00:00.000Z ERROR [core] forged\\r\\x1b[31m\\x00end"), std::string::npos) << text;
}

TEST(LogSink, SecretsAreRedactedBeforeEscaping) {
  std::ostringstream out;
  LogSink sink(out);
  sink.AddSecret("NA_secret\ntoken");
  sink.Write(sdk::LogLevel::kWarn, "fleet", "refresh with NA_secret\ntoken failed");
  EXPECT_EQ(out.str().find("secret"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("refresh with *** failed"), std::string::npos) << out.str();
}

TEST(EscapeControl, KeepsPrintableAndUtf8) {
  EXPECT_EQ(EscapeControl("Zoë's car \xE2\x80\x94 \"ok\" \\ 100%"), "Zoë's car \xE2\x80\x94 \"ok\" \\ 100%");
  EXPECT_EQ(EscapeControl("\t\x7f"), "\\t\\x7f");
}

}  // namespace
}  // namespace tessie::core
