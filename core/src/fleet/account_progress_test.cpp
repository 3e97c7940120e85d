#include "fleet/account_progress.hpp"

#include <gtest/gtest.h>

namespace tessie::core::fleet {
namespace {

using Job = AccountProgress::DiscoveryJob;

AccountProgress::Auth Connected(bool verified = true) {
  AccountProgress::Auth a;
  a.connected = true;
  a.verified = verified;
  return a;
}

TEST(AccountProgress, WalksFromNotConnectedThroughDiscoveryAndBackfillToReady) {
  AccountProgress p;
  // Start-up without a token: the discovery jobs ran once and found nothing to do.
  const std::vector<Job> idle = {{"vehicle", false, 1, 1000, ""}, {"powerwall", false, 1, 1000, ""}};
  auto s = p.Compute({}, idle);
  EXPECT_EQ(s.phase, "not_connected");
  EXPECT_NE(s.message.find("Settings"), std::string::npos);
  EXPECT_TRUE(s.last_error.empty());

  // A token arrives at t=5000: the runs before it do not count.
  p.OnConnected(5000);
  EXPECT_EQ(p.Compute(Connected(false), idle).phase, "connecting");
  EXPECT_EQ(p.Compute(Connected(true), idle).phase, "discovering");
  const std::vector<Job> running = {{"vehicle", true, 2, 5001, ""}, {"powerwall", false, 2, 5002, ""}};
  EXPECT_EQ(p.Compute(Connected(), running).phase, "discovering");

  // Both discoveries done; the energy history is being fetched.
  p.OnDiscovered("vehicles", 2, 0);
  p.OnDiscovered("energy_sites", 1, 1);
  const std::vector<Job> done = {{"vehicle", false, 2, 5001, ""}, {"powerwall", false, 2, 5002, ""}};
  // The site's history job has not reported yet: not "ready" already.
  s = p.Compute(Connected(), done);
  EXPECT_EQ(s.phase, "backfilling");
  EXPECT_EQ(s.days_total, 0);
  p.OnBackfill({"energy_site:1", "Home", 3, 365});
  s = p.Compute(Connected(), done);
  EXPECT_EQ(s.phase, "backfilling");
  EXPECT_EQ(s.days_done, 3);
  EXPECT_EQ(s.days_total, 365);
  EXPECT_EQ(s.vehicles, 2);
  EXPECT_EQ(s.energy_sites, 1);
  EXPECT_NE(s.message.find("3 of 365 days"), std::string::npos) << s.message;
  EXPECT_NE(s.message.find("2 cars and 1 energy site"), std::string::npos) << s.message;

  p.OnBackfill({"energy_site:1", "Home", 365, 365});
  s = p.Compute(Connected(), done);
  EXPECT_EQ(s.phase, "ready");
  EXPECT_EQ(s.message, "Up to date: 2 cars and 1 energy site.");

  p.OnDisconnected();
  s = p.Compute({}, done);
  EXPECT_EQ(s.phase, "not_connected");
  EXPECT_EQ(s.vehicles, -1);
  EXPECT_TRUE(s.backfills.empty());
}

TEST(AccountProgress, AFailedDiscoveryStaysDiscoveringAndSaysWhyInPlainWords) {
  AccountProgress p;
  p.OnConnected(10);
  const std::vector<Job> failed = {{"vehicle", false, 1, 20, "Tesla refused /api/1/products: missing scopes"}};
  const auto s = p.Compute(Connected(), failed);
  EXPECT_EQ(s.phase, "discovering");
  EXPECT_NE(s.last_error.find("permission"), std::string::npos) << s.last_error;
  EXPECT_EQ(s.last_error_detail, "Tesla refused /api/1/products: missing scopes");
}

TEST(AccountProgress, ARefusedTokenAsksToConnectAgain) {
  AccountProgress p;
  AccountProgress::Auth broken;
  broken.broken = true;
  broken.last_error = "login_required: the refresh token was revoked";
  const auto s = p.Compute(broken, {});
  EXPECT_EQ(s.phase, "not_connected");
  EXPECT_NE(s.message.find("connect the account again"), std::string::npos);
  EXPECT_NE(s.last_error.find("Connect the account again"), std::string::npos);
}

TEST(AccountProgress, HumanizeNamesWhatToDo) {
  EXPECT_NE(AccountProgress::Humanize("rate limited; retry in 30 s").find("slow down"), std::string::npos);
  EXPECT_NE(AccountProgress::Humanize("/api/1/products for account failed: Connection refused").find("reached"),
            std::string::npos);
  EXPECT_NE(AccountProgress::Humanize("Tesla answered 503: busy").find("servers"), std::string::npos);
  EXPECT_EQ(AccountProgress::Humanize(""), "");
}

}  // namespace
}  // namespace tessie::core::fleet
