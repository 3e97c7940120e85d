#include "auth.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <arpa/inet.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/core_names.h>
#include <openssl/hmac.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string_view>
#include <vector>

namespace tessie::core {

namespace {
std::string ToHex(const unsigned char* data, std::size_t n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

bool IsHex(const std::string& s) {
  return !s.empty() && s.size() % 2 == 0 &&
         std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string Pbkdf2(const std::string& password, const std::string& salt_hex, int iterations) {
  unsigned char out[32];
  if (PKCS5_PBKDF2_HMAC(password.data(), static_cast<int>(password.size()),
                        reinterpret_cast<const unsigned char*>(salt_hex.data()), static_cast<int>(salt_hex.size()),
                        iterations, EVP_sha256(), sizeof(out), out) != 1) {
    throw std::runtime_error("PBKDF2 failed");
  }
  return ToHex(out, sizeof(out));
}
}  // namespace

std::string RandomHex(std::size_t bytes) {
  std::vector<unsigned char> buf(bytes);
  if (RAND_bytes(buf.data(), static_cast<int>(buf.size())) != 1) throw std::runtime_error("no random bytes available");
  return ToHex(buf.data(), buf.size());
}

std::string HashPassword(const std::string& password, int iterations) {
  const std::string salt = RandomHex(16);
  return "pbkdf2-sha256$" + std::to_string(iterations) + "$" + salt + "$" + Pbkdf2(password, salt, iterations);
}

bool IsPasswordHash(const std::string& text) { return text.rfind("pbkdf2-sha256$", 0) == 0; }

bool VerifyPassword(const std::string& password, const std::string& hash) {
  if (!IsPasswordHash(hash)) return false;
  std::vector<std::string> parts;
  std::stringstream ss(hash);
  for (std::string part; std::getline(ss, part, '$');) parts.push_back(part);
  if (parts.size() != 4) return false;
  int iterations = 0;
  try {
    iterations = std::stoi(parts[1]);
  } catch (const std::exception&) {
    return false;
  }
  if (iterations < 1 || iterations > 10'000'000 || !IsHex(parts[2]) || !IsHex(parts[3])) return false;
  const std::string computed = Pbkdf2(password, parts[2], iterations);
  return computed.size() == parts[3].size() && CRYPTO_memcmp(computed.data(), parts[3].data(), computed.size()) == 0;
}

std::string LoadOrCreateHexKey(const std::filesystem::path& file, std::size_t bytes) {
  std::ifstream in(file);
  if (in) {
    std::string key;
    std::getline(in, key);
    if (!IsHex(key) || key.size() != bytes * 2) {
      throw std::runtime_error(file.string() + " does not hold a " + std::to_string(bytes * 2) +
                               "-digit hex key; restore it from a backup or delete it to create a new one");
    }
    return key;
  }
  std::filesystem::create_directories(file.parent_path());
  const std::string key = RandomHex(bytes);
  const int fd = ::open(file.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot create key file " + file.string());
  const std::string line = key + "\n";
  const bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) throw std::runtime_error("cannot write key file " + file.string());
  return key;
}

namespace {

constexpr char kBase64Url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
constexpr std::size_t kMaxTokenChars = 4096;
constexpr std::int64_t kClockSkewS = 60;

std::string Base64UrlEncode(std::string_view in) {
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    const std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                            static_cast<unsigned char>(in[i + 2]);
    out += kBase64Url[(v >> 18) & 63];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
    out += kBase64Url[v & 63];
  }
  if (in.size() - i == 1) {
    const std::uint32_t v = static_cast<unsigned char>(in[i]) << 16;
    out += kBase64Url[(v >> 18) & 63];
    out += kBase64Url[(v >> 12) & 63];
  } else if (in.size() - i == 2) {
    const std::uint32_t v = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += kBase64Url[(v >> 18) & 63];
    out += kBase64Url[(v >> 12) & 63];
    out += kBase64Url[(v >> 6) & 63];
  }
  return out;
}

int Base64UrlValue(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Strict: the URL alphabet without padding, and unused trailing bits zero (one encoding per value).
std::optional<std::string> Base64UrlDecode(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(in.size() * 3 / 4);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : in) {
    const int v = Base64UrlValue(c);
    if (v < 0) return std::nullopt;
    buffer = (buffer << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

std::string HmacSha256(const std::string& key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (!HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
            data.size(), out, &size)) {
    throw std::runtime_error("HMAC-SHA256 failed");
  }
  return std::string(reinterpret_cast<const char*>(out), size);
}

Poco::JSON::Object::Ptr ParseObject(const std::string& text) {
  try {
    Poco::JSON::Parser parser;
    const auto parsed = parser.parse(text);
    if (parsed.type() != typeid(Poco::JSON::Object::Ptr)) return nullptr;
    return parsed.extract<Poco::JSON::Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

std::optional<std::string> StringClaim(const Poco::JSON::Object& o, const std::string& name) {
  if (!o.has(name)) return std::nullopt;
  const auto v = o.get(name);
  if (!v.isString()) return std::nullopt;
  return v.extract<std::string>();
}

// NumericDate (RFC 7519 §2): seconds, possibly with a fraction (Poco::JWT writes doubles); floored. Anything
// else, or a value outside years ~0..33658, is refused.
std::optional<std::int64_t> TimeClaim(const Poco::JSON::Object& o, const std::string& name) {
  if (!o.has(name)) return std::nullopt;
  const auto v = o.get(name);
  if (!v.isNumeric() || v.isString()) return std::nullopt;
  try {
    if (v.isInteger()) return v.convert<Poco::Int64>();
    const double d = v.convert<double>();
    if (!std::isfinite(d) || d < -1e12 || d > 1e12) return std::nullopt;
    return static_cast<std::int64_t>(std::floor(d));
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
}

std::int64_t EpochSeconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

RevokedTokens::RevokedTokens(std::filesystem::path file, std::int64_t now_s) : file_(std::move(file)) {
  if (file_.empty()) return;
  std::ifstream in(file_);
  if (!in) {
    if (std::filesystem::exists(file_)) throw std::runtime_error("cannot read " + file_.string());
    return;
  }
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    std::string id;
    std::int64_t expires_s = 0;
    if (fields >> id >> expires_s && expires_s > now_s) expires_s_[id] = expires_s;
  }
}

void RevokedTokens::Revoke(const std::string& id, std::int64_t expires_s, std::int64_t now_s) {
  std::unique_lock lock(mutex_);
  expires_s_[id] = expires_s;
  PruneLocked(now_s);  // an id that has expired already needs no entry
  SaveLocked();
}

bool RevokedTokens::Contains(const std::string& id) const {
  std::shared_lock lock(mutex_);
  return expires_s_.count(id) != 0;
}

std::size_t RevokedTokens::Size() const {
  std::shared_lock lock(mutex_);
  return expires_s_.size();
}

void RevokedTokens::PruneLocked(std::int64_t now_s) {
  std::erase_if(expires_s_, [&](const auto& kv) { return kv.second <= now_s; });
}

void RevokedTokens::SaveLocked() const {
  if (file_.empty()) return;
  std::string text;
  for (const auto& [id, expires_s] : expires_s_) text += id + " " + std::to_string(expires_s) + "\n";
  const auto temp = file_.string() + ".tmp";
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw std::runtime_error("cannot write " + temp);
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok || ::rename(temp.c_str(), file_.c_str()) != 0) throw std::runtime_error("cannot write " + file_.string());
}

// HMAC-SHA256 under one key, keyed once: each call copies the keyed state instead of fetching the algorithm and
// hashing the key again (OpenSSL 3's one-shot HMAC() does both, under a lock of its algorithm store: a tenth of
// a busy host's time went there). Thread-safe: the keyed context is only read (duplicated) after construction.
class HmacKey {
 public:
  explicit HmacKey(const std::string& key) {
    mac_ = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
    keyed_ = mac_ ? EVP_MAC_CTX_new(mac_) : nullptr;
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_construct_end()};
    if (!keyed_ || EVP_MAC_init(keyed_, reinterpret_cast<const unsigned char*>(key.data()), key.size(), params) != 1) {
      Free();
      throw std::runtime_error("HMAC-SHA256 is not available");
    }
  }
  ~HmacKey() { Free(); }
  HmacKey(const HmacKey&) = delete;
  HmacKey& operator=(const HmacKey&) = delete;

  std::string Sign(std::string_view data) const {
    EVP_MAC_CTX* ctx = EVP_MAC_CTX_dup(keyed_);
    unsigned char out[EVP_MAX_MD_SIZE];
    std::size_t size = 0;
    const bool ok = ctx && EVP_MAC_update(ctx, reinterpret_cast<const unsigned char*>(data.data()), data.size()) == 1 &&
                    EVP_MAC_final(ctx, out, &size, sizeof(out)) == 1;
    EVP_MAC_CTX_free(ctx);
    if (!ok) throw std::runtime_error("HMAC-SHA256 failed");
    return std::string(reinterpret_cast<const char*>(out), size);
  }

 private:
  void Free() {
    EVP_MAC_CTX_free(keyed_);
    EVP_MAC_free(mac_);
    keyed_ = nullptr;
    mac_ = nullptr;
  }
  EVP_MAC* mac_ = nullptr;
  EVP_MAC_CTX* keyed_ = nullptr;
};

TokenIssuer::TokenIssuer(std::string secret, std::chrono::milliseconds ttl, const std::string& key_epoch,
                         const RevokedTokens* revoked)
    : key_(key_epoch.empty() ? std::move(secret) : HmacSha256(secret, "tessie-stats token key v1\n" + key_epoch)),
      mac_(std::make_shared<const HmacKey>(key_)),
      ttl_(ttl),
      revoked_(revoked) {}

std::string TokenIssuer::Issue(const std::string& subject, std::chrono::system_clock::time_point now) const {
  const std::int64_t issued_s = EpochSeconds(now);
  Poco::JSON::Object payload(Poco::JSON_PRESERVE_KEY_ORDER);
  payload.set("exp",
              static_cast<Poco::Int64>(issued_s + std::chrono::duration_cast<std::chrono::seconds>(ttl_).count()));
  payload.set("iat", static_cast<Poco::Int64>(issued_s));
  payload.set("iss", std::string(kIssuer));
  payload.set("jti", RandomHex(16));
  payload.set("sub", subject);
  std::ostringstream json;
  payload.stringify(json);
  const std::string signing_input =
      Base64UrlEncode(R"({"alg":"HS256","typ":"JWT"})") + "." + Base64UrlEncode(json.str());
  return signing_input + "." + Base64UrlEncode(mac_->Sign(signing_input));
}

std::optional<std::string> TokenIssuer::Verify(const std::string& token,
                                               std::chrono::system_clock::time_point now) const {
  auto claims = VerifyClaims(token, now);
  if (!claims) return std::nullopt;
  return std::move(claims->subject);
}

std::optional<TokenClaims> TokenIssuer::VerifyClaims(const std::string& token,
                                                     std::chrono::system_clock::time_point now) const {
  if (token.size() > kMaxTokenChars) return std::nullopt;
  const std::int64_t now_s = EpochSeconds(now);
  // A token verified before: only the checks that depend on the time and on revocation are made again.
  auto still_valid = [&](const VerifiedToken& v) {
    return v.claims.expires_s > now_s && v.claims.issued_s <= now_s + kClockSkewS && v.not_before_s <= now_s &&
           !(revoked_ && revoked_->Contains(v.claims.id));
  };
  {
    std::shared_lock lock(verified_mutex_);
    if (auto it = verified_.find(token); it != verified_.end()) {
      if (!still_valid(it->second)) return std::nullopt;
      return it->second.claims;
    }
  }
  const auto first = token.find('.');
  if (first == std::string::npos) return std::nullopt;
  const auto second = token.find('.', first + 1);
  if (second == std::string::npos || token.find('.', second + 1) != std::string::npos) return std::nullopt;
  const std::string_view view(token);

  // The signature first: nothing of an unauthenticated token is parsed.
  const auto signature = Base64UrlDecode(view.substr(second + 1));
  const std::string expected = mac_->Sign(view.substr(0, second));
  if (!signature || signature->size() != expected.size() ||
      CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
    return std::nullopt;
  }
  const auto header_json = Base64UrlDecode(view.substr(0, first));
  const auto payload_json = Base64UrlDecode(view.substr(first + 1, second - first - 1));
  if (!header_json || !payload_json) return std::nullopt;
  const auto header = ParseObject(*header_json);
  const auto payload = ParseObject(*payload_json);
  if (!header || !payload) return std::nullopt;

  if (StringClaim(*header, "alg") != "HS256" || header->has("crit")) return std::nullopt;
  if (header->has("typ") && StringClaim(*header, "typ") != "JWT") return std::nullopt;

  TokenClaims claims;
  const auto iss = StringClaim(*payload, "iss");
  const auto sub = StringClaim(*payload, "sub");
  const auto jti = StringClaim(*payload, "jti");
  const auto exp = TimeClaim(*payload, "exp");
  const auto iat = TimeClaim(*payload, "iat");
  if (iss != kIssuer || sub != kSubject || !jti || jti->empty() || jti->size() > 128 || !exp || !iat) {
    return std::nullopt;
  }
  const std::int64_t ttl_s = std::chrono::duration_cast<std::chrono::seconds>(ttl_).count();
  if (*exp <= now_s || *iat > now_s + kClockSkewS || *iat >= *exp || *exp - *iat > ttl_s + kClockSkewS) {
    return std::nullopt;
  }
  std::int64_t not_before_s = 0;
  if (payload->has("nbf")) {
    const auto nbf = TimeClaim(*payload, "nbf");
    if (!nbf || *nbf > now_s) return std::nullopt;
    not_before_s = *nbf;
  }
  if (revoked_ && revoked_->Contains(*jti)) return std::nullopt;
  claims.subject = *sub;
  claims.id = *jti;
  claims.issued_s = *iat;
  claims.expires_s = *exp;
  std::lock_guard lock(verified_mutex_);
  if (verified_.size() >= kMaxVerified) verified_.clear();
  verified_.emplace(token, VerifiedToken{claims, not_before_s});
  return claims;
}

std::string LoginThrottle::ClientKey(const std::string& address) {
  in6_addr v6{};
  if (::inet_pton(AF_INET6, address.c_str(), &v6) != 1) return address;
  if (IN6_IS_ADDR_V4MAPPED(&v6)) {
    char text[INET_ADDRSTRLEN] = {};
    ::inet_ntop(AF_INET, &v6.s6_addr[12], text, sizeof(text));
    return text;
  }
  std::fill(std::begin(v6.s6_addr) + 8, std::end(v6.s6_addr), 0);
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(AF_INET6, &v6, text, sizeof(text));
  return std::string(text) + "/64";
}

int LoginThrottle::Reserve(const std::string& client, Clock::time_point now) {
  const auto key = ClientKey(client);
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    const Entry& e = it->second;
    if (e.blocked_until > now) {
      return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(e.blocked_until - now).count());
    }
    // Attempts in flight count as failures until they report: before the free ones are used up, as many as
    // remain (plus the first that will block); after that, one at a time.
    const int allowed_in_flight = e.failures < free_attempts_ ? free_attempts_ + 1 - e.failures : 1;
    if (e.in_flight >= allowed_in_flight) return 1;
  }
  while (!recent_checks_.empty() && recent_checks_.front() <= now - std::chrono::minutes(1)) recent_checks_.pop_front();
  if (static_cast<int>(recent_checks_.size()) >= global_per_minute_) {
    const auto wait = recent_checks_.front() + std::chrono::minutes(1) - now;
    return std::max(1, static_cast<int>(std::chrono::ceil<std::chrono::seconds>(wait).count()));
  }
  recent_checks_.push_back(now);
  if (entries_.size() > 10'000) {
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.blocked_until < now && kv.second.in_flight == 0; });
  }
  ++entries_[key].in_flight;
  return 0;
}

void LoginThrottle::Failure(const std::string& client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto& e = entries_[ClientKey(client)];
  if (e.in_flight > 0) --e.in_flight;
  ++e.failures;
  if (e.failures > free_attempts_) {
    const int exponent = std::min(e.failures - free_attempts_ - 1, 9);
    const auto wait = std::min(std::chrono::seconds(1 << exponent), std::chrono::seconds(300));
    e.blocked_until = std::max(e.blocked_until, now + wait);
  }
}

void LoginThrottle::Success(const std::string& client) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(ClientKey(client));
  if (it == entries_.end()) return;
  if (it->second.in_flight > 1) {
    // Others from the same client are still being checked: keep their reservations, forget the failures.
    --it->second.in_flight;
    it->second.failures = 0;
    it->second.blocked_until = {};
  } else {
    entries_.erase(it);
  }
}

void LoginThrottle::Cancel(const std::string& client) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(ClientKey(client));
  if (it != entries_.end() && it->second.in_flight > 0) --it->second.in_flight;
}

}  // namespace tessie::core
