#include "test_seams.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>

namespace tessie::testing {

std::function<void()> CrashAfterTokenRefreshFromEnvironment() {
  const char* value = std::getenv("TESSIE_TEST_CRASH_AFTER_TOKEN_REFRESH");
  if (!value) return {};
  int n = 1;
  try {
    n = std::max(1, std::stoi(value));
  } catch (const std::exception&) {
  }
  auto refreshes = std::make_shared<std::atomic<int>>(0);
  return [refreshes, n] {
    if (++*refreshes >= n) std::_Exit(86);  // no cleanup: a crash, as kill -9 would leave it
  };
}

}  // namespace tessie::testing
