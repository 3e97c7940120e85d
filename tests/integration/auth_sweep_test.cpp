// The auth sweep: every route in the live route table of a host running the shipped plugins that is not marked
// public rejects a request without a token, with an expired token, with a token signed with another key and
// with an unsigned (alg=none) token: 401, a JSON error and WWW-Authenticate: Bearer. The routes come from
// GET /api/routes, so a route added later is swept without touching this test.
#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <regex>
#include <set>
#include <sstream>

#include "host_process.hpp"

namespace tessie::testing {
namespace {

const std::string kPassword = "auth-sweep-password-51c9e2";
// The host's HS256 key (TESSIE_JWT_SECRET), so the test can mint tokens the host would otherwise accept.
const std::string kJwtSecret = "5f0c1d7e9a2b4c6d8e0f1a3b5c7d9e1f2a4b6c8d0e2f4a6b8c0d2e4f6a8b0c2d";

// The host's signing key: HMAC-SHA256(TESSIE_JWT_SECRET, "tessie-stats token key v1\npassword:" + password)
// (core/src/auth.hpp, TokenIssuer), so that a new admin password revokes every token.
std::string SigningKey(const std::string& secret, const std::string& password) {
  const std::string label = "tessie-stats token key v1\npassword:" + password;
  unsigned char mac[32];
  unsigned int size = 0;
  HMAC(EVP_sha256(), secret.data(), static_cast<int>(secret.size()),
       reinterpret_cast<const unsigned char*>(label.data()), label.size(), mac, &size);
  return std::string(reinterpret_cast<const char*>(mac), size);
}

std::string Mint(const std::string& key, std::chrono::seconds expires_in) {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject("admin");
  token.setIssuer("tessie-stats");
  const Poco::Timestamp now;
  token.setIssuedAt(now - std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::minutes(2)).count());
  token.setExpiration(now + std::chrono::duration_cast<std::chrono::microseconds>(expires_in).count());
  token.setId("sweep");
  Poco::JWT::Signer signer(key);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::string Base64Url(const std::string& text) {
  std::ostringstream out;
  Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
  encoder << text;
  encoder.close();
  return out.str();
}

// {"alg":"none"}: an unsigned token claiming the admin, valid for an hour.
std::string Unsigned() {
  const auto exp = std::chrono::duration_cast<std::chrono::seconds>(
                       (std::chrono::system_clock::now() + std::chrono::hours(1)).time_since_epoch())
                       .count();
  return Base64Url(R"({"alg":"none","typ":"JWT"})") + "." +
         Base64Url(R"({"sub":"admin","iss":"tessie-stats","exp":)" + std::to_string(exp) + "}") + ".";
}

TEST(AuthSweep, EveryNonPublicRouteRejectsMissingExpiredForgedAndUnsignedTokens) {
  const auto dir = FreshTestDir();
  HostProcess host(dir,
                   "server:\n  listen: 127.0.0.1:0\ndata_dir: " + (dir / "data").string() +
                       "\nplugin_dir: " + PluginDir().string() + "\n",
                   {{"TESSIE_ADMIN_PASSWORD", kPassword}, {"TESSIE_JWT_SECRET", kJwtSecret}});
  ASSERT_TRUE(host.Start()) << host.Log();

  // The route listing is itself protected; a token minted with the host's key is accepted (so the expired
  // one below is refused for its expiry, not for how it was made).
  EXPECT_EQ(host.Get("/api/routes").status, 401);
  const auto key = SigningKey(kJwtSecret, kPassword);
  const auto minted = host.Get("/api/routes", Mint(key, std::chrono::hours(1)));
  ASSERT_EQ(minted.status, 200) << minted.body;
  const auto routes = host.Get("/api/routes", host.Login(kPassword)).Json()->getArray("routes");

  const std::map<std::string, std::string> bad_tokens = {
      {"expired", Mint(key, -std::chrono::minutes(1))},
      {"forged (another key)", Mint(std::string(64, 'f'), std::chrono::hours(1))},
      {"signed with the bare secret (no password epoch)", Mint(kJwtSecret, std::chrono::hours(1))},
      {"unsigned (alg=none)", Unsigned()},
  };
  const std::regex param(":[A-Za-z_][A-Za-z0-9_]*");
  std::size_t swept = 0;
  std::set<std::string> owners;
  for (std::size_t i = 0; i < routes->size(); ++i) {
    const auto route = routes->getObject(static_cast<unsigned>(i));
    if (route->getValue<bool>("public")) continue;
    const auto method = route->getValue<std::string>("method");
    const auto pattern = route->getValue<std::string>("path");
    const auto path = std::regex_replace(pattern, param, "1");
    const std::string body = method == "GET" || method == "DELETE" ? "" : "{}";
    auto expect_401 = [&](const std::string& what, const std::string& token) {
      const auto r = host.Request(method, path, body, token);
      const std::string where = method + " " + pattern + " with " + what;
      ASSERT_EQ(r.status, 401) << where << ": " << r.body;
      EXPECT_EQ(r.Json()->getValue<std::string>("error"), "unauthorized") << where;
      EXPECT_EQ(r.headers.count("WWW-Authenticate") ? r.headers.at("WWW-Authenticate") : "", "Bearer") << where;
      if (!token.empty()) { EXPECT_EQ(r.body.find(token), std::string::npos) << where << " echoes the token"; }
    };
    expect_401("no token", "");
    for (const auto& [what, token] : bad_tokens) expect_401(what + " token", token);
    ++swept;
    owners.insert(route->getValue<std::string>("owner"));
  }

  // Not vacuous: the core's and every shipped plugin's protected routes were swept.
  EXPECT_GE(swept, 25u);
  for (const std::string owner : {"core", "vehicle", "charging", "drivers", "powerwall", "solar"})
    EXPECT_TRUE(owners.count(owner)) << "no protected route of '" << owner << "' was swept";
  std::cout << "auth sweep: " << swept << " protected routes of " << routes->size() << " × 4 bad credentials\n";
  EXPECT_EQ(host.Stop(), 0) << host.Log();
  // Neither the key nor any of the tokens sent reached the log.
  const auto log = host.Log();
  EXPECT_EQ(log.find(kJwtSecret), std::string::npos);
  for (const auto& [what, token] : bad_tokens) EXPECT_EQ(log.find(token), std::string::npos) << what;
}

}  // namespace
}  // namespace tessie::testing
