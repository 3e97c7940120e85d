#include "fleet/account_progress.hpp"

#include <algorithm>

namespace tessie::core::fleet {

namespace {

bool Contains(const std::string& text, const char* part) { return text.find(part) != std::string::npos; }

std::string Plural(int n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }

}  // namespace

void AccountProgress::OnConnected(std::int64_t now_ms) {
  std::lock_guard lock(mutex_);
  connected_ms_ = now_ms;
}

void AccountProgress::OnDiscovered(const std::string& kind, int count, int backfills) {
  std::lock_guard lock(mutex_);
  counts_[kind] = count;
  expected_backfills_[kind] = backfills;
}

void AccountProgress::OnBackfill(const Backfill& b) {
  std::lock_guard lock(mutex_);
  backfills_[b.target] = b;
}

void AccountProgress::OnDisconnected() {
  std::lock_guard lock(mutex_);
  counts_.clear();
  expected_backfills_.clear();
  backfills_.clear();
}

std::string AccountProgress::Humanize(const std::string& error) {
  if (error.empty()) return "";
  if (Contains(error, "login_required") || Contains(error, "refused the access token") ||
      Contains(error, "did not accept") || Contains(error, "sign in again") || Contains(error, "no refresh token")) {
    return "Tesla no longer accepts the stored sign-in. Connect the account again in Settings.";
  }
  if (Contains(error, "Tesla refused")) {
    return "Tesla refused the request: the sign-in lacks a permission (scope) or the app is not registered for "
           "this region. Connect again and allow vehicle and energy data.";
  }
  if (Contains(error, "rate limited")) return "Tesla asked to slow down; the host tries again shortly.";
  if (Contains(error, "budget")) return "Today's Fleet API budget is spent; data resumes tomorrow.";
  if (Contains(error, "did not answer") || Contains(error, "failed:") || Contains(error, "timed out") ||
      Contains(error, "Connection refused")) {
    return "Tesla could not be reached; the host tries again shortly. Check the network if this persists.";
  }
  if (Contains(error, "Tesla answered 5")) return "Tesla's servers had a problem; the host tries again shortly.";
  if (Contains(error, "region")) return "Tesla pointed to another region and it could not be followed; see the log.";
  return "Something went wrong talking to Tesla; the host tries again shortly (details below).";
}

AccountProgress::Snapshot AccountProgress::Compute(const Auth& auth, const std::vector<DiscoveryJob>& jobs) const {
  std::lock_guard lock(mutex_);
  Snapshot s;
  if (auto it = counts_.find("vehicles"); it != counts_.end()) s.vehicles = it->second;
  if (auto it = counts_.find("energy_sites"); it != counts_.end()) s.energy_sites = it->second;
  for (const auto& [target, b] : backfills_) {
    s.backfills.push_back(b);
    s.days_done += b.days_done;
    s.days_total += b.days_total;
  }
  if (!auth.connected) {
    s.phase = "not_connected";
    s.message = auth.broken ? "Tesla no longer accepts the stored sign-in: connect the account again in Settings."
                            : "No Tesla account is connected yet: connect it in Settings (Sign in with Tesla or a "
                              "refresh token). Cars and energy sites appear within seconds.";
    if (auth.broken) {
      s.last_error = Humanize(auth.last_error.empty() ? "login_required" : auth.last_error);
      s.last_error_detail = auth.last_error;
    }
    s.vehicles = s.energy_sites = -1;
    s.backfills.clear();
    s.days_done = s.days_total = 0;
    return s;
  }
  for (const auto& j : jobs) {
    if (!j.last_error.empty()) {
      s.last_error = Humanize(j.last_error);
      s.last_error_detail = j.last_error;
      break;
    }
  }
  if (s.last_error.empty() && !auth.last_error.empty()) {
    s.last_error = Humanize(auth.last_error);
    s.last_error_detail = auth.last_error;
  }
  bool pending = false;
  for (const auto& j : jobs) {
    const bool done_since_connect = !j.running && j.runs > 0 && j.last_run_ms >= connected_ms_ && j.last_error.empty();
    pending = pending || !done_since_connect;
  }
  if (pending) {
    const bool nothing_yet = !auth.verified && s.vehicles < 0 && s.energy_sites < 0;
    s.phase = nothing_yet ? "connecting" : "discovering";
    s.message = nothing_yet ? "Connecting to Tesla…" : "Looking for the account's cars and energy sites…";
    return s;
  }
  std::string found;
  if (s.vehicles >= 0) found = Plural(s.vehicles, "car", "cars");
  if (s.energy_sites >= 0) {
    found += (found.empty() ? "" : " and ") + Plural(s.energy_sites, "energy site", "energy sites");
  }
  std::size_t expected = 0;
  for (const auto& [kind, n] : expected_backfills_) expected += static_cast<std::size_t>(std::max(0, n));
  if (backfills_.size() < expected) {
    s.phase = "backfilling";
    s.message = "Preparing to fetch the history" + (found.empty() ? std::string() : " (found " + found + ")") + ".";
    return s;
  }
  if (s.days_done < s.days_total) {
    s.phase = "backfilling";
    s.message = "Fetching the energy history: " + std::to_string(s.days_done) + " of " + std::to_string(s.days_total) +
                " days" + (found.empty() ? "" : " (found " + found + ")") + ".";
    return s;
  }
  s.phase = "ready";
  s.message = found.empty() ? "Up to date." : "Up to date: " + found + ".";
  return s;
}

}  // namespace tessie::core::fleet
