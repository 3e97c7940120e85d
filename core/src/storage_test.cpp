#include "storage.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <future>
#include <sstream>

#include "auth.hpp"

namespace tessie::core {
namespace {

TEST(StorageSql, PostgresPlaceholdersSkipQuotedText) {
  EXPECT_EQ(ToPostgresPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND c = ?"),
            "SELECT * FROM t WHERE a = $1 AND b = '?' AND c = $2");
}

TEST(StorageSql, SplitsScriptsOutsideQuotes) {
  const auto parts = SplitStatements("CREATE TABLE a (x TEXT DEFAULT ';');\n\n INSERT INTO a VALUES ('b');  ");
  ASSERT_EQ(parts.size(), 2u);
  EXPECT_EQ(parts[1], "INSERT INTO a VALUES ('b')");
}

TEST(StorageSql, PostgresUrlBecomesConnectionStringWithoutLeakingOnError) {
  EXPECT_EQ(PostgresConnectionString("postgresql://u:p%40ss@db:5433/tessie"),
            "host='db' port='5433' dbname='tessie' user='u' password='p@ss' connect_timeout='5'");
  try {
    PostgresConnectionString("postgresql://u:s3cretpw@db/");
    FAIL();
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cretpw"), std::string::npos);
  }
}

// The same behaviour on both backends: SQLite always, PostgreSQL when `make test` provides one.
class StorageTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      const char* url = std::getenv("TESSIE_TEST_PG_URL");
      if (!url) {
        if (std::getenv("TESSIE_TEST_REQUIRE_PG")) FAIL() << "TESSIE_TEST_PG_URL is not set";
        GTEST_SKIP() << "no PostgreSQL (set TESSIE_TEST_PG_URL)";
      }
      url_ = url;
    }
    dir_ = std::filesystem::temp_directory_path() / ("tessie-storage-" + RandomHex(4));
    storage_ = std::make_unique<Storage>(url_, dir_, 2, log_);
    owner_ = "test_" + RandomHex(4);
    table_ = owner_ + "_items";
  }
  void TearDown() override {
    if (storage_) {
      storage_->InTransaction([&](sdk::Transaction& tx) { tx.Execute("DROP TABLE IF EXISTS " + table_); });
      storage_->InTransaction(
          [&](sdk::Transaction& tx) { tx.Execute("DELETE FROM schema_migrations WHERE owner = ?", {owner_}); });
    }
    storage_.reset();
    std::filesystem::remove_all(dir_);
  }
  std::vector<sdk::Migration> Migrations() const {
    return {{1, "create items",
             "CREATE TABLE " + table_ +
                 " (id {{pk}}, name TEXT NOT NULL, ts_ms BIGINT, power_w {{real}}, raw {{json}});"
                 "CREATE INDEX " +
                 table_ + "_ts ON " + table_ + " (ts_ms)"},
            {2, "add flag", "ALTER TABLE " + table_ + " ADD COLUMN flag INTEGER DEFAULT 0"}};
  }

  std::ostringstream out_;
  LogSink log_{out_};
  std::string url_;
  std::filesystem::path dir_;
  std::unique_ptr<Storage> storage_;
  std::string owner_, table_;
};

// Hosts sharing one database start at the same moment (found by the ASan run: two test processes on a fresh
// PostgreSQL failed with "type schema_migrations already exists"): every storage opens and migrates, and each
// migration is applied exactly once.
TEST_P(StorageTest, StoragesOpeningAndMigratingAtOnceApplyEachMigrationOnce) {
  if (GetParam() != "postgresql") GTEST_SKIP() << "a SQLite file belongs to one host";
  std::vector<std::future<void>> starts;
  for (int i = 0; i < 4; ++i) {
    starts.push_back(std::async(std::launch::async, [&] {
      std::ostringstream out;
      LogSink log(out);
      Storage storage(url_, dir_, 2, log);
      storage.Migrate(owner_, Migrations());
    }));
  }
  for (auto& s : starts) EXPECT_NO_THROW(s.get());
  sdk::SqlResult r;
  storage_->InTransaction(
      [&](sdk::Transaction& tx) { r = tx.Query("SELECT COUNT(*) FROM schema_migrations WHERE owner = ?", {owner_}); });
  EXPECT_EQ(r.rows.at(0).Int(0), 2);
}

