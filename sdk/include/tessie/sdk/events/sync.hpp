#pragma once
// Progress reports of the plugins that bring the account's data in, for the host's first-run status
// (GET /api/sync/status → progress). Published on the plugin's job thread; the host's subscriber only
// records them (quick, thread-safe). Plain structs: adding one changes no existing interface.
#include <string>
#include <string_view>

namespace tessie::sdk {
inline namespace v1 {
namespace events {

// A discovery run of the account finished: `count` items of `kind` ("vehicles", "energy_sites") are
// tracked now, and `backfills` of them will report their history backfill (SyncBackfill) — until each
// has, the host says the history is being prepared rather than "ready". Published after every
// successful run, also when nothing changed.
struct SyncDiscovered {
  static constexpr std::string_view kTopic = "sync.discovered";
  std::string kind;
  int count = 0;
  int backfills = 0;
};

// Where a history backfill stands, after each step: `days_done` of `days_total` local days fetched;
// days_done == days_total once it is complete (then only the current days are kept up to date).
struct SyncBackfill {
  static constexpr std::string_view kTopic = "sync.backfill";
  std::string target;  // stable id of what is backfilled, e.g. "energy_site:123456"
  std::string name;    // what the owner calls it, e.g. the site's name
  int days_done = 0;
  int days_total = 0;
};

}  // namespace events
}  // namespace v1
}  // namespace tessie::sdk
