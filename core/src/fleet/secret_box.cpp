#include "fleet/secret_box.hpp"

#include <Poco/Base64Decoder.h>
#include <Poco/Base64Encoder.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cctype>
#include <memory>
#include <sstream>
#include <vector>

namespace tessie::core::fleet {

namespace {
constexpr std::size_t kNonce = 12, kTag = 16;
constexpr const char* kPrefix = "v1:";

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, decltype(&EVP_CIPHER_CTX_free)>;

std::string Base64(const std::string& bytes) {
  std::ostringstream out;
  Poco::Base64Encoder enc(out, Poco::BASE64_NO_PADDING);
  enc.rdbuf()->setLineLength(0);
  enc << bytes;
  enc.close();
  return out.str();
}

std::string Unbase64(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder dec(in, Poco::BASE64_NO_PADDING);
  std::string out((std::istreambuf_iterator<char>(dec)), std::istreambuf_iterator<char>());
  return out;
}
}  // namespace

SecretBox::SecretBox(const std::string& key_hex) {
  if (key_hex.size() != 64) throw SecretBoxError("the encryption key must be 64 hex digits (32 bytes)");
  for (std::size_t i = 0; i < 32; ++i) {
    const auto hi = key_hex[2 * i], lo = key_hex[2 * i + 1];
    if (!std::isxdigit(static_cast<unsigned char>(hi)) || !std::isxdigit(static_cast<unsigned char>(lo)))
      throw SecretBoxError("the encryption key must be 64 hex digits (32 bytes)");
    key_[i] = static_cast<unsigned char>(std::stoi(std::string{hi, lo}, nullptr, 16));
  }
}

std::string SecretBox::Seal(const std::string& plaintext, const std::string& label) const {
  unsigned char nonce[kNonce];
  if (RAND_bytes(nonce, kNonce) != 1) throw SecretBoxError("no random bytes for the nonce");
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::vector<unsigned char> out(plaintext.size() + 16);
  int len = 0, total = 0;
  bool ok = ctx && EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonce, nullptr) == 1 &&
            EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key_, nonce) == 1 &&
            EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(label.data()),
                              static_cast<int>(label.size())) == 1 &&
            EVP_EncryptUpdate(ctx.get(), out.data(), &len, reinterpret_cast<const unsigned char*>(plaintext.data()),
                              static_cast<int>(plaintext.size())) == 1;
  total = len;
  ok = ok && EVP_EncryptFinal_ex(ctx.get(), out.data() + total, &len) == 1;
  total += len;
  unsigned char tag[kTag];
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kTag, tag) == 1;
  if (!ok) throw SecretBoxError("encryption failed");
  std::string blob(reinterpret_cast<char*>(nonce), kNonce);
  blob.append(reinterpret_cast<char*>(out.data()), static_cast<std::size_t>(total));
  blob.append(reinterpret_cast<char*>(tag), kTag);
  return kPrefix + Base64(blob);
}

std::string SecretBox::Open(const std::string& sealed, const std::string& label) const {
  if (sealed.rfind(kPrefix, 0) != 0) throw SecretBoxError("the stored secret has an unknown format");
  std::string blob;
  try {
    blob = Unbase64(sealed.substr(3));
  } catch (const std::exception&) {
    throw SecretBoxError("the stored secret is damaged");
  }
  if (blob.size() < kNonce + kTag) throw SecretBoxError("the stored secret is truncated");
  const auto* nonce = reinterpret_cast<const unsigned char*>(blob.data());
  const auto* cipher = nonce + kNonce;
  const int cipher_len = static_cast<int>(blob.size() - kNonce - kTag);
  unsigned char tag[kTag];
  std::copy(blob.end() - kTag, blob.end(), tag);
  CipherCtx ctx(EVP_CIPHER_CTX_new(), EVP_CIPHER_CTX_free);
  std::vector<unsigned char> out(static_cast<std::size_t>(cipher_len) + 16);
  int len = 0, total = 0;
  bool ok = ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
            EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, kNonce, nullptr) == 1 &&
            EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key_, nonce) == 1 &&
            EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(label.data()),
                              static_cast<int>(label.size())) == 1 &&
            EVP_DecryptUpdate(ctx.get(), out.data(), &len, cipher, cipher_len) == 1;
  total = len;
  ok = ok && EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kTag, tag) == 1;
  // The tag is verified here: a wrong key or any changed byte fails.
  ok = ok && EVP_DecryptFinal_ex(ctx.get(), out.data() + total, &len) == 1;
  if (!ok) {
    throw SecretBoxError(
        "the stored secret cannot be decrypted: the encryption key is not the one it was stored with, "
        "or the data was changed");
  }
  total += len;
  return std::string(reinterpret_cast<char*>(out.data()), static_cast<std::size_t>(total));
}

}  // namespace tessie::core::fleet