TEST_P(StorageTest, MigrationsApplyOnceAndRoundTripValues) {
  storage_->Migrate(owner_, Migrations());
  storage_->Migrate(owner_, Migrations());  // idempotent
  auto count = [&] {
    sdk::SqlResult r;
    storage_->InTransaction([&](sdk::Transaction& tx) {
      r = tx.Query("SELECT COUNT(*) FROM schema_migrations WHERE owner = ?", {owner_});
    });
    return r.rows.at(0).Int(0);
  };
  EXPECT_EQ(count(), 2);

  const std::int64_t big = 1'700'000'000'123LL;
  sdk::SqlResult inserted;
  storage_->InTransaction([&](sdk::Transaction& tx) {
    inserted = tx.Query("INSERT INTO " + table_ + " (name, ts_ms, power_w, raw) VALUES (?, ?, ?, ?) RETURNING id",
                        {std::string("it's"), big, 7.5, std::string("{\"a\": 1}")});
    tx.Execute("INSERT INTO " + table_ + " (name, ts_ms, power_w, raw) VALUES (?, ?, ?, ?)",
               {std::string("null"), std::monostate{}, std::monostate{}, std::monostate{}});
  });
  ASSERT_EQ(inserted.rows.size(), 1u);
  EXPECT_GT(inserted.rows[0].Int(0), 0);

  sdk::SqlResult rows;
  storage_->InTransaction([&](sdk::Transaction& tx) {
    rows = tx.Query("SELECT name, ts_ms, power_w, flag FROM " + table_ + " ORDER BY id");
  });
  ASSERT_EQ(rows.rows.size(), 2u);
  EXPECT_EQ(rows.rows[0].String(rows.Index("name")), "it's");
  EXPECT_EQ(rows.rows[0].Int(1), big);
  EXPECT_DOUBLE_EQ(rows.rows[0].Double(2), 7.5);
  EXPECT_EQ(rows.rows[0].Int(3), 0);
  EXPECT_TRUE(rows.rows[1].IsNull(1));
  EXPECT_TRUE(rows.rows[1].IsNull(2));
}

TEST_P(StorageTest, FailedTransactionLeavesNothing) {
  storage_->Migrate(owner_, Migrations());
  EXPECT_THROW(storage_->InTransaction([&](sdk::Transaction& tx) {
    tx.Execute("INSERT INTO " + table_ + " (name) VALUES (?)", {std::string("a")});
    throw std::runtime_error("abort");
  }),
               std::runtime_error);
  EXPECT_THROW(storage_->InTransaction([&](sdk::Transaction& tx) {
    tx.Execute("INSERT INTO " + table_ + " (name) VALUES (?)", {std::string("b")});
    tx.Execute("INSERT INTO " + table_ + " (name) VALUES (?)", {std::monostate{}});  // NOT NULL
  }),
               sdk::StorageError);
  sdk::SqlResult r;
  storage_->InTransaction([&](sdk::Transaction& tx) { r = tx.Query("SELECT COUNT(*) FROM " + table_); });
  EXPECT_EQ(r.rows.at(0).Int(0), 0);
  EXPECT_TRUE(storage_->Ping());
}

