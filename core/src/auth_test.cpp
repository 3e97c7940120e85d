#include "auth.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <filesystem>
#include <fstream>

namespace tessie::core {
namespace {

TEST(PasswordHash, VerifiesTheRightPasswordOnly) {
  const auto hash = HashPassword("correct horse", 1000);
  EXPECT_TRUE(IsPasswordHash(hash));
  EXPECT_EQ(hash.find("correct horse"), std::string::npos);
  EXPECT_TRUE(VerifyPassword("correct horse", hash));
  EXPECT_FALSE(VerifyPassword("correct horse ", hash));
  EXPECT_FALSE(VerifyPassword("", hash));
}

TEST(PasswordHash, SaltsEveryHash) { EXPECT_NE(HashPassword("pw", 1000), HashPassword("pw", 1000)); }

TEST(PasswordHash, MalformedHashNeverMatches) {
  EXPECT_FALSE(VerifyPassword("pw", "pw"));
  EXPECT_FALSE(VerifyPassword("pw", "pbkdf2-sha256$x$00$00"));
  EXPECT_FALSE(VerifyPassword("pw", "pbkdf2-sha256$1000$zz$00"));
}

TEST(TokenIssuer, AcceptsItsOwnTokenUntilItExpires) {
  TokenIssuer issuer("0123456789abcdef0123456789abcdef", std::chrono::minutes(10));
  const auto now = std::chrono::system_clock::now();
  const auto token = issuer.Issue("admin", now);
  EXPECT_EQ(issuer.Verify(token, now), "admin");
  EXPECT_EQ(issuer.Verify(token, now + std::chrono::minutes(9)), "admin");
  EXPECT_FALSE(issuer.Verify(token, now + std::chrono::minutes(11)));
}

TEST(TokenIssuer, RejectsForgedAndMalformedTokens) {
  TokenIssuer issuer("secret-one-secret-one-secret-one", std::chrono::minutes(10));
  TokenIssuer other("secret-two-secret-two-secret-two", std::chrono::minutes(10));
  const auto now = std::chrono::system_clock::now();
  EXPECT_FALSE(issuer.Verify(other.Issue("admin", now), now));
  EXPECT_FALSE(issuer.Verify("not.a.token", now));
  EXPECT_FALSE(issuer.Verify("", now));
  // alg "none" with the same claims
  auto token = issuer.Issue("admin", now);
  const auto dot = token.find('.');
  const std::string none_header = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0";  // {"alg":"none","typ":"JWT"}
  const auto payload = token.substr(dot + 1, token.rfind('.') - dot - 1);
  EXPECT_FALSE(issuer.Verify(none_header + "." + payload + ".", now));
}

TEST(LoginThrottle, SlowsDownAfterFreeAttemptsAndResetsOnSuccess) {
  LoginThrottle throttle(3);
  auto now = LoginThrottle::Clock::now();
  for (int i = 0; i < 3; ++i) throttle.Failure("1.2.3.4", now);
  EXPECT_EQ(throttle.RetryAfterSeconds("1.2.3.4", now), 0);
  throttle.Failure("1.2.3.4", now);
  EXPECT_EQ(throttle.RetryAfterSeconds("1.2.3.4", now), 1);
  throttle.Failure("1.2.3.4", now);
  EXPECT_EQ(throttle.RetryAfterSeconds("1.2.3.4", now), 2);
  EXPECT_EQ(throttle.RetryAfterSeconds("5.6.7.8", now), 0);
  EXPECT_EQ(throttle.RetryAfterSeconds("1.2.3.4", now + std::chrono::seconds(3)), 0);
  throttle.Success("1.2.3.4");
  throttle.Failure("1.2.3.4", now);
  EXPECT_EQ(throttle.RetryAfterSeconds("1.2.3.4", now), 0);
}

TEST(KeyFile, IsCreatedPrivateAndReadBack) {
  const auto dir = std::filesystem::temp_directory_path() / ("tessie-key-" + RandomHex(4));
  const auto file = dir / "jwt.key";
  const auto key = LoadOrCreateHexKey(file, 32);
  EXPECT_EQ(key.size(), 64u);
  struct stat st {};
  ASSERT_EQ(::stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600);
  EXPECT_EQ(LoadOrCreateHexKey(file, 32), key);
  std::ofstream(file) << "garbage\n";
  EXPECT_THROW(LoadOrCreateHexKey(file, 32), std::runtime_error);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace tessie::core
