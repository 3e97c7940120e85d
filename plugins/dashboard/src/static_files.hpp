#pragma once
// The dashboard's built files (index.html, assets/...), read once into memory and served from there.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace tessie::dashboard {

struct StaticFile {
  std::string content_type;
  std::string body;
  std::string gzip_body;   // empty when compressing does not pay (images, fonts, tiny files)
  std::string etag;        // quoted, from the content
  bool immutable = false;  // under assets/: the name carries a content hash
};

// What to answer for one request path (after the router took the leading '/').
struct StaticAnswer {
  int status = 200;
  std::string content_type;
  std::string body;
  std::map<std::string, std::string> headers;
};

// Immutable after Load; Answer is safe to call from many threads at once.
class StaticFiles {
 public:
  // Reads every regular file under `dir` (relative names with '/'). Returns how many; 0 when `dir` is missing.
  std::size_t Load(const std::filesystem::path& dir);
  std::size_t Size() const { return files_.size(); }
  const StaticFile* Find(const std::string& relative) const;

  // `relative`: the path without the leading '/', e.g. "assets/index-3f2a.js" or "vehicles/42".
  // A file is served as is; a path that looks like a file (has an extension) and is missing is a 404;
  // anything else is a client-side route and gets index.html. Honours If-None-Match (304) and
  // Accept-Encoding: gzip. Returns nullopt for a 404.
  std::optional<StaticAnswer> Answer(const std::string& relative, const std::string& accept_encoding,
                                     const std::string& if_none_match) const;

  static std::string ContentType(const std::string& name);
  static std::string Gzip(const std::string& data);

 private:
  std::map<std::string, StaticFile> files_;
};

// The Content-Security-Policy of the dashboard's pages: scripts, styles, fonts and API calls from the host
// only; images also from the map tile server of `tile_url_template` (its origin, "{s}." as any subdomain;
// none when empty); never framed (clickjacking); no plugins, no <base> elsewhere, forms post only here.
std::string ContentSecurityPolicy(const std::string& tile_url_template);

}  // namespace tessie::dashboard
