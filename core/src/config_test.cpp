#include "config.hpp"

#include <gtest/gtest.h>

namespace tessie::core {
namespace {

using sdk::ConfigType;

std::string ErrorOf(const std::function<void()>& f) {
  try {
    f();
  } catch (const ConfigFileError& e) {
    return e.what();
  }
  return "";
}

TEST(Config, MalformedYamlNamesFileLineAndColumn) {
  const auto msg = ErrorOf([] { ConfigDocument::Parse("server:\n  listen: [1, 2\n", "tessie.yaml"); });
  EXPECT_NE(msg.find("tessie.yaml:"), std::string::npos) << msg;
  EXPECT_NE(msg.find("malformed YAML"), std::string::npos) << msg;
}

TEST(Config, UnknownKeyIsNamedWithItsLine) {
  const auto doc = ConfigDocument::Parse("server:\n  listen: 127.0.0.1:1\n  lisen: x\n", "c.yaml");
  const auto msg = ErrorOf([&] { ReadCoreConfig(doc); });
  EXPECT_NE(msg.find("c.yaml:3:3: server.lisen: unknown key"), std::string::npos) << msg;
}

TEST(Config, WrongTypeIsNamed) {
  const auto doc = ConfigDocument::Parse("scheduler:\n  threads: many\n", "c.yaml");
  const auto msg = ErrorOf([&] { ReadCoreConfig(doc); });
  EXPECT_NE(msg.find("c.yaml:2:12: scheduler.threads: expected an integer, got 'many'"), std::string::npos) << msg;
}

TEST(Config, BufferBoundAndPublicMetricsAreValidated) {
  const auto defaults = ReadCoreConfig(ConfigDocument::Parse("log_level: info\n", "c.yaml"));
  EXPECT_EQ(defaults.storage_buffer_max_rows, 10000u);
  EXPECT_FALSE(defaults.metrics_public);
  const auto set =
      ReadCoreConfig(ConfigDocument::Parse("storage:\n  buffer_max_rows: 0\nmetrics:\n  public: true\n", "c.yaml"));
  EXPECT_EQ(set.storage_buffer_max_rows, 0u);
  EXPECT_TRUE(set.metrics_public);
  const auto negative =
      ErrorOf([] { ReadCoreConfig(ConfigDocument::Parse("storage:\n  buffer_max_rows: -5\n", "c.yaml")); });
  EXPECT_NE(negative.find("c.yaml:2:20: storage.buffer_max_rows: must be between 0 and 10000000"), std::string::npos)
      << negative;
  const auto not_bool = ErrorOf([] { ReadCoreConfig(ConfigDocument::Parse("metrics:\n  public: maybe\n", "c.yaml")); });
  EXPECT_NE(not_bool.find("metrics.public"), std::string::npos) << not_bool;
}

TEST(Config, SecretValuesAreNotEchoed) {
  sdk::ConfigSchema schema = {{"token", ConfigType::kInt, "", {}, false, true}};
  const auto doc = ConfigDocument::Parse("p:\n  token: hunter2hunter2\n", "c.yaml");
  const auto msg = ErrorOf([&] { doc.Validate(doc.Root()["p"], schema, "p"); });
  EXPECT_NE(msg.find("p.token"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
}

TEST(Config, DefaultsTypesAndNestedKeys) {
  sdk::ConfigSchema schema = {
      {"interval", ConfigType::kDuration, "", Poco::Int64(60000)},
      {"places.home.radius_m", ConfigType::kDouble, "", 100.0},
      {"names", ConfigType::kStringList, ""},
      {"enabled_flag", ConfigType::kBool, "", false},
  };
  const auto doc = ConfigDocument::Parse(
      "p:\n  interval: 5m\n  places:\n    home:\n      radius_m: 42.5\n  names: [a, b]\n", "c.yaml");
  const auto section = doc.Validate(doc.Root()["p"], schema, "p");
  EXPECT_EQ(section.GetDuration("interval"), std::chrono::minutes(5));
  EXPECT_DOUBLE_EQ(section.GetDouble("places.home.radius_m"), 42.5);
  EXPECT_EQ(section.GetStringList("names"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(section.GetBool("enabled_flag"));
}

TEST(Config, RequiredKeyMissing) {
  sdk::ConfigSchema schema = {{"url", ConfigType::kString, "where to go", {}, true}};
  const auto doc = ConfigDocument::Parse("p:\n  other: 1\n", "c.yaml");
  EXPECT_NE(
      ErrorOf([&] { doc.Validate(doc.Root()["p"], schema, "p", {"other"}); }).find("p.url: required key is missing"),
      std::string::npos);
}

TEST(Config, ValidatorMessageIsShown) {
  sdk::ConfigSchema schema = {{"n", ConfigType::kInt, "", {}, false, false, [](const Poco::Dynamic::Var& v) {
                                 return v.convert<int>() > 0 ? "" : "must be positive";
                               }}};
  const auto doc = ConfigDocument::Parse("p:\n  n: -3\n", "c.yaml");
  EXPECT_NE(ErrorOf([&] { doc.Validate(doc.Root()["p"], schema, "p"); }).find("c.yaml:2:6: p.n: must be positive"),
            std::string::npos);
}

TEST(Config, CoreDefaultsAndListen) {
  const auto doc = ConfigDocument::Parse("server:\n  listen: 0.0.0.0:9000\nauth:\n  token_ttl: 1h\n", "/etc/t/c.yaml");
  const auto c = ReadCoreConfig(doc);
  EXPECT_EQ(c.listen_host, "0.0.0.0");
  EXPECT_EQ(c.listen_port, 9000);
  EXPECT_EQ(c.token_ttl, std::chrono::hours(1));
  EXPECT_EQ(c.data_dir, std::filesystem::path("/etc/t/data"));
  EXPECT_TRUE(c.storage_url.empty());
  EXPECT_EQ(c.mqtt.GetString("base_topic"), "tessie");
}

TEST(Config, BadListenAndStorageUrl) {
  EXPECT_NE(ErrorOf([] {
              ReadCoreConfig(ConfigDocument::Parse("server:\n  listen: nowhere\n", "c.yaml"));
            }).find("server.listen"),
            std::string::npos);
  EXPECT_NE(ErrorOf([] {
              ReadCoreConfig(ConfigDocument::Parse("storage:\n  url: mysql://x\n", "c.yaml"));
            }).find("storage.url"),
            std::string::npos);
}

TEST(Duration, Units) {
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("30"), std::chrono::seconds(30));
  EXPECT_EQ(ParseDuration("2h"), std::chrono::hours(2));
  EXPECT_EQ(ParseDuration("1d"), std::chrono::hours(24));
  EXPECT_THROW(ParseDuration("5 parsecs"), std::invalid_argument);
  EXPECT_THROW(ParseDuration("-1s"), std::invalid_argument);
}

// Found by fuzz/config_fuzz.cpp: these were converted to milliseconds with undefined behaviour.
TEST(Duration, NotFiniteOrLongerThanACenturyIsAnError) {
  EXPECT_THROW(ParseDuration("nan"), std::invalid_argument);
  EXPECT_THROW(ParseDuration("infh"), std::invalid_argument);
  EXPECT_THROW(ParseDuration("1e300s"), std::invalid_argument);
  EXPECT_THROW(ParseDuration("36501d"), std::invalid_argument);
  EXPECT_EQ(ParseDuration("36500d"), std::chrono::hours(24 * 36500));
  const auto doc = ConfigDocument::Parse("auth:\n  token_ttl: 1e300s\n", "test.yaml");
  try {
    ReadCoreConfig(doc);
    FAIL() << "a token_ttl of 1e300 s was accepted";
  } catch (const ConfigFileError& e) {
    EXPECT_NE(std::string(e.what()).find("test.yaml:2:14: auth.token_ttl"), std::string::npos) << e.what();
  }
}

// Found by fuzz/config_fuzz.cpp: an empty path became the config file's own directory, or, with a config named
// without a directory, an uncaught filesystem error.
TEST(Config, EmptyDataOrPluginDirIsAnError) {
  for (const std::string text : {"data_dir: \"\"\n", "plugin_dir: !tag\n", "log_level: info\nplugin_dir: ''\n"}) {
    const auto doc = ConfigDocument::Parse(text, "config.yaml");
    try {
      ReadCoreConfig(doc);
      FAIL() << "accepted: " << text;
    } catch (const ConfigFileError& e) {
      EXPECT_NE(std::string(e.what()).find("_dir: must not be empty"), std::string::npos) << e.what();
    }
  }
}

}  // namespace
}  // namespace tessie::core
