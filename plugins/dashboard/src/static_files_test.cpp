#include "static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace tessie::dashboard {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("dashboard-test-" + std::to_string(std::random_device{}()));
    std::filesystem::create_directories(dir_ / "assets");
    Write("index.html", "<!doctype html><div id=root></div>");
    Write("assets/index-abc123.js", std::string(4000, 'x') + "console.log('tessie')");
    Write("favicon.svg", "<svg/>");
    ASSERT_EQ(files_.Load(dir_), 3u);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& body) { std::ofstream(dir_ / name) << body; }

  std::filesystem::path dir_;
  StaticFiles files_;
};

TEST_F(StaticFilesTest, ServesFilesWithTheirTypeAndCachePolicy) {
  auto js = files_.Answer("assets/index-abc123.js", "", "");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_NE(js->body.find("console.log('tessie')"), std::string::npos);
  EXPECT_EQ(js->headers.at("Cache-Control"), "public, max-age=31536000, immutable");
  auto index = files_.Answer("", "", "");
  ASSERT_TRUE(index);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(index->headers.at("Cache-Control"), "no-cache");
  EXPECT_EQ(files_.Answer("favicon.svg", "", "")->content_type, "image/svg+xml");
}

TEST_F(StaticFilesTest, ClientRoutesGetIndexHtmlButMissingFilesAre404) {
  auto route = files_.Answer("vehicles/1492932717794313", "", "");
  ASSERT_TRUE(route);
  EXPECT_NE(route->body.find("id=root"), std::string::npos);
  EXPECT_FALSE(files_.Answer("assets/index-old.js", "", ""));
  EXPECT_FALSE(files_.Answer("robots.txt", "", ""));
  EXPECT_FALSE(files_.Answer("assets/gone", "", ""));
}

TEST_F(StaticFilesTest, GzipWhenAcceptedAnd304ForAKnownEtag) {
  auto plain = files_.Answer("assets/index-abc123.js", "", "");
  auto zipped = files_.Answer("assets/index-abc123.js", "gzip, deflate, br", "");
  ASSERT_TRUE(plain && zipped);
  EXPECT_EQ(zipped->headers.at("Content-Encoding"), "gzip");
  EXPECT_LT(zipped->body.size(), plain->body.size() / 4);
  EXPECT_EQ(zipped->body.substr(0, 2), std::string("\x1f\x8b"));
  EXPECT_FALSE(plain->headers.count("Content-Encoding"));
  auto again = files_.Answer("assets/index-abc123.js", "gzip", plain->headers.at("ETag"));
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
}

TEST(StaticFiles, MissingDirectoryLoadsNothing) {
  StaticFiles files;
  EXPECT_EQ(files.Load("/nonexistent/tessie-dashboard"), 0u);
  EXPECT_FALSE(files.Answer("", "", ""));
}

TEST(ContentSecurityPolicy, AllowsImagesOnlyFromTheTileServer) {
  const auto osm = ContentSecurityPolicy("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
  EXPECT_NE(osm.find("img-src 'self' data: blob: https://tile.openstreetmap.org;"), std::string::npos) << osm;
  EXPECT_NE(osm.find("script-src 'self';"), std::string::npos) << osm;
  EXPECT_NE(osm.find("frame-ancestors 'none'"), std::string::npos) << osm;
  const auto sub = ContentSecurityPolicy("http://{s}.tiles.example:8081/{z}/{x}/{y}.png");
  EXPECT_NE(sub.find("img-src 'self' data: blob: http://*.tiles.example:8081;"), std::string::npos) << sub;
  const auto none = ContentSecurityPolicy("");
  EXPECT_NE(none.find("img-src 'self' data: blob:;"), std::string::npos) << none;
  // A template that would smuggle another directive in is left out.
  const auto hostile = ContentSecurityPolicy("https://x.example; script-src *;/{z}");
  EXPECT_EQ(hostile.find("script-src *"), std::string::npos) << hostile;
}

}  // namespace
}  // namespace tessie::dashboard
