#include "config.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <functional>
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

// A key as a user may write it: not a schema pattern ("[]", "*") and not dotted.
bool IsPlainName(const std::string& name) { return !name.empty() && name.find_first_of(".[]*") == std::string::npos; }

// A schema key that names a value of the section itself, not of list items or free-form map entries.
bool IsPlainPath(const std::string& key) { return key.find_first_of("[]*") == std::string::npos; }

// The names a map at `parent` ("" = the section, "server", "places[]") may hold according to the schema.
std::vector<std::string> ChildNames(const sdk::ConfigSchema& schema, const std::string& parent) {
  std::vector<std::string> names;
  const std::string prefix = parent.empty() ? "" : parent + ".";
  for (const auto& f : schema) {
    if (f.key.empty() || f.key.rfind(prefix, 0) != 0) continue;
    std::string rest = f.key.substr(prefix.size());
    rest = rest.substr(0, rest.find_first_of(".["));
    if (IsPlainName(rest) && std::find(names.begin(), names.end(), rest) == names.end()) names.push_back(rest);
  }
  return names;
}

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same =
          std::tolower(static_cast<unsigned char>(a[i - 1])) == std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

// "; did you mean radius_m?" for the closest known name, when one is close enough to be a typo.
std::string DidYouMean(const std::string& typed, const std::vector<std::string>& names) {
  const std::string* best = nullptr;
  std::size_t best_distance = 0;
  for (const auto& name : names) {
    const std::size_t d = EditDistance(typed, name);
    if (!best || d < best_distance) {
      best = &name;
      best_distance = d;
    }
  }
  if (!best) return "";
  const std::size_t longest = std::max(typed.size(), best->size());
  if (*best == typed || best_distance > std::max<std::size_t>(2, longest / 2)) return "";
  return "; did you mean " + *best + "?";
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
  auto unknown = [&](const YAML::Node& key_node, const std::string& display, const std::string& schema_parent) {
    auto names = ChildNames(schema, schema_parent);
    if (schema_parent.empty()) names.insert(names.end(), ignored.begin(), ignored.end());
    throw ConfigFileError(Where(key_node) + ": " + display + ": unknown key" + DidYouMean(key_node.Scalar(), names));
  };

  // One value against its field; `display` is the key path shown in messages ("plugins.vehicle.places[0].radius_m").
  std::function<Poco::Dynamic::Var(const ConfigField&, const YAML::Node&, const std::string&)> parse_value;
  // The keys of one map inside a kAny value, against the fields under `schema_parent` ("places[]"); nested.
  std::function<Poco::JSON::Object::Ptr(const YAML::Node&, const std::string&, const std::string&)> parse_object =
      [&](const YAML::Node& map, const std::string& schema_parent, const std::string& display) {
        Poco::JSON::Object::Ptr obj = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        for (const auto& kv : map) {
          const std::string name = kv.first.Scalar();
          const std::string schema_key = schema_parent + "." + name;
          const std::string child = display + "." + name;
          const ConfigField* field = IsPlainName(name) ? FindField(schema, schema_key) : nullptr;
          if (!field) {
            if (IsPlainName(name) && kv.second.IsMap() && HasFieldsUnder(schema, schema_key)) {
              obj->set(name, parse_object(kv.second, schema_key, child));
              continue;
            }
            unknown(kv.first, child, schema_parent);
          }
          if (kv.second.IsNull()) continue;
          obj->set(name, parse_value(*field, kv.second, child));
        }
        for (const auto& field : schema) {
          if (field.key.rfind(schema_parent + ".", 0) != 0) continue;
          const std::string name = field.key.substr(schema_parent.size() + 1);
          if (!IsPlainName(name) || obj->has(name)) continue;
          if (!field.default_value.isEmpty()) {
            obj->set(name, field.default_value);
          } else if (field.required) {
            throw ConfigFileError(Where(map) + ": " + display + "." + name + ": required key is missing (" +
                                  field.description + ")");
          }
        }
        return obj;
      };
  parse_value = [&](const ConfigField& field, const YAML::Node& value, const std::string& display) {
    const std::string where = Where(value) + ": " + display + ": ";
    Poco::Dynamic::Var parsed;
    auto fail = [&](const std::string& detail) {
      std::string msg = where + "expected " + TypeName(field.type);
      if (!field.secret && value.IsScalar()) msg += ", got '" + value.Scalar() + "'";
      if (!detail.empty()) msg += " (" + detail + ")";
      throw ConfigFileError(msg);
    };
    switch (field.type) {
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
        if (HasFieldsUnder(schema, field.key + "[]")) {
          // A list of maps whose keys are the fields "<key>[].<name>".
          if (!value.IsSequence()) throw ConfigFileError(where + "expected a list");
          Poco::JSON::Array::Ptr arr = new Poco::JSON::Array;
          std::size_t index = 0;
          for (const auto& item : value) {
            const std::string item_display = display + "[" + std::to_string(index++) + "]";
            if (!item.IsMap()) throw ConfigFileError(Where(item) + ": " + item_display + ": expected a map of keys");
            arr->add(parse_object(item, field.key + "[]", item_display));
          }
          parsed = arr;
        } else if (const ConfigField* each = FindField(schema, field.key + ".*")) {
          // A map with keys of the user's choosing whose values all follow the field "<key>.*".
          if (!value.IsMap()) throw ConfigFileError(where + "expected a map");
          Poco::JSON::Object::Ptr obj = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
          for (const auto& kv : value) {
            const std::string child = display + "." + kv.first.Scalar();
            if (kv.second.IsNull()) throw ConfigFileError(Where(kv.first) + ": " + child + ": has no value");
            obj->set(kv.first.Scalar(), parse_value(*each, kv.second, child));
          }
          parsed = obj;
        } else {
          parsed = YamlToVar(value);
        }
        break;
    }
    if (field.validate) {
      std::string problem = field.validate(parsed);
      if (!problem.empty()) throw ConfigFileError(where + problem);
    }
    return parsed;
  };

  // The section's own keys, stored flat by their dotted name; `rel` is the dotted key relative to the section.
  std::function<void(const YAML::Node&, const std::string&)> walk = [&](const YAML::Node& map, const std::string& rel) {
    for (const auto& kv : map) {
      const std::string key = Join(rel, kv.first.Scalar());
      const std::string full = Join(key_prefix, key);
      if (rel.empty() && std::find(ignored.begin(), ignored.end(), key) != ignored.end()) continue;
      const bool plain = IsPlainName(kv.first.Scalar());
      const ConfigField* field = plain ? FindField(schema, key) : nullptr;
      const YAML::Node& value = kv.second;
      if (!field) {
        if (plain && value.IsMap() && HasFieldsUnder(schema, key)) {
          walk(value, key);
          continue;
        }
        unknown(kv.first, full, rel);
      }
      if (value.IsNull()) continue;  // "key:" with no value = not set
      values->set(key, parse_value(*field, value, full));
    }
  };
  if (node && node.IsMap()) walk(node, "");

  for (const auto& field : schema) {
    if (field.key.empty() || !IsPlainPath(field.key) || values->has(field.key)) continue;
    if (!field.default_value.isEmpty()) {
      values->set(field.key, field.default_value);
    } else if (field.required) {
      throw ConfigFileError(Where(node ? node : root_) + ": " + Join(key_prefix, field.key) +
                            ": required key is missing (" + field.description + ")");
    }
  }
  // Checks of keys together: a field with an empty key gets the whole section (see docs/plugins.md).
  for (const auto& field : schema) {
    if (!field.key.empty() || !field.validate) continue;
    const std::string problem = field.validate(Poco::Dynamic::Var(values));
    if (!problem.empty()) throw ConfigFileError(Where(node ? node : root_) + ": " + key_prefix + ": " + problem);
  }
  return sdk::ConfigSection(values);
}

