#pragma once
#include <stdexcept>
#include <string>

namespace tessie::core::fleet {

class SecretBoxError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// AES-256-GCM (OpenSSL EVP) for secrets at rest. Each Seal draws a random 12-byte nonce; the output is
// "v1:" + base64(nonce | ciphertext | 16-byte tag). `label` is authenticated (not encrypted): a value
// sealed for one purpose does not open for another. Immutable; thread-safe.
class SecretBox {
 public:
  // `key_hex`: 64 hex digits. Throws SecretBoxError otherwise (the message never contains the key).
  explicit SecretBox(const std::string& key_hex);
  std::string Seal(const std::string& plaintext, const std::string& label) const;
  // Throws SecretBoxError for a wrong key, a wrong label, or tampered or truncated data — never garbage.
  std::string Open(const std::string& sealed, const std::string& label) const;

 private:
  unsigned char key_[32];
};

}  // namespace tessie::core::fleet