TEST_P(StorageTest, BrokenMigrationIsNamedAndNotRecorded) {
  std::vector<sdk::Migration> bad = {
      {1, "broken", "CREATE TABLE " + table_ + " (id {{pk}}); CREATE TABLE nonsense syntax here"}};
  try {
    storage_->Migrate(owner_, bad);
    FAIL();
  } catch (const sdk::StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("migration 1 (broken)"), std::string::npos) << e.what();
  }
  sdk::SqlResult r;
  storage_->InTransaction(
      [&](sdk::Transaction& tx) { r = tx.Query("SELECT COUNT(*) FROM schema_migrations WHERE owner = ?", {owner_}); });
  EXPECT_EQ(r.rows.at(0).Int(0), 0);
  // The first statement was rolled back with the second: the table does not exist.
  EXPECT_THROW(storage_->InTransaction([&](sdk::Transaction& tx) { tx.Query("SELECT * FROM " + table_); }),
               sdk::StorageError);
}

TEST_P(StorageTest, QueryEachSeesTheSameRowsAsQueryInsideTheTransaction) {
  storage_->Migrate(owner_, Migrations());
  const std::string packed(5000, 'x');  // larger than any small-string buffer: the row's string is reused
  std::vector<std::vector<std::string>> seen;
  storage_->InTransaction([&](sdk::Transaction& tx) {
    for (int i = 0; i < 3; ++i) {
      tx.Execute("INSERT INTO " + table_ + " (name, ts_ms, power_w, raw) VALUES (?, ?, ?, ?)",
                 {packed + std::to_string(i), std::int64_t{1'700'000'000'000LL + i}, 0.5 * i,
                  i == 1 ? sdk::SqlValue{} : sdk::SqlValue{std::string("{}")}});
    }
    // Uncommitted rows of this transaction are visible, in the asked order, with their types.
    tx.QueryEach("SELECT name, ts_ms, power_w, raw FROM " + table_ + " WHERE ts_ms >= ? ORDER BY ts_ms DESC",
                 {std::int64_t{1'700'000'000'001LL}}, [&](const sdk::SqlRow& row) {
                   seen.push_back({row.String(0), std::to_string(row.Int(1)), std::to_string(row.Double(2)),
                                   row.IsNull(3) ? "NULL" : row.String(3)});
                 });
  });
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0], (std::vector<std::string>{packed + "2", "1700000000002", std::to_string(1.0), "{}"}));
  EXPECT_EQ(seen[1], (std::vector<std::string>{packed + "1", "1700000000001", std::to_string(0.5), "NULL"}));

  // The same through Database's one-statement form, and errors name the statement.
  std::size_t n = 0;
  storage_->InTransaction([&](sdk::Transaction& tx) {
    tx.QueryEach("SELECT name FROM " + table_, {}, [&](const sdk::SqlRow& row) { n += row.String(0).size(); });
  });
  EXPECT_EQ(n, 3 * 5001u);
  try {
    storage_->InTransaction(
        [&](sdk::Transaction& tx) { tx.QueryEach("SELECT nonsense FROM " + table_, {}, [](const sdk::SqlRow&) {}); });
    FAIL();
  } catch (const sdk::StorageError& e) {
    EXPECT_NE(std::string(e.what()).find("SELECT nonsense"), std::string::npos) << e.what();
  }
  EXPECT_THROW(storage_->InTransaction([&](sdk::Transaction& tx) {
    tx.QueryEach("SELECT name FROM " + table_ + " WHERE ts_ms = ?", {}, [](const sdk::SqlRow&) {});
  }),
               sdk::StorageError);
}

