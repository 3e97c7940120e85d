#pragma once
// Reading and changing a host's SQLite file from a test, to set up what only an older build or damage could
// leave behind. Header-only: the integration tests link SQLite themselves.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <string>

namespace tessie::testing {

// Runs `statements` (';'-separated) on the database `file`, waiting up to 5 s for a running host's locks.
// Returns the first column of the last row returned ("NULL" for a null, "" when none); a SQL error fails the test.
inline std::string SqliteExec(const std::filesystem::path& file, const std::string& statements) {
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  std::string result;
  char* error = nullptr;
  sqlite3_exec(
      db, statements.c_str(),
      [](void* out, int, char** values, char**) {
        *static_cast<std::string*>(out) = values[0] ? values[0] : "NULL";
        return 0;
      },
      &result, &error);
  EXPECT_EQ(error, nullptr) << error;
  sqlite3_free(error);
  sqlite3_close(db);
  return result;
}

}  // namespace tessie::testing
