#include "settings.hpp"

#include <chrono>

#include "local_time.hpp"

namespace tessie::powerwall {
namespace {

using sdk::ConfigField;

ConfigField Duration(const char* key, const char* desc, std::int64_t default_ms, std::int64_t min_ms,
                     const char* min_text) {
  return ConfigField::Duration(key, desc)
      .Default(std::chrono::milliseconds(default_ms))
      .Validate([min_ms, min_text](const Poco::Dynamic::Var& v) -> std::string {
        return v.convert<Poco::Int64>() >= min_ms ? "" : std::string("must be at least ") + min_text;
      });
}

}  // namespace

sdk::ConfigSchema Schema() {
  return {
      Duration("live_interval", "how often live_status is recorded per site", 60'000, 10'000, "10s"),
      Duration("history_interval", "how often today's and yesterday's 5-minute energy are re-fetched", 600'000, 60'000,
               "1m"),
      Duration("backfill_delay", "pause between two backfill requests (one local day each)", 2'000, 100, "100ms"),
      Duration("discovery_interval", "how often the account's energy sites and site_info are refreshed", 3600'000,
               60'000, "1m"),
      ConfigField::Bool("backfill", "fetch the energy history since the installation date on first start").Default(true),
      ConfigField::Int("backfill_max_days", "backfill at most this many days back (0: since the installation date)")
          .Default(0)
          .Validate([](const Poco::Dynamic::Var& v) -> std::string {
            return v.convert<Poco::Int64>() >= 0 ? "" : "must be 0 (no limit) or more";
          }),
      ConfigField::String("time_zone",
                          "IANA time zone for sites that report none (installation_time_zone empty); default UTC")
          .Default("UTC")
          .Validate([](const Poco::Dynamic::Var& v) -> std::string {
            try {
              local_time::Zone zone(v.toString());
              return "";
            } catch (const std::exception& e) {
              return e.what();
            }
          }),
  };
}

Settings ReadSettings(const sdk::ConfigSection& c) {
  Settings s;
  s.live_interval = c.GetDuration("live_interval");
  s.history_interval = c.GetDuration("history_interval");
  s.backfill_delay = c.GetDuration("backfill_delay");
  s.discovery_interval = c.GetDuration("discovery_interval");
  s.backfill = c.GetBool("backfill");
  s.backfill_max_days = static_cast<int>(c.GetInt("backfill_max_days"));
  s.time_zone = c.GetString("time_zone");
  return s;
}

}  // namespace tessie::powerwall
