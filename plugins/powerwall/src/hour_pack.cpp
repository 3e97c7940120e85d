#include "hour_pack.hpp"

#include <array>
#include <bit>
#include <cstring>

namespace tessie::powerwall {
namespace {

constexpr std::size_t kRecordBytes = 4 * 4 + kFlowCount * 8;
constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

void PutU32(std::string& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
void PutU64(std::string& out, std::uint64_t v) {
  for (int i = 0; i < 8; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}
std::uint64_t GetLE(const unsigned char* p, int bytes) {
  if constexpr (std::endian::native == std::endian::little) {
    std::uint64_t v = 0;
    std::memcpy(&v, p, static_cast<std::size_t>(bytes));
    return v;
  }
  std::uint64_t v = 0;
  for (int i = bytes - 1; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
std::int32_t GetI32(const unsigned char* p) { return static_cast<std::int32_t>(static_cast<std::uint32_t>(GetLE(p, 4))); }

std::string Base64(const std::string& bytes) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t v = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    for (int k = 3; k >= 0; --k) out.push_back(kAlphabet[(v >> (6 * k)) & 63]);
  }
  const std::size_t rest = bytes.size() - i;
  if (rest > 0) {
    const std::uint32_t v = (b[i] << 16) | (rest == 2 ? b[i + 1] << 8 : 0);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(rest == 2 ? kAlphabet[(v >> 6) & 63] : '=');
    out.push_back('=');
  }
  return out;
}

std::optional<std::string> Unbase64(std::string_view text) {
  static const std::array<int, 256> kValue = [] {
    std::array<int, 256> t{};
    t.fill(-1);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int>(i);
    return t;
  }();
  if (text.size() % 4 != 0) return std::nullopt;
  std::size_t pad = 0;
  while (pad < 2 && !text.empty() && text[text.size() - 1 - pad] == '=') ++pad;
  std::string out(text.size() / 4 * 3, '\0');
  std::size_t at = 0;
  for (std::size_t i = 0; i < text.size(); i += 4) {
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 4; ++k) {
      const char c = text[i + k];
      int d = 0;
      if (c == '=') {
        if (i + 4 != text.size() || k < 4 - pad) return std::nullopt;
      } else {
        d = kValue[static_cast<unsigned char>(c)];
        if (d < 0) return std::nullopt;
      }
      v = (v << 6) | static_cast<std::uint32_t>(d);
    }
    out[at++] = static_cast<char>((v >> 16) & 0xff);
    out[at++] = static_cast<char>((v >> 8) & 0xff);
    out[at++] = static_cast<char>(v & 0xff);
  }
  out.resize(out.size() - pad);
  return out;
}

}  // namespace

std::string PackHours(const local_time::Zone& zone, std::int64_t day_start_ms, const std::vector<Bucket>& hours) {
  std::string bytes;
  bytes.reserve(hours.size() * kRecordBytes);
  for (const auto& h : hours) {
    PutU32(bytes, static_cast<std::uint32_t>(static_cast<std::int32_t>((h.start_ms - day_start_ms) / 1000)));
    PutU32(bytes, static_cast<std::uint32_t>(static_cast<std::int32_t>((h.end_ms - h.start_ms) / 1000)));
    PutU32(bytes, static_cast<std::uint32_t>(static_cast<std::int32_t>(zone.OffsetMs(h.start_ms) / 1000)));
    PutU32(bytes, static_cast<std::uint32_t>(h.intervals));
    for (const double wh : h.flows) {
      std::uint64_t bits = 0;
      std::memcpy(&bits, &wh, sizeof bits);
      PutU64(bytes, bits);
    }
  }
  return Base64(bytes);
}

std::optional<std::vector<Bucket>> UnpackHours(std::string_view packed, std::int64_t day_start_ms) {
  const auto bytes = Unbase64(packed);
  if (!bytes || bytes->size() % kRecordBytes != 0) return std::nullopt;
  std::vector<Bucket> out;
  out.reserve(bytes->size() / kRecordBytes);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes->data());
  for (std::size_t at = 0; at < bytes->size(); at += kRecordBytes) {
    Bucket b;
    b.start_ms = day_start_ms + std::int64_t{GetI32(p + at)} * 1000;
    b.end_ms = b.start_ms + std::int64_t{GetI32(p + at + 4)} * 1000;
    b.label = FormatWithOffset(b.start_ms, std::int64_t{GetI32(p + at + 8)} * 1000);
    b.intervals = GetI32(p + at + 12);
    for (std::size_t i = 0; i < kFlowCount; ++i) {
      const std::uint64_t bits = GetLE(p + at + 16 + 8 * i, 8);
      std::memcpy(&b.flows[i], &bits, sizeof bits);
    }
    out.push_back(std::move(b));
  }
  return out;
}

}  // namespace tessie::powerwall
