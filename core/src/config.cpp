#include "config.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <sstream>

namespace tessie::core {

namespace {

using sdk::ConfigField;
using sdk::ConfigType;

const char* TypeName(ConfigType type) {
  switch (type) {
    case ConfigType::kBool:
      return "a boolean (true/false)";
    case ConfigType::kInt:
      return "an integer";
    case ConfigType::kDouble:
      return "a number";
    case ConfigType::kString:
      return "a string";
    case ConfigType::kDuration:
      return "a duration like 500ms, 30s, 5m, 2h or 1d";
    case ConfigType::kStringList:
      return "a list of strings";
    case ConfigType::kAny:
      return "a value";
  }
  return "a value";
}

Poco::Dynamic::Var ScalarToVar(const YAML::Node& node) {
  const std::string& text = node.Scalar();
  if (node.Tag() == "!") return text;  // quoted: keep as string
  long long i = 0;
  if (YAML::convert<long long>::decode(node, i)) return static_cast<Poco::Int64>(i);
  double d = 0;
  if (YAML::convert<double>::decode(node, d)) return d;
  bool b = false;
  if (YAML::convert<bool>::decode(node, b)) return b;
  return text;
}

Poco::Dynamic::Var YamlToVar(const YAML::Node& node) {
  if (node.IsMap()) {
    Poco::JSON::Object::Ptr obj = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    for (const auto& kv : node) obj->set(kv.first.Scalar(), YamlToVar(kv.second));
    return obj;
  }
  if (node.IsSequence()) {
    Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
    for (const auto& item : node) arr->add(YamlToVar(item));
    return arr;
  }
  if (node.IsScalar()) return ScalarToVar(node);
  return Poco::Dynamic::Var();
}

const ConfigField* FindField(const sdk::ConfigSchema& schema, const std::string& key) {
  for (const auto& f : schema)
    if (f.key == key) return &f;
  return nullptr;
}

bool HasFieldsUnder(const sdk::ConfigSchema& schema, const std::string& prefix) {
  return std::any_of(schema.begin(), schema.end(),
                     [&](const ConfigField& f) { return f.key.rfind(prefix + ".", 0) == 0; });
}

std::string Join(const std::string& prefix, const std::string& key) {
  return prefix.empty() ? key : prefix + "." + key;
}

}  // namespace

std::chrono::milliseconds ParseDuration(const std::string& text) {
  if (text.empty()) throw std::invalid_argument("empty duration");
  std::size_t pos = 0;
  double value = 0;
  try {
    value = std::stod(text, &pos);
  } catch (const std::exception&) {
    throw std::invalid_argument("'" + text + "' is not a duration");
  }
  if (value < 0) throw std::invalid_argument("duration '" + text + "' is negative");
  std::string unit = text.substr(pos);
  double ms = 0;
  if (unit.empty() || unit == "s")
    ms = value * 1000;
  else if (unit == "ms")
    ms = value;
  else if (unit == "m" || unit == "min")
    ms = value * 60'000;
  else if (unit == "h")
    ms = value * 3'600'000;
  else if (unit == "d")
    ms = value * 86'400'000;
  else
    throw std::invalid_argument("'" + text + "' has an unknown unit (use ms, s, m, h or d)");
  // NaN, infinity and huge values cannot become milliseconds (found by fuzz/config_fuzz.cpp); 100 years also
  // keeps every clock computation with the duration (nanosecond time points) far from overflow.
  constexpr double kMaxMs = 100.0 * 365 * 86'400'000;
  if (!std::isfinite(ms) || ms > kMaxMs)
    throw std::invalid_argument("duration '" + text + "' is not a number of at most 100 years");
  return std::chrono::milliseconds(static_cast<long long>(ms));
}

ConfigDocument ConfigDocument::Load(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw ConfigFileError(file.string() + ": cannot read the config file (does it exist and is it readable?)");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return Parse(buffer.str(), file.string());
}

ConfigDocument ConfigDocument::Parse(const std::string& text, const std::string& file_name) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw ConfigFileError(file_name + ":" + std::to_string(e.mark.line + 1) + ":" + std::to_string(e.mark.column + 1) +
                          ": malformed YAML: " + e.msg);
  }
  if (root.IsNull()) root = YAML::Node(YAML::NodeType::Map);
  if (!root.IsMap()) throw ConfigFileError(file_name + ":1:1: the config must be a YAML map of keys");
  return ConfigDocument(file_name, root);
}

std::string ConfigDocument::Where(const YAML::Node& node) const {
  auto mark = node.Mark();
  if (mark.is_null()) return file_;
  return file_ + ":" + std::to_string(mark.line + 1) + ":" + std::to_string(mark.column + 1);
}

