#include "start_check.hpp"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>

#include "storage.hpp"

namespace tessie::core {

namespace {

// The node at `path` under `root`, or an undefined node (never inserts, never throws).
YAML::Node NodeAt(const YAML::Node& root, std::initializer_list<const char*> path) {
  YAML::Node node = root;
  for (const char* key : path) {
    if (!node || !node.IsMap()) return YAML::Node(YAML::NodeType::Undefined);
    const YAML::Node next = node[key];
    if (!next) return YAML::Node(YAML::NodeType::Undefined);
    node = next;
  }
  return node;
}

std::string WhoAmI() {
  const uid_t uid = ::geteuid();
  const passwd* pw = ::getpwuid(uid);
  return (pw ? "user " + std::string(pw->pw_name) + " (uid " : "uid (") + std::to_string(uid) + ")";
}

bool IsHexKey(const std::string& text, std::size_t digits) {
  return text.size() == digits && std::all_of(text.begin(), text.end(),
                                              [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// "" when `dir` exists as a writable directory or can be created (its nearest existing ancestor is one).
std::string DirectoryProblem(const std::filesystem::path& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(dir, ec)) {
    if (!fs::is_directory(dir, ec)) return dir.string() + " is not a directory";
    if (::access(dir.c_str(), W_OK | X_OK) != 0)
      return dir.string() + " is not writable by " + WhoAmI() + ": give it to that user (chown) or choose another";
    return "";
  }
  fs::path ancestor = dir.parent_path();
  while (!ancestor.empty() && !fs::exists(ancestor, ec) && ancestor != ancestor.root_path())
    ancestor = ancestor.parent_path();
  if (ancestor.empty()) ancestor = ".";
  if (!fs::is_directory(ancestor, ec))
    return dir.string() + " cannot be created: " + ancestor.string() + " is not a directory";
  if (::access(ancestor.c_str(), W_OK | X_OK) != 0)
    return dir.string() + " does not exist and " + WhoAmI() + " cannot create it in " + ancestor.string() +
           ": create it for that user or choose another";
  return "";
}

}  // namespace

std::vector<std::string> StartProblems(const CoreConfig& config, const ConfigDocument& doc) {
  namespace fs = std::filesystem;
  std::vector<std::string> problems;
  const YAML::Node& root = doc.Root();
  auto where = [&](std::initializer_list<const char*> path) {
    const YAML::Node node = NodeAt(root, path);
    return node ? doc.Where(node) : doc.FileName();
  };

  if (config.admin_password.empty()) {
    problems.push_back(where({"auth", "admin_password"}) +
                       ": auth.admin_password: no admin password: set TESSIE_ADMIN_PASSWORD in the environment, or "
                       "auth.admin_password to the output of `tessie-stats --hash-password`");
  }

  const std::string data_where = where({"data_dir"}) + ": data_dir: ";
  const std::string data_problem = DirectoryProblem(config.data_dir);
  if (!data_problem.empty()) problems.push_back(data_where + data_problem);

  // The key files the host reads or creates in data_dir, unless their variable is set.
  struct KeyFile {
    const char* file;
    const char* variable;
  };
  for (const KeyFile& key :
       {KeyFile{"jwt-secret.key", "TESSIE_JWT_SECRET"}, KeyFile{"encryption.key", "TESSIE_ENCRYPTION_KEY"}}) {
    const char* env = std::getenv(key.variable);
    if (env && *env) continue;
    const fs::path file = config.data_dir / key.file;
    std::error_code ec;
    if (!fs::exists(file, ec)) continue;
    std::ifstream in(file);
    std::string line;
    if (!in) {
      problems.push_back(data_where + file.string() + " cannot be read by " + WhoAmI());
    } else if (std::getline(in, line); !IsHexKey(line, 64)) {
      problems.push_back(
          data_where + file.string() +
          " does not hold a 64-digit hex key: restore it from a backup or delete it to create a new one");
    }
  }
  if (const char* key = std::getenv("TESSIE_ENCRYPTION_KEY"); key && *key && !IsHexKey(key, 64))
    problems.push_back(
        "TESSIE_ENCRYPTION_KEY: must be 64 hex digits (32 bytes), like the output of "
        "`openssl rand -hex 32`");
  {
    const fs::path revoked = config.data_dir / "revoked-tokens";
    std::error_code ec;
    if (fs::exists(revoked, ec) && ::access(revoked.c_str(), R_OK | W_OK) != 0)
      problems.push_back(data_where + revoked.string() + " cannot be read and written by " + WhoAmI());
  }

  // PostgreSQL: the URL must have the form the storage reads (reaching the server is --check-config's own step).
  if (!config.storage_url.empty() && config.storage_url.rfind("sqlite://", 0) != 0) {
    try {
      PostgresConnectionString(config.storage_url);
    } catch (const std::invalid_argument& e) {
      const bool from_env = std::getenv("TESSIE_STORAGE_URL") && *std::getenv("TESSIE_STORAGE_URL");
      problems.push_back((from_env ? std::string("TESSIE_STORAGE_URL") : where({"storage", "url"})) + ": " + e.what());
    }
  }

  // SQLite: the database file (and its -wal, -shm beside it) must be readable and writable.
  if (config.storage_url.empty() || config.storage_url.rfind("sqlite://", 0) == 0) {
    const bool in_data_dir = config.storage_url.empty();
    const fs::path file = in_data_dir ? config.data_dir / "tessie.db" : fs::path(config.storage_url.substr(9));
    const std::string storage_where = in_data_dir ? data_where : where({"storage", "url"}) + ": storage.url: ";
    std::error_code ec;
    if (file.empty() || file.filename().empty()) {
      problems.push_back(storage_where + "sqlite:// needs a file path, like sqlite:///var/lib/tessie-stats/tessie.db");
    } else if (fs::exists(file, ec)) {
      if (::access(file.c_str(), R_OK | W_OK) != 0)
        problems.push_back(storage_where + file.string() + " cannot be read and written by " + WhoAmI());
    } else if (!in_data_dir) {
      const std::string dir_problem = DirectoryProblem(file.parent_path().empty() ? "." : file.parent_path());
      if (!dir_problem.empty()) problems.push_back(storage_where + dir_problem);
    }
  }
  return problems;
}

}  // namespace tessie::core