std::vector<std::string> SecretValues(const sdk::ConfigSection& section, const sdk::ConfigSchema& schema) {
  std::vector<std::string> out;
  for (const auto& field : schema) {
    if (!field.secret || field.key.empty() || !section.Has(field.key)) continue;
    if (field.type == sdk::ConfigType::kStringList) {
      for (auto& v : section.GetStringList(field.key)) out.push_back(std::move(v));
    } else {
      out.push_back(section.GetRaw(field.key).toString());
    }
  }
  return out;
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
    using F = sdk::ConfigField;
    sdk::ConfigSchema s = {
        F::String("server.listen", "host:port the REST API and dashboard listen on").Default("127.0.0.1:8080"),
        F::Int("server.max_body_bytes", "largest accepted request body").Default(1 << 20).Validate(positive),
        F::Int("server.threads", "HTTP threads (asynchronous I/O and route handlers)").Default(8).Validate(positive),
        F::Int("server.max_connections", "open HTTP connections at most").Default(1024).Validate(positive),
        F::Int("server.max_connections_per_client",
               "open HTTP connections at most from one client address (an IPv6 /64)")
            .Default(64)
            .Validate(positive),
        F::String("data_dir", "where the SQLite database, keys and plugin files live")
            .Default("./data")
            .Validate(non_empty_path),
        F::String("plugin_dir", "directory of plugin libraries (default: ../lib/tessie-stats/plugins next to the binary)")
            .Validate(non_empty_path),
        F::String("log_level", "debug, info, warn or error")
            .Default("info")
            .Validate([](const Poco::Dynamic::Var& v) -> std::string {
              static const std::vector<std::string> ok = {"debug", "info", "warn", "warning", "error"};
              return std::find(ok.begin(), ok.end(), v.toString()) != ok.end() ? "" : "use debug, info, warn or error";
            }),
        F::String("storage.url", "absent: SQLite in data_dir; postgresql://user:pass@host:port/db")
            .Secret()
            .Validate([](const Poco::Dynamic::Var& v) -> std::string {
              const std::string url = v.toString();
              if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0 ||
                  url.rfind("sqlite://", 0) == 0)
                return "";
              return "must start with postgresql:// or sqlite://";
            }),
        F::Int("storage.pool_size", "database connections (PostgreSQL; with SQLite the read connections)")
            .Default(4)
            .Validate(positive),
        F::Int("storage.buffer_max_rows",
               "rows of sync-job writes kept in memory while PostgreSQL is unreachable (0 = no buffering)")
            .Default(10000)
            .Validate([](const Poco::Dynamic::Var& v) -> std::string {
              const auto n = v.convert<Poco::Int64>();
              return n >= 0 && n <= 10'000'000 ? "" : "must be between 0 and 10000000";
            }),
        F::Bool("metrics.public", "true: GET /metrics needs no login token (for Prometheus on a trusted network)")
            .Default(false),
        F::String("auth.admin_password", "the admin login (or TESSIE_ADMIN_PASSWORD)").Secret(),
        F::Duration("auth.token_ttl", "how long a login token stays valid").Default(std::chrono::hours(12)),
        F::Int("scheduler.threads", "threads running plugin jobs").Default(2).Validate(positive),
        F::String("tesla.base_url", "Fleet API base URL (NA, EU, CN or e.g. the simulator)")
            .Default("https://fleet-api.prd.na.vn.cloud.tesla.com"),
        F::String("tesla.auth_url", "OAuth token endpoint")
            .Default("https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token"),
        F::String("tesla.authorize_url", "OAuth authorize page").Default("https://auth.tesla.com/oauth2/v3/authorize"),
        F::String("tesla.client_id", "Tesla developer application client id"),
        F::String("tesla.client_secret", "Tesla developer application secret (or TESSIE_TESLA_CLIENT_SECRET)").Secret(),
        F::String("tesla.redirect_uri", "OAuth redirect URI registered with Tesla"),
        F::String("tesla.region", "na, eu or cn").Default("na"),
        F::String("tesla.scopes", "scopes asked for when signing in")
            .Default("openid offline_access user_data vehicle_device_data vehicle_location energy_device_data"),
        F::Duration("tesla.cache_ttl", "how long live data is reused").Default(std::chrono::seconds(60)),
        F::Duration("tesla.request_timeout", "Fleet API request timeout").Default(std::chrono::seconds(15)),
        F::Double("tesla.daily_budget_usd",
                  "Fleet API spend per vehicle and UTC day that polling stays under (0 = no limit)")
            .Default(0.10)
            .Validate([](const Poco::Dynamic::Var& v) -> std::string {
              return v.convert<double>() >= 0 ? "" : "must not be negative";
            }),
        F::String("mqtt.url", "broker, e.g. tcp://127.0.0.1:1883 or ssl://host:8883; absent: MQTT off"),
        F::String("mqtt.username", "broker user"),
        F::String("mqtt.password", "broker password (or TESSIE_MQTT_PASSWORD)").Secret(),
        F::String("mqtt.client_id", "MQTT client id").Default("tessie-stats"),
        F::String("mqtt.base_topic", "prefix of all state and command topics").Default("tessie"),
        F::String("mqtt.discovery_prefix", "Home Assistant discovery prefix").Default("homeassistant"),
        F::String("mqtt.ca_file", "CA certificate for ssl:// brokers"),
        F::String("clock.simulator_url",
                  "demo and tests only: follow the Fleet API simulator's clock (http://host:port of tessie-fleet-sim)"),
        F::Any("plugins", "per-plugin sections: plugins.<name>.enabled and the plugin's keys"),
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
