#include "site_registry.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

namespace tessie::powerwall {
namespace {

TEST(SiteZones, UnknownAndEmptyNamesFallBackOnceEach) {
  std::vector<std::string> warnings;
  SiteZones zones("Europe/Berlin", [&](const std::string& m) { warnings.push_back(m); });
  EXPECT_EQ(zones.For("")->Name(), "Europe/Berlin");
  EXPECT_EQ(zones.For("America/New_York")->Name(), "America/New_York");
  EXPECT_EQ(zones.For("Mars/Olympus")->Name(), "Europe/Berlin");
  EXPECT_EQ(zones.For("Mars/Olympus")->Name(), "Europe/Berlin");
  EXPECT_EQ(warnings.size(), 1u) << "the fallback is remembered";
  EXPECT_EQ(zones.For("America/New_York"), zones.For("America/New_York")) << "built once";
  EXPECT_THROW(SiteZones("Mars/Olympus", [](const std::string&) {}), std::invalid_argument);
}

TEST(SiteRegistry, RemovedSitesAreNotActive) {
  SiteRegistry sites;
  EXPECT_FALSE(sites.Active(1));
  EXPECT_EQ(sites.Name(1), "");
  bool added = false;
  auto site = sites.Insert(1, added);
  EXPECT_TRUE(added);
  EXPECT_EQ(sites.Insert(1, added), site);
  EXPECT_FALSE(added);
  site->identity.name = "Home";
  site->identity.wall_connector_count = 2;
  site->zone = std::make_shared<const local_time::Zone>("UTC");
  const auto active = sites.Active(1);
  ASSERT_TRUE(active);
  EXPECT_EQ(active->site, site);
  EXPECT_EQ(active->wall_connector_count, 2);
  EXPECT_EQ(active->zone->Name(), "UTC");
  EXPECT_EQ(sites.Name(1), "Home");
  EXPECT_EQ(sites.Present().size(), 1u);

  site->removed = true;
  EXPECT_FALSE(sites.Active(1));
  EXPECT_TRUE(sites.Present().empty());
  EXPECT_EQ(sites.Find(1), site) << "still known, so the jobs idle instead of failing";
}

}  // namespace
}  // namespace tessie::powerwall
