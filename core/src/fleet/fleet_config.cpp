#include "fleet/fleet_config.hpp"

namespace tessie::core::fleet {

FleetConfig FleetConfig::From(const sdk::ConfigSection& t) {
  FleetConfig c;
  auto str = [&](const char* key) { return t.Has(key) ? t.GetString(key) : std::string(); };
  c.base_url = str("base_url");
  c.auth_url = str("auth_url");
  c.authorize_url = str("authorize_url");
  c.client_id = str("client_id");
  c.client_secret = str("client_secret");
  c.redirect_uri = str("redirect_uri");
  c.region = str("region");
  c.scopes = str("scopes");
  if (t.Has("cache_ttl")) c.cache_ttl = t.GetDuration("cache_ttl");
  if (t.Has("request_timeout")) c.timeout = t.GetDuration("request_timeout");
  if (t.Has("daily_budget_usd")) c.daily_budget_usd = t.GetDouble("daily_budget_usd");
  while (!c.base_url.empty() && c.base_url.back() == '/') c.base_url.pop_back();
  return c;
}

}  // namespace tessie::core::fleet
