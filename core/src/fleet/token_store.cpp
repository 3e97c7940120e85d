#include "fleet/token_store.hpp"

namespace tessie::core::fleet {

namespace {
constexpr const char* kRefreshLabel = "tesla.refresh_token";
constexpr const char* kAccessLabel = "tesla.access_token";
}  // namespace

TokenStore::TokenStore(Storage& storage, SecretBox box) : storage_(storage), box_(std::move(box)) {}

void TokenStore::Migrate() {
  storage_.Migrate(
      "core",
      {
          {1, "tesla tokens and API usage",
           "CREATE TABLE tesla_auth (id INTEGER PRIMARY KEY, refresh_token_enc TEXT, access_token_enc TEXT, "
           "access_expires_ms BIGINT NOT NULL DEFAULT 0, base_url TEXT NOT NULL DEFAULT '', "
           "last_refresh_ms BIGINT NOT NULL DEFAULT 0, updated_ms BIGINT NOT NULL DEFAULT 0, "
           "broken INTEGER NOT NULL DEFAULT 0, last_error TEXT NOT NULL DEFAULT '');"
           "INSERT INTO tesla_auth (id) VALUES (1);"
           "CREATE TABLE fleet_api_usage (day TEXT NOT NULL, target TEXT NOT NULL, category TEXT NOT NULL, "
           "billable BIGINT NOT NULL DEFAULT 0, free BIGINT NOT NULL DEFAULT 0, PRIMARY KEY (day, target, category))"},
      });
}

TokenStore::State TokenStore::Load() const {
  sdk::SqlResult r;
  storage_.InTransaction([&](sdk::Transaction& tx) {
    r = tx.Query(
        "SELECT refresh_token_enc, access_token_enc, access_expires_ms, base_url, last_refresh_ms, updated_ms, broken, "
        "last_error FROM tesla_auth WHERE id = 1");
  });
  State s;
  if (r.rows.empty()) return s;
  const auto& row = r.rows[0];
  if (!row.IsNull(0) && !row.String(0).empty()) {
    s.has_token = true;
    s.refresh_token = box_.Open(row.String(0), kRefreshLabel);
  }
  if (!row.IsNull(1) && !row.String(1).empty()) s.access_token = box_.Open(row.String(1), kAccessLabel);
  s.access_expires_ms = row.Int(2);
  s.base_url = row.String(3);
  s.last_refresh_ms = row.Int(4);
  s.updated_ms = row.Int(5);
  s.broken = row.Int(6) != 0;
  s.last_error = row.String(7);
  return s;
}

void TokenStore::StoreNew(const std::string& refresh_token, const std::string& access_token,
                          std::int64_t access_expires_ms, std::int64_t now_ms) {
  storage_.InTransaction([&](sdk::Transaction& tx) {
    tx.Execute(
        "UPDATE tesla_auth SET refresh_token_enc = ?, access_token_enc = ?, access_expires_ms = ?, updated_ms = ?, "
        "broken = 0, last_error = '' WHERE id = 1",
        {box_.Seal(refresh_token, kRefreshLabel),
         access_token.empty() ? sdk::SqlValue(std::string()) : sdk::SqlValue(box_.Seal(access_token, kAccessLabel)),
         access_token.empty() ? std::int64_t{0} : access_expires_ms, now_ms});
  });
}

void TokenStore::StoreRefreshed(const std::string& refresh_token, const std::string& access_token,
                                std::int64_t access_expires_ms, std::int64_t now_ms) {
  storage_.InTransaction([&](sdk::Transaction& tx) {
    tx.Execute(
        "UPDATE tesla_auth SET refresh_token_enc = ?, access_token_enc = ?, access_expires_ms = ?, last_refresh_ms = "
        "?, "
        "updated_ms = ?, broken = 0, last_error = '' WHERE id = 1",
        {box_.Seal(refresh_token, kRefreshLabel), box_.Seal(access_token, kAccessLabel), access_expires_ms, now_ms,
         now_ms});
  });
}

void TokenStore::MarkBroken(const std::string& error, std::int64_t now_ms) {
  storage_.Execute(
      "UPDATE tesla_auth SET broken = 1, last_error = ?, access_token_enc = '', updated_ms = ? WHERE id = 1",
      {error, now_ms});
}

void TokenStore::SetLastError(const std::string& error) {
  storage_.Execute("UPDATE tesla_auth SET last_error = ? WHERE id = 1", {error});
}

void TokenStore::SetBaseUrl(const std::string& base_url) {
  storage_.Execute("UPDATE tesla_auth SET base_url = ? WHERE id = 1", {base_url});
}

void TokenStore::Clear() {
  storage_.Execute(
      "UPDATE tesla_auth SET refresh_token_enc = '', access_token_enc = '', access_expires_ms = 0, broken = 0, "
      "last_error = '', base_url = '' WHERE id = 1");
}

}  // namespace tessie::core::fleet
