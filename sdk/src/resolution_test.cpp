#include "tessie/sdk/resolution.hpp"

#include <gtest/gtest.h>

namespace tessie::sdk::query {
namespace {

HttpRequest With(const std::string& value) {
  HttpRequest r;
  r.query.emplace("resolution", value);
  return r;
}

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.Status(), 400);
    return e.what();
  }
  return "";
}

const std::vector<Resolution> kEnergy = {Resolution::k5m, Resolution::k1h, Resolution::k1d, Resolution::k1mo};

TEST(Resolution, OneVocabularyWithTheOldSpellingsAsAliases) {
  for (const auto r :
       {Resolution::kRaw, Resolution::k5m, Resolution::k15m, Resolution::k1h, Resolution::k1d, Resolution::k1mo}) {
    EXPECT_EQ(ParseResolution(ResolutionName(r)), r) << ResolutionName(r);
  }
  EXPECT_EQ(ParseResolution("5min"), Resolution::k5m);
  EXPECT_EQ(ParseResolution("hour"), Resolution::k1h);
  EXPECT_EQ(ParseResolution("day"), Resolution::k1d);
  EXPECT_EQ(ParseResolution("month"), Resolution::k1mo);
  EXPECT_FALSE(ParseResolution("week"));
  EXPECT_FALSE(ParseResolution("1H"));
  EXPECT_FALSE(ParseResolution(""));
  EXPECT_EQ(ResolutionMs(Resolution::k15m), 900'000);
  EXPECT_EQ(ResolutionMs(Resolution::k1d), 86'400'000);
  EXPECT_FALSE(ResolutionMs(Resolution::k1mo));
  EXPECT_FALSE(ResolutionMs(Resolution::kRaw));
}

TEST(Resolution, ParameterIsA400NamingItAndTheAllowedValues) {
  EXPECT_EQ(ResolutionParam(HttpRequest{}, "resolution", Resolution::k1h, kEnergy), Resolution::k1h);
  EXPECT_EQ(ResolutionParam(With("1mo"), "resolution", Resolution::k1h, kEnergy), Resolution::k1mo);
  EXPECT_EQ(ResolutionParam(With("day"), "resolution", Resolution::k1h, kEnergy), Resolution::k1d);
  EXPECT_EQ(ErrorOf([] { ResolutionParam(With("week"), "resolution", Resolution::k1h, kEnergy); }),
            "resolution must be one of 5m, 1h, 1d, 1mo, got 'week'");
  // Known to the vocabulary but not offered by this route.
  EXPECT_EQ(ErrorOf([] { ResolutionParam(With("raw"), "resolution", Resolution::k1h, kEnergy); }),
            "resolution must be one of 5m, 1h, 1d, 1mo, got 'raw'");
  EXPECT_EQ(ErrorOf([] { ResolutionParam(With(""), "resolution", Resolution::k1h, kEnergy); }),
            "resolution must be one of 5m, 1h, 1d, 1mo, got ''");
}

}  // namespace
}  // namespace tessie::sdk::query
