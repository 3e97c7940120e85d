#include "fleet/secret_box.hpp"

#include <gtest/gtest.h>

namespace tessie::core::fleet {
namespace {

const std::string kKey(64, 'a');
const std::string kOtherKey = std::string(63, 'a') + "b";

TEST(SecretBox, RoundTripsWithAFreshNonceEachTime) {
  SecretBox box(kKey);
  const auto a = box.Seal("NA_refresh_token_value", "tesla.refresh_token");
  const auto b = box.Seal("NA_refresh_token_value", "tesla.refresh_token");
  EXPECT_NE(a, b);
  EXPECT_EQ(a.find("NA_refresh"), std::string::npos);
  EXPECT_EQ(box.Open(a, "tesla.refresh_token"), "NA_refresh_token_value");
  EXPECT_EQ(box.Open(b, "tesla.refresh_token"), "NA_refresh_token_value");
  EXPECT_EQ(box.Open(box.Seal("", "x"), "x"), "");
}

TEST(SecretBox, WrongKeyLabelOrTamperingIsAClearErrorNeverGarbage) {
  SecretBox box(kKey);
  const auto sealed = box.Seal("secret", "label");
  EXPECT_THROW(SecretBox(kOtherKey).Open(sealed, "label"), SecretBoxError);
  EXPECT_THROW(box.Open(sealed, "other-label"), SecretBoxError);
  // Every character but the last (whose low bits are base64 padding, not data).
  for (std::size_t i = 3; i + 1 < sealed.size(); ++i) {
    std::string tampered = sealed;
    tampered[i] = tampered[i] == 'A' ? 'B' : 'A';
    EXPECT_THROW(box.Open(tampered, "label"), SecretBoxError) << "byte " << i;
  }
  EXPECT_THROW(box.Open(sealed.substr(0, 10), "label"), SecretBoxError);
  EXPECT_THROW(box.Open("plain text", "label"), SecretBoxError);
  try {
    SecretBox(kOtherKey).Open(sealed, "label");
  } catch (const SecretBoxError& e) {
    EXPECT_NE(std::string(e.what()).find("encryption key"), std::string::npos);
  }
}

TEST(SecretBox, RejectsMalformedKeysWithoutEchoingThem) {
  EXPECT_THROW(SecretBox("short"), SecretBoxError);
  try {
    SecretBox(std::string(63, 'a') + "z");
    FAIL();
  } catch (const SecretBoxError& e) {
    EXPECT_EQ(std::string(e.what()).find("aaaa"), std::string::npos);
  }
}

}  // namespace
}  // namespace tessie::core::fleet
