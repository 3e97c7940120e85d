#pragma once
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tessie::core::fleet {

// What the host is doing with the Tesla account, in the words the dashboard shows a new owner:
//   not_connected → connecting → discovering → backfilling (N of M days) → ready.
// Plain logic: the host feeds it what it knows (auth, its discovery jobs, the plugins' progress events)
// and asks for a Snapshot. Thread-safe.
class AccountProgress {
 public:
  // One of the jobs that discover the account's products (a plugin's sync job named "discover").
  struct DiscoveryJob {
    std::string owner;
    bool running = false;
    std::uint64_t runs = 0;
    std::int64_t last_run_ms = 0;  // start of the last run, epoch ms (0 = never)
    std::string last_error;        // of the last run; "" when it succeeded
  };
  struct Auth {
    bool connected = false;  // a token is stored and not marked broken
    bool broken = false;     // Tesla refused the stored token (login_required)
    bool verified = false;   // an access token was obtained with it (a refresh succeeded)
    std::string last_error;
  };
  struct Backfill {
    std::string target;
    std::string name;
    int days_done = 0;
    int days_total = 0;
  };
  struct Snapshot {
    std::string phase;              // not_connected, connecting, discovering, backfilling, ready
    std::string message;            // one sentence for the owner
    std::string last_error;         // in the owner's words; "" when none
    std::string last_error_detail;  // the technical text it was made from (never a secret)
    int vehicles = -1;              // as last discovered; -1 = not yet
    int energy_sites = -1;
    int days_done = 0;  // over every backfill in progress or done
    int days_total = 0;
    std::vector<Backfill> backfills;
  };

  // A token was stored (POST /api/auth/token, Sign in with Tesla) at `now_ms`: discovery is due again.
  void OnConnected(std::int64_t now_ms);
  // `backfills`: how many of the `count` items will report a backfill (OnBackfill).
  void OnDiscovered(const std::string& kind, int count, int backfills = 0);
  void OnBackfill(const Backfill& b);
  // The account was disconnected: counts and backfills are forgotten.
  void OnDisconnected();

  Snapshot Compute(const Auth& auth, const std::vector<DiscoveryJob>& jobs) const;

  // A Fleet API error (as the client words it) in words an owner understands, with what to do.
  static std::string Humanize(const std::string& error);

 private:
  mutable std::mutex mutex_;
  std::int64_t connected_ms_ = 0;
  std::map<std::string, int> counts_;
  std::map<std::string, int> expected_backfills_;  // per kind
  std::map<std::string, Backfill> backfills_;
};

}  // namespace tessie::core::fleet
