#include "static_files.hpp"

#include <Poco/DeflatingStream.h>

#include <fstream>
#include <functional>
#include <sstream>

namespace tessie::dashboard {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool Compressible(const std::string& type) {
  return type.rfind("text/", 0) == 0 || type.find("javascript") != std::string::npos ||
         type.find("json") != std::string::npos || type.find("svg") != std::string::npos;
}

std::string Etag(const std::string& body) {
  // FNV-1a 64: stable across runs and builds (std::hash is not guaranteed to be).
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : body) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  std::ostringstream out;
  out << '"' << std::hex << h << '-' << std::dec << body.size() << '"';
  return out.str();
}

}  // namespace

std::string StaticFiles::ContentType(const std::string& name) {
  static const std::map<std::string, std::string> kTypes = {
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".mjs", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".json", "application/json"},
      {".webmanifest", "application/manifest+json"},
      {".map", "application/json"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".jpg", "image/jpeg"},
      {".ico", "image/x-icon"},
      {".webp", "image/webp"},
      {".woff2", "font/woff2"},
      {".woff", "font/woff"},
      {".txt", "text/plain; charset=utf-8"},
  };
  const auto dot = name.rfind('.');
  if (dot != std::string::npos) {
    auto it = kTypes.find(name.substr(dot));
    if (it != kTypes.end()) return it->second;
  }
  return "application/octet-stream";
}

std::string StaticFiles::Gzip(const std::string& data) {
  std::ostringstream out;
  {
    Poco::DeflatingOutputStream z(out, Poco::DeflatingStreamBuf::STREAM_GZIP, 9);
    z.write(data.data(), static_cast<std::streamsize>(data.size()));
    z.close();
  }
  return out.str();
}

std::size_t StaticFiles::Load(const std::filesystem::path& dir) {
  files_.clear();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) return 0;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file()) continue;
    const auto relative = std::filesystem::relative(it->path(), dir).generic_string();
    if (EndsWith(relative, ".gz")) continue;
    std::ifstream in(it->path(), std::ios::binary);
    std::ostringstream body;
    body << in.rdbuf();
    StaticFile f;
    f.content_type = ContentType(relative);
    f.body = body.str();
    if (Compressible(f.content_type) && f.body.size() > 1024) {
      auto z = Gzip(f.body);
      if (z.size() < f.body.size() * 9 / 10) f.gzip_body = std::move(z);
    }
    f.etag = Etag(f.body);
    f.immutable = relative.rfind("assets/", 0) == 0;
    files_.emplace(relative, std::move(f));
  }
  return files_.size();
}

const StaticFile* StaticFiles::Find(const std::string& relative) const {
  auto it = files_.find(relative);
  return it == files_.end() ? nullptr : &it->second;
}

std::optional<StaticAnswer> StaticFiles::Answer(const std::string& relative, const std::string& accept_encoding,
                                                const std::string& if_none_match) const {
  const StaticFile* file = relative.empty() ? nullptr : Find(relative);
  if (!file) {
    const auto last = relative.substr(relative.rfind('/') == std::string::npos ? 0 : relative.rfind('/') + 1);
    // "assets/x.js" that is gone (an old tab after an upgrade) must not get HTML back.
    if (last.find('.') != std::string::npos || relative.rfind("assets/", 0) == 0) return std::nullopt;
    file = Find("index.html");
    if (!file) return std::nullopt;
  }
  StaticAnswer a;
  a.content_type = file->content_type;
  a.headers["ETag"] = file->etag;
  a.headers["Cache-Control"] = file->immutable ? "public, max-age=31536000, immutable" : "no-cache";
  a.headers["X-Content-Type-Options"] = "nosniff";
  if (!file->gzip_body.empty()) a.headers["Vary"] = "Accept-Encoding";
  if (!if_none_match.empty() && if_none_match.find(file->etag) != std::string::npos) {
    a.status = 304;
    return a;
  }
  if (!file->gzip_body.empty() && accept_encoding.find("gzip") != std::string::npos) {
    a.body = file->gzip_body;
    a.headers["Content-Encoding"] = "gzip";
  } else {
    a.body = file->body;
  }
  return a;
}

std::string ContentSecurityPolicy(const std::string& tile_url_template) {
  std::string img = "'self' data: blob:";
  const auto scheme_end = tile_url_template.find("://");
  if (scheme_end != std::string::npos) {
    const std::string scheme = tile_url_template.substr(0, scheme_end);
    const auto host_end = tile_url_template.find('/', scheme_end + 3);
    std::string host = tile_url_template.substr(scheme_end + 3, host_end == std::string::npos
                                                                    ? std::string::npos
                                                                    : host_end - scheme_end - 3);
    if (host.rfind("{s}.", 0) == 0) host = "*." + host.substr(4);
    const bool clean = (scheme == "http" || scheme == "https") && !host.empty() &&
                       host.find_first_of("{}; '\"\t\r\n,") == std::string::npos;
    if (clean) img += " " + scheme + "://" + host;
  }
  return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src " + img +
         "; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; "
         "frame-ancestors 'none'";
}

}  // namespace tessie::dashboard