// A REST read must not wait for a sync job's write transaction (SQLite served every read through the one
// writer connection behind one mutex): a read transaction runs while a write transaction is open, sees only
// what was committed, and cannot write.
TEST_P(StorageTest, ReadsRunBesideAnOpenWriteAndSeeOnlyCommittedRows) {
  storage_->Migrate(owner_, Migrations());
  storage_->InTransaction(
      [&](sdk::Transaction& tx) { tx.Execute("INSERT INTO " + table_ + " (name) VALUES ('committed')"); });
  std::promise<void> written, release;
  auto writer = std::async(std::launch::async, [&] {
    storage_->InTransaction([&](sdk::Transaction& tx) {
      tx.Execute("INSERT INTO " + table_ + " (name) VALUES ('pending')");
      written.set_value();
      release.get_future().wait();
    });
  });
  written.get_future().wait();
  auto reader = std::async(std::launch::async, [&] {
    std::vector<std::string> names;
    PluginDatabase db(*storage_, owner_);
    db.QueryEach("SELECT name FROM " + table_ + " ORDER BY id", {},
                 [&](const sdk::SqlRow& row) { names.push_back(row.String(0)); });
    return names;
  });
  const bool read_alone = reader.wait_for(std::chrono::seconds(10)) == std::future_status::ready;
  release.set_value();
  writer.get();
  if (GetParam() == "sqlite") {
    ASSERT_TRUE(read_alone) << "the read waited for the open write transaction";
  }
  EXPECT_EQ(reader.get(), std::vector<std::string>{"committed"});
  PluginDatabase db(*storage_, owner_);
  EXPECT_EQ(db.Query("SELECT COUNT(*) FROM " + table_).rows.at(0).Int(0), 2);
  // The same statement again (SQLite reuses its prepared form) with other values, and the column names.
  for (const std::string name : {"committed", "pending", "absent"}) {
    const auto r = db.Query("SELECT name AS n, id FROM " + table_ + " WHERE name = ?", {name});
    EXPECT_EQ(r.columns, (std::vector<std::string>{"n", "id"}));
    ASSERT_EQ(r.rows.size(), name == "absent" ? 0u : 1u) << name;
    if (!r.rows.empty()) {
      EXPECT_EQ(r.rows[0].String(r.Index("n")), name);
    }
  }
  EXPECT_THROW(db.Query("SELECT nothing FROM " + table_), sdk::StorageError);
  EXPECT_THROW(storage_->InReadTransaction([&](sdk::Transaction& tx) {
    tx.Execute("INSERT INTO " + table_ + " (name) VALUES ('no')");
  }),
               sdk::StorageError);
}

// A plugin's writes take the buffered path (measured as tessie_storage_write_duration_seconds) exactly when the
// caller opened a BufferedWriteScope (the host does around every job run); a REST handler's never do.
TEST_P(StorageTest, APluginsWritesAreBufferableOnlyInsideABufferedWriteScope) {
  MetricsRegistry metrics;
  storage_->SetMetrics(&metrics);
  PluginDatabase db(*storage_, owner_);
  db.Migrate(Migrations());
  const auto insert = [&] { db.Execute("INSERT INTO " + table_ + " (name) VALUES (?)", {std::string("x")}); };
  insert();
  EXPECT_EQ(metrics.Value("tessie_storage_write_duration_seconds"), 0);
  {
    BufferedWriteScope job;
    insert();
  }
  EXPECT_EQ(metrics.Value("tessie_storage_write_duration_seconds"), 1);
  insert();
  EXPECT_EQ(metrics.Value("tessie_storage_write_duration_seconds"), 1);
  EXPECT_EQ(db.Query("SELECT COUNT(*) FROM " + table_).rows.at(0).Int(0), 3);
  storage_->SetMetrics(nullptr);
}

TEST(StorageSql, OnlyASelectTakesAReadConnection) {
  EXPECT_TRUE(sdk::Database::IsSelect("SELECT 1"));
  EXPECT_TRUE(sdk::Database::IsSelect("\n  (select * from t)"));
  EXPECT_FALSE(sdk::Database::IsSelect("INSERT INTO t VALUES (1) RETURNING id"));
  EXPECT_FALSE(sdk::Database::IsSelect("WITH x AS (SELECT 1) DELETE FROM t"));
  EXPECT_FALSE(sdk::Database::IsSelect("selection"));
  EXPECT_FALSE(sdk::Database::IsSelect("SELECT"));
}

INSTANTIATE_TEST_SUITE_P(Backends, StorageTest, ::testing::Values("sqlite", "postgresql"));

}  // namespace
}  // namespace tessie::core