YAML::Node ConfigDocument::PluginSection(const std::string& name) const {
  auto plugins = root_["plugins"];
  if (!plugins || !plugins.IsMap()) return YAML::Node();
  return plugins[name];
}

std::vector<std::string> ConfigDocument::PluginNames() const {
  std::vector<std::string> names;
  auto plugins = root_["plugins"];
  if (plugins && plugins.IsMap())
    for (const auto& kv : plugins) names.push_back(kv.first.Scalar());
  return names;
}

sdk::ConfigSection ConfigDocument::Validate(const YAML::Node& node, const sdk::ConfigSchema& schema,
                                            const std::string& key_prefix,
                                            const std::vector<std::string>& ignored) const {
  Poco::JSON::Object::Ptr values = new Poco::JSON::Object;
  if (node && !node.IsNull() && !node.IsMap()) {
    throw ConfigFileError(Where(node) + ": " + key_prefix + ": expected a map of keys");
  }

  // Walks a map; `rel` is the dotted key relative to the section.
  std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& map, const std::string& rel) {
    for (const auto& kv : map) {
      const std::string key = Join(rel, kv.first.Scalar());
      const std::string full = Join(key_prefix, key);
      if (rel.empty() && std::find(ignored.begin(), ignored.end(), key) != ignored.end()) continue;
      const ConfigField* field = FindField(schema, key);
      const YAML::Node& value = kv.second;
      if (!field) {
        if (value.IsMap() && HasFieldsUnder(schema, key)) {
          walk(value, key);
          continue;
        }
        throw ConfigFileError(Where(kv.first) + ": " + full + ": unknown key");
      }
      if (value.IsNull()) continue;  // "key:" with no value = not set
      const std::string where = Where(value) + ": " + full + ": ";
      Poco::Dynamic::Var parsed;
      auto fail = [&](const std::string& detail) {
        std::string msg = where + "expected " + TypeName(field->type);
        if (!field->secret && value.IsScalar()) msg += ", got '" + value.Scalar() + "'";
        if (!detail.empty()) msg += " (" + detail + ")";
        throw ConfigFileError(msg);
      };
      switch (field->type) {
        case ConfigType::kBool: {
          bool b;
          if (!value.IsScalar() || !YAML::convert<bool>::decode(value, b)) fail("");
          parsed = b;
          break;
        }
        case ConfigType::kInt: {
          long long i;
          if (!value.IsScalar() || !YAML::convert<long long>::decode(value, i)) fail("");
          parsed = static_cast<Poco::Int64>(i);
          break;
        }
        case ConfigType::kDouble: {
          double d;
          if (!value.IsScalar() || !YAML::convert<double>::decode(value, d)) fail("");
          parsed = d;
          break;
        }
        case ConfigType::kString:
          if (!value.IsScalar()) fail("");
          parsed = value.Scalar();
          break;
        case ConfigType::kDuration: {
          if (!value.IsScalar()) fail("");
          try {
            parsed = static_cast<Poco::Int64>(ParseDuration(value.Scalar()).count());
          } catch (const std::invalid_argument&) {
            fail("");
          }
          break;
        }
        case ConfigType::kStringList: {
          if (!value.IsSequence()) fail("");
          Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
          for (const auto& item : value) {
            if (!item.IsScalar()) fail("every item must be a string");
            arr->add(item.Scalar());
          }
          parsed = arr;
          break;
        }
        case ConfigType::kAny:
          parsed = YamlToVar(value);
          break;
      }
      if (field->validate) {
        std::string problem = field->validate(parsed);
        if (!problem.empty()) throw ConfigFileError(where + problem);
      }
      values->set(key, parsed);
    }
  };
  if (node && node.IsMap()) walk(node, "");

  for (const auto& field : schema) {
    if (values->has(field.key)) continue;
    if (!field.default_value.isEmpty()) {
      values->set(field.key, field.default_value);
    } else if (field.required) {
      throw ConfigFileError(Where(node ? node : root_) + ": " + Join(key_prefix, field.key) +
                            ": required key is missing (" + field.description + ")");
    }
  }
  return sdk::ConfigSection(values);
}

