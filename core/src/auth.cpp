#include "auth.hpp"

#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>
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

std::string TokenIssuer::Issue(const std::string& subject, std::chrono::system_clock::time_point now) const {
  Poco::JWT::Token token;
  token.setType("JWT");
  token.setSubject(subject);
  token.setIssuer("tessie-stats");
  const auto issued = Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(now));
  token.setIssuedAt(issued);
  token.setExpiration(issued + std::chrono::duration_cast<std::chrono::microseconds>(ttl_).count());
  token.setId(RandomHex(8));
  Poco::JWT::Signer signer(secret_);
  return signer.sign(token, Poco::JWT::Signer::ALGO_HS256);
}

std::optional<std::string> TokenIssuer::Verify(const std::string& jwt,
                                               std::chrono::system_clock::time_point now) const {
  Poco::JWT::Signer signer(secret_);  // accepts HS256 only
  Poco::JWT::Token token;
  try {
    if (!signer.tryVerify(jwt, token)) return std::nullopt;
  } catch (const Poco::Exception&) {
    return std::nullopt;
  }
  const auto now_ts = Poco::Timestamp::fromEpochTime(std::chrono::system_clock::to_time_t(now));
  if (!token.payload().has(Poco::JWT::Token::CLAIM_EXPIRATION) || token.getExpiration() <= now_ts) return std::nullopt;
  if (token.getSubject().empty()) return std::nullopt;
  return token.getSubject();
}

int LoginThrottle::RetryAfterSeconds(const std::string& client, Clock::time_point now) const {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(client);
  if (it == entries_.end() || it->second.blocked_until <= now) return 0;
  return static_cast<int>(std::chrono::ceil<std::chrono::seconds>(it->second.blocked_until - now).count());
}

void LoginThrottle::Failure(const std::string& client, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (entries_.size() > 10'000) {
    std::erase_if(entries_, [&](const auto& kv) { return kv.second.blocked_until < now; });
  }
  auto& e = entries_[client];
  ++e.failures;
  if (e.failures > free_attempts_) {
    const int exponent = std::min(e.failures - free_attempts_ - 1, 9);
    const auto wait = std::min(std::chrono::seconds(1 << exponent), std::chrono::seconds(300));
    e.blocked_until = now + wait;
  }
}

void LoginThrottle::Success(const std::string& client) {
  std::lock_guard lock(mutex_);
  entries_.erase(client);
}

}  // namespace tessie::core
