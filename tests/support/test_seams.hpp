#pragma once
// Fault injection for tessie-stats-seams, the host built for the tests that need a fault inside the process
// (tests/CMakeLists.txt). Never part of tessie-stats: the product reads no test variable.
#include <functional>

namespace tessie::testing {

// The Fleet client's refresh seam (fleet::TokenKeeper::RefreshReceivedHook): with
// TESSIE_TEST_CRASH_AFTER_TOKEN_REFRESH=N in the environment, the process exits with status 86 at its N-th
// refresh (1, or anything that is not a number: the first), after the rotated token arrived and before it is
// stored. Without the variable: no hook.
std::function<void()> CrashAfterTokenRefreshFromEnvironment();

}  // namespace tessie::testing