const sdk::ConfigSchema& CoreSchema() {
  using sdk::ConfigType;
  static const sdk::ConfigSchema schema = [] {
    auto positive = [](const Poco::Dynamic::Var& v) -> std::string {
      return v.convert<Poco::Int64>() > 0 ? "" : "must be greater than 0";
    };
    // An empty path would silently mean the config file's directory (found by fuzz/config_fuzz.cpp).
    auto non_empty_path = [](const Poco::Dynamic::Var& v) -> std::string {
      return v.toString().empty() ? "must not be empty (give a directory)" : "";
    };
    sdk::ConfigSchema s = {
        {"server.listen", ConfigType::kString, "host:port the REST API and dashboard listen on",
         std::string("127.0.0.1:8080")},
        {"server.max_body_bytes", ConfigType::kInt, "largest accepted request body", Poco::Int64(1 << 20), false, false,
         positive},
        {"server.threads", ConfigType::kInt, "HTTP threads (asynchronous I/O and route handlers)", Poco::Int64(8), false, false, positive},
        {"server.max_connections", ConfigType::kInt, "open HTTP connections at most", Poco::Int64(1024), false, false,
         positive},
        {"server.max_connections_per_client", ConfigType::kInt,
         "open HTTP connections at most from one client address (an IPv6 /64)", Poco::Int64(64), false, false,
         positive},
        {"data_dir", ConfigType::kString, "where the SQLite database, keys and plugin files live",
         std::string("./data"), false, false, non_empty_path},
        {"plugin_dir",
         ConfigType::kString,
         "directory of plugin libraries (default: ../lib/tessie-stats/plugins next to the binary)",
         {},
         false,
         false,
         non_empty_path},
        {"log_level", ConfigType::kString, "debug, info, warn or error", std::string("info"), false, false,
         [](const Poco::Dynamic::Var& v) -> std::string {
           static const std::vector<std::string> ok = {"debug", "info", "warn", "warning", "error"};
           return std::find(ok.begin(), ok.end(), v.toString()) != ok.end() ? "" : "use debug, info, warn or error";
         }},
        {"storage.url",
         ConfigType::kString,
         "absent: SQLite in data_dir; postgresql://user:pass@host:port/db",
         {},
         false,
         true,
         [](const Poco::Dynamic::Var& v) -> std::string {
           const std::string url = v.toString();
           if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 || url.rfind("sqlite://", 0) == 0)
             return "";
           return "must start with postgresql:// or sqlite://";
         }},
        {"storage.pool_size", ConfigType::kInt, "database connections (PostgreSQL; with SQLite the read connections)", Poco::Int64(4), false, false,
         positive},
        {"storage.buffer_max_rows", ConfigType::kInt,
         "rows of sync-job writes kept in memory while PostgreSQL is unreachable (0 = no buffering)",
         Poco::Int64(10000), false, false,
         [](const Poco::Dynamic::Var& v) -> std::string {
           const auto n = v.convert<Poco::Int64>();
           return n >= 0 && n <= 10'000'000 ? "" : "must be between 0 and 10000000";
         }},
        {"metrics.public", ConfigType::kBool,
         "true: GET /metrics needs no login token (for Prometheus on a trusted network)", false},
        {"auth.admin_password", ConfigType::kString, "the admin login (or TESSIE_ADMIN_PASSWORD)", {}, false, true},
        {"auth.token_ttl", ConfigType::kDuration, "how long a login token stays valid", Poco::Int64(12 * 3600 * 1000)},
        {"scheduler.threads", ConfigType::kInt, "threads running plugin jobs", Poco::Int64(2), false, false, positive},
        {"tesla.base_url", ConfigType::kString, "Fleet API base URL (NA, EU, CN or e.g. the simulator)",
         std::string("https://fleet-api.prd.na.vn.cloud.tesla.com")},
        {"tesla.auth_url", ConfigType::kString, "OAuth token endpoint",
         std::string("https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token")},
        {"tesla.authorize_url", ConfigType::kString, "OAuth authorize page",
         std::string("https://auth.tesla.com/oauth2/v3/authorize")},
        {"tesla.client_id", ConfigType::kString, "Tesla developer application client id"},
        {"tesla.client_secret",
         ConfigType::kString,
         "Tesla developer application secret (or TESSIE_TESLA_CLIENT_SECRET)",
         {},
         false,
         true},
        {"tesla.redirect_uri", ConfigType::kString, "OAuth redirect URI registered with Tesla"},
        {"tesla.region", ConfigType::kString, "na, eu or cn", std::string("na")},
        {"tesla.scopes", ConfigType::kString, "scopes asked for when signing in",
         std::string("openid offline_access user_data vehicle_device_data vehicle_location energy_device_data")},
        {"tesla.cache_ttl", ConfigType::kDuration, "how long live data is reused", Poco::Int64(60'000)},
        {"tesla.request_timeout", ConfigType::kDuration, "Fleet API request timeout", Poco::Int64(15'000)},
        {"tesla.daily_budget_usd", ConfigType::kDouble,
         "Fleet API spend per vehicle and UTC day that polling stays under (0 = no limit)", 0.10, false, false,
         [](const Poco::Dynamic::Var& v) -> std::string {
           return v.convert<double>() >= 0 ? "" : "must not be negative";
         }},
        {"mqtt.url", ConfigType::kString, "broker, e.g. tcp://127.0.0.1:1883 or ssl://host:8883; absent: MQTT off"},
        {"mqtt.username", ConfigType::kString, "broker user"},
        {"mqtt.password", ConfigType::kString, "broker password (or TESSIE_MQTT_PASSWORD)", {}, false, true},
        {"mqtt.client_id", ConfigType::kString, "MQTT client id", std::string("tessie-stats")},
        {"mqtt.base_topic", ConfigType::kString, "prefix of all state and command topics", std::string("tessie")},
        {"mqtt.discovery_prefix", ConfigType::kString, "Home Assistant discovery prefix", std::string("homeassistant")},
        {"mqtt.ca_file", ConfigType::kString, "CA certificate for ssl:// brokers"},
        {"clock.simulator_url", ConfigType::kString,
         "demo and tests only: follow the Fleet API simulator's clock (http://host:port of tessie-fleet-sim)"},
        {"plugins", ConfigType::kAny, "per-plugin sections: plugins.<name>.enabled and the plugin's keys"},
    };
    return s;
  }();
  return schema;
}

CoreConfig ReadCoreConfig(const ConfigDocument& doc) {
  const auto section = doc.Validate(doc.Root(), CoreSchema(), "");
  CoreConfig c;
  const std::string listen = section.GetString("server.listen");
  const auto colon = listen.rfind(':');
  try {
    if (colon == std::string::npos) throw std::invalid_argument("no port");
    c.listen_host = listen.substr(0, colon);
    c.listen_port = std::stoi(listen.substr(colon + 1));
    if (c.listen_port < 0 || c.listen_port > 65535) throw std::invalid_argument("port");
  } catch (const std::exception&) {
    throw ConfigFileError(doc.Where(doc.Root()["server"]["listen"]) + ": server.listen: expected host:port, got '" +
                          listen + "'");
  }
  c.max_body_bytes = static_cast<std::size_t>(section.GetInt("server.max_body_bytes"));
  c.http_threads = static_cast<int>(section.GetInt("server.threads"));
  c.max_connections = static_cast<std::size_t>(section.GetInt("server.max_connections"));
  c.max_connections_per_client = static_cast<std::size_t>(section.GetInt("server.max_connections_per_client"));
  std::filesystem::path data_dir = section.GetString("data_dir");
  if (data_dir.is_relative()) {
    // Relative to the config file, so a config works whichever directory the host is started from.
    data_dir = std::filesystem::absolute(std::filesystem::path(doc.FileName()).parent_path() / data_dir);
  }
  c.data_dir = data_dir.lexically_normal();
  if (section.Has("plugin_dir")) {
    std::filesystem::path p = section.GetString("plugin_dir");
    if (p.is_relative()) p = std::filesystem::absolute(std::filesystem::path(doc.FileName()).parent_path() / p);
    c.plugin_dir = p.lexically_normal();
  }
  c.log_level = section.GetString("log_level");
  if (section.Has("storage.url")) c.storage_url = section.GetString("storage.url");
  c.storage_pool_size = static_cast<int>(section.GetInt("storage.pool_size"));
  c.storage_buffer_max_rows = static_cast<std::size_t>(section.GetInt("storage.buffer_max_rows"));
  c.metrics_public = section.GetBool("metrics.public");
  if (section.Has("auth.admin_password")) c.admin_password = section.GetString("auth.admin_password");
  c.token_ttl = section.GetDuration("auth.token_ttl");
  c.scheduler_threads = static_cast<int>(section.GetInt("scheduler.threads"));
  if (section.Has("clock.simulator_url")) c.simulator_clock_url = section.GetString("clock.simulator_url");

  auto sub = [&](const std::string& prefix) {
    Poco::JSON::Object::Ptr obj = new Poco::JSON::Object;
    for (const auto& [key, value] : section.Values()) {
      if (key.rfind(prefix + ".", 0) == 0) obj->set(key.substr(prefix.size() + 1), value);
    }
    return obj;
  };
  auto tesla = sub("tesla");
  auto mqtt = sub("mqtt");

  if (const char* v = std::getenv("TESSIE_ADMIN_PASSWORD"); v && *v) c.admin_password = v;
  if (const char* v = std::getenv("TESSIE_STORAGE_URL"); v && *v) c.storage_url = v;
  if (const char* v = std::getenv("TESSIE_MQTT_PASSWORD"); v && *v) mqtt->set("password", std::string(v));
  if (const char* v = std::getenv("TESSIE_TESLA_CLIENT_SECRET"); v && *v) tesla->set("client_secret", std::string(v));
  c.tesla = sdk::ConfigSection(tesla);
  c.mqtt = sdk::ConfigSection(mqtt);
  return c;
}

}  // namespace tessie::core
