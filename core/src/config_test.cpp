#include "config.hpp"

#include "logger.hpp"
#include "start_check.hpp"

#include <Poco/JSON/Array.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <set>
#include <sstream>

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
  sdk::ConfigSchema schema = {sdk::ConfigField::Int("token", "").Secret()};
  const auto doc = ConfigDocument::Parse("p:\n  token: hunter2hunter2\n", "c.yaml");
  const auto msg = ErrorOf([&] { doc.Validate(doc.Root()["p"], schema, "p"); });
  EXPECT_NE(msg.find("p.token"), std::string::npos) << msg;
  EXPECT_EQ(msg.find("hunter2"), std::string::npos) << msg;
}

TEST(Config, DefaultsTypesAndNestedKeys) {
  sdk::ConfigSchema schema = {
      sdk::ConfigField::Duration("interval", "").Default(std::chrono::minutes(1)),
      sdk::ConfigField::Double("places.home.radius_m", "").Default(100.0),
      sdk::ConfigField::StringList("names", ""),
      sdk::ConfigField::Bool("enabled_flag", "").Default(false),
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
  sdk::ConfigSchema schema = {sdk::ConfigField::String("url", "where to go").Required()};
  const auto doc = ConfigDocument::Parse("p:\n  other: 1\n", "c.yaml");
  EXPECT_NE(
      ErrorOf([&] { doc.Validate(doc.Root()["p"], schema, "p", {"other"}); }).find("p.url: required key is missing"),
      std::string::npos);
}

TEST(Config, ValidatorMessageIsShown) {
  sdk::ConfigSchema schema = {sdk::ConfigField::Int("n", "").Validate(
      [](const Poco::Dynamic::Var& v) -> std::string { return v.convert<int>() > 0 ? "" : "must be positive"; })};
  const auto doc = ConfigDocument::Parse("p:\n  n: -3\n", "c.yaml");
  EXPECT_NE(ErrorOf([&] { doc.Validate(doc.Root()["p"], schema, "p"); }).find("c.yaml:2:6: p.n: must be positive"),
            std::string::npos);
}

// Named construction: each factory sets the type, each step one field; the result is the same value the
// positional aggregate gave, so a schema of either form validates alike.
TEST(ConfigField, BuilderSetsWhatItNames) {
  const auto f = sdk::ConfigField::Int("interval_s", "seconds").Default(5).Required().Secret().Validate(
      [](const Poco::Dynamic::Var&) { return std::string("no"); });
  EXPECT_EQ(f.key, "interval_s");
  EXPECT_EQ(f.type, ConfigType::kInt);
  EXPECT_EQ(f.description, "seconds");
  EXPECT_TRUE(f.default_value.type() == typeid(Poco::Int64));
  EXPECT_EQ(f.default_value.convert<Poco::Int64>(), 5);
  EXPECT_TRUE(f.required);
  EXPECT_TRUE(f.secret);
  ASSERT_TRUE(f.validate);
  EXPECT_EQ(f.validate(Poco::Dynamic::Var(1)), "no");

  const auto plain = sdk::ConfigField::String("name", "");
  EXPECT_EQ(plain.type, ConfigType::kString);
  EXPECT_TRUE(plain.default_value.isEmpty());
  EXPECT_FALSE(plain.required);
  EXPECT_FALSE(plain.secret);
  EXPECT_FALSE(plain.validate);
}

TEST(ConfigField, EachFactoryHasItsTypeAndDefaultsAreStoredAsValidationStoresValues) {
  EXPECT_EQ(sdk::ConfigField::Bool("k", "").type, ConfigType::kBool);
  EXPECT_EQ(sdk::ConfigField::Double("k", "").type, ConfigType::kDouble);
  EXPECT_EQ(sdk::ConfigField::Duration("k", "").type, ConfigType::kDuration);
  EXPECT_EQ(sdk::ConfigField::StringList("k", "").type, ConfigType::kStringList);
  EXPECT_EQ(sdk::ConfigField::Any("k", "").type, ConfigType::kAny);
  const auto duration = sdk::ConfigField::Duration("k", "").Default(std::chrono::minutes(2));
  EXPECT_TRUE(duration.default_value.type() == typeid(Poco::Int64));
  EXPECT_EQ(duration.default_value.convert<Poco::Int64>(), 120'000);
  const auto text = sdk::ConfigField::String("k", "").Default("x");
  EXPECT_TRUE(text.default_value.type() == typeid(std::string));
  EXPECT_TRUE(sdk::ConfigField::Bool("k", "").Default(true).default_value.type() == typeid(bool));
  EXPECT_TRUE(sdk::ConfigField::Double("k", "").Default(1.5).default_value.type() == typeid(double));

  // Built by name or by position, a schema reads the same.
  const sdk::ConfigSchema by_name = {sdk::ConfigField::Duration("tick", "").Default(std::chrono::seconds(3))};
  const sdk::ConfigSchema by_position = {{"tick", ConfigType::kDuration, "", Poco::Int64(3000), false, false, {}}};
  const auto doc = ConfigDocument::Parse("p:\n  other: 1\n", "c.yaml");
  EXPECT_EQ(doc.Validate(doc.Root()["p"], by_name, "p", {"other"}).GetDuration("tick"),
            doc.Validate(doc.Root()["p"], by_position, "p", {"other"}).GetDuration("tick"));
}

// Issue 14: `secret` hid a value only in config errors. Validated, a secret field's value joins the log mask
// (PluginManager::ValidateConfigs does this for each plugin before it runs): a plugin that logs it shows ***.
TEST(ConfigSecrets, ASecretFieldsValueIsMaskedWhenThePluginLogsIt) {
  const sdk::ConfigSchema schema = {
      sdk::ConfigField::String("api_key", "").Secret(),
      sdk::ConfigField::StringList("tokens", "").Secret(),
      sdk::ConfigField::String("name", ""),
      sdk::ConfigField::String("unset_secret", "").Secret(),
  };
  const auto doc = ConfigDocument::Parse(
      "plugins:\n  example:\n    api_key: k-51f0c2d9e8\n    tokens: [tok-aaaa1111, tok-bbbb2222]\n"
      "    name: garage-door\n",
      "c.yaml");
  const auto section = doc.Validate(doc.PluginSection("example"), schema, "plugins.example");
  EXPECT_EQ(SecretValues(section, schema),
            (std::vector<std::string>{"k-51f0c2d9e8", "tok-aaaa1111", "tok-bbbb2222"}));

  std::ostringstream out;
  LogSink sink(out, sdk::LogLevel::kDebug);
  for (const auto& secret : SecretValues(section, schema)) sink.AddSecret(secret);
  ComponentLogger plugin(sink, "example");
  plugin.Info("calling with key " + section.GetString("api_key") + " and " + section.GetStringList("tokens")[1] +
              " for " + section.GetString("name"));
  EXPECT_EQ(out.str().find("k-51f0c2d9e8"), std::string::npos) << out.str();
  EXPECT_EQ(out.str().find("tok-bbbb2222"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("calling with key *** and *** for garage-door"), std::string::npos) << out.str();
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

// The shape plugins declare for a list of maps ("places[].<key>") and a map of the user's keys ("prices.*").
sdk::ConfigSchema NestedSchema() {
  auto positive = [](const Poco::Dynamic::Var& v) -> std::string {
    return v.convert<double>() > 0 ? "" : "must be greater than 0";
  };
  return {
      sdk::ConfigField::Any("places", "named places"),
      sdk::ConfigField::String("places[].name", "the name").Required(),
      sdk::ConfigField::Double("places[].latitude", "degrees north").Required(),
      sdk::ConfigField::Double("places[].radius_m", "metres").Default(100.0).Validate(positive),
      sdk::ConfigField::Any("prices", "price per place"),
      sdk::ConfigField::Double("prices.*", "a price").Validate(positive),
      sdk::ConfigField::Any("free", "anything"),
  };
}

std::string NestedError(const std::string& section) {
  const auto doc = ConfigDocument::Parse("plugins:\n  vehicle:\n" + section, "c.yaml");
  return ErrorOf([&] { doc.Validate(doc.PluginSection("vehicle"), NestedSchema(), "plugins.vehicle", {"enabled"}); });
}

TEST(ConfigNested, UnknownKeyInAListItemIsNamedWithItsPathPositionAndTheKeyMeant) {
  const auto msg = NestedError(
      "    places:\n      - name: Home\n        latitude: 52.5\n      - name: Work\n        latitude: 52.4\n"
      "        radus: 3\n");
  EXPECT_EQ(msg, "c.yaml:8:9: plugins.vehicle.places[1].radus: unknown key; did you mean radius_m?");
}

TEST(ConfigNested, WrongTypeInAListItemIsNamedWithItsPathAndPosition) {
  EXPECT_EQ(NestedError("    places:\n      - {name: Home, latitude: 52.5, radius_m: big}\n"),
            "c.yaml:4:48: plugins.vehicle.places[0].radius_m: expected a number, got 'big'");
  EXPECT_EQ(NestedError("    places:\n      - name: Home\n        latitude: 52.5\n        radius_m: -1\n"),
            "c.yaml:6:19: plugins.vehicle.places[0].radius_m: must be greater than 0");
  EXPECT_EQ(NestedError("    places:\n      - Home\n"),
            "c.yaml:4:9: plugins.vehicle.places[0]: expected a map of keys");
  EXPECT_EQ(NestedError("    places: {name: Home}\n"), "c.yaml:3:13: plugins.vehicle.places: expected a list");
}

TEST(ConfigNested, RequiredKeyOfAListItemIsNamed) {
  EXPECT_EQ(NestedError("    places:\n      - name: Home\n"),
            "c.yaml:4:9: plugins.vehicle.places[0].latitude: required key is missing (degrees north)");
}

TEST(ConfigNested, ListItemsGetTheirDefaultsAndTypes) {
  const auto doc = ConfigDocument::Parse(
      "p:\n  places:\n    - {name: Home, latitude: 52}\n    - {name: Work, latitude: 1.5, radius_m: 250}\n"
      "  free: {anything: [1, 2]}\n",
      "c.yaml");
  const auto section = doc.Validate(doc.Root()["p"], NestedSchema(), "p");
  auto places = section.GetRaw("places").extract<Poco::JSON::Array::Ptr>();
  ASSERT_EQ(places->size(), 2u);
  EXPECT_EQ(places->getObject(0)->getValue<std::string>("name"), "Home");
  EXPECT_DOUBLE_EQ(places->getObject(0)->getValue<double>("latitude"), 52.0);
  EXPECT_DOUBLE_EQ(places->getObject(0)->getValue<double>("radius_m"), 100.0);
  EXPECT_DOUBLE_EQ(places->getObject(1)->getValue<double>("radius_m"), 250.0);
  EXPECT_TRUE(section.Has("free"));
  EXPECT_FALSE(section.Has("places[].radius_m"));  // item defaults stay inside the items
}

TEST(ConfigNested, MapOfUserKeysChecksEachValue) {
  EXPECT_EQ(NestedError("    prices:\n      Home: 0.25\n      Work: cheap\n"),
            "c.yaml:5:13: plugins.vehicle.prices.Work: expected a number, got 'cheap'");
  EXPECT_EQ(NestedError("    prices: [1]\n"), "c.yaml:3:13: plugins.vehicle.prices: expected a map");
  const auto doc = ConfigDocument::Parse("p:\n  prices:\n    Home: 0.25\n", "c.yaml");
  const auto section = doc.Validate(doc.Root()["p"], NestedSchema(), "p");
  EXPECT_DOUBLE_EQ(section.GetRaw("prices").extract<Poco::JSON::Object::Ptr>()->getValue<double>("Home"), 0.25);
}

TEST(ConfigNested, TopLevelTyposSuggestTheKeyMeant) {
  EXPECT_EQ(NestedError("    place: []\n"), "c.yaml:3:5: plugins.vehicle.place: unknown key; did you mean places?");
  EXPECT_EQ(NestedError("    enable: false\n"),
            "c.yaml:3:5: plugins.vehicle.enable: unknown key; did you mean enabled?");
  EXPECT_EQ(NestedError("    colour: red\n"), "c.yaml:3:5: plugins.vehicle.colour: unknown key");
  const auto msg = ErrorOf([] { ReadCoreConfig(ConfigDocument::Parse("server:\n  lisen: x\n", "c.yaml")); });
  EXPECT_EQ(msg, "c.yaml:2:3: server.lisen: unknown key; did you mean listen?");
}

TEST(ConfigNested, SectionCheckSeesEveryKeyWithDefaults) {
  sdk::ConfigSchema schema = {
      sdk::ConfigField::Int("low", "").Default(1),
      sdk::ConfigField::Int("high", "").Default(10),
      sdk::ConfigField::Any("", "").Validate([](const Poco::Dynamic::Var& v) -> std::string {
        auto obj = v.extract<Poco::JSON::Object::Ptr>();
        return obj->getValue<int>("low") < obj->getValue<int>("high") ? "" : "low must be below high";
      }),
  };
  const auto ok = ConfigDocument::Parse("p:\n  low: 5\n", "c.yaml");
  EXPECT_NO_THROW(ok.Validate(ok.Root()["p"], schema, "p"));
  const auto bad = ConfigDocument::Parse("p:\n  low: 50\n", "c.yaml");
  EXPECT_EQ(ErrorOf([&] { bad.Validate(bad.Root()["p"], schema, "p"); }), "c.yaml:2:3: p: low must be below high");
}

// --- what start-up needs ----------------------------------------------------------------------------------------

class StartProblemsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("tessie-config-test-" + std::to_string(::getpid()) + "-" +
                                                     ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    for (const char* name : {"TESSIE_ADMIN_PASSWORD", "TESSIE_ENCRYPTION_KEY", "TESSIE_JWT_SECRET"}) {
      if (const char* v = std::getenv(name)) saved_[name] = v;
      ::unsetenv(name);
    }
  }
  void TearDown() override {
    std::filesystem::remove_all(dir_);
    for (const auto& [name, value] : saved_) ::setenv(name.c_str(), value.c_str(), 1);
  }
  std::vector<std::string> Problems(const std::string& yaml) {
    const auto doc = ConfigDocument::Parse(yaml, (dir_ / "config.yaml").string());
    return StartProblems(ReadCoreConfig(doc), doc);
  }
  static std::string Joined(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) out += l + "\n";
    return out;
  }
  std::filesystem::path dir_;
  std::map<std::string, std::string> saved_;
};

TEST_F(StartProblemsTest, NoAdminPasswordIsAProblemUnlessTheEnvironmentHasOne) {
  const auto problems = Problems("log_level: info\n");
  ASSERT_EQ(problems.size(), 1u) << Joined(problems);
  EXPECT_NE(problems[0].find("config.yaml: auth.admin_password: no admin password: set TESSIE_ADMIN_PASSWORD"),
            std::string::npos)
      << problems[0];
  EXPECT_NE(Joined(Problems("auth:\n  admin_password: \"\"\n")).find("config.yaml:2:19: auth.admin_password"),
            std::string::npos);
  EXPECT_TRUE(Problems("auth:\n  admin_password: s3cret-enough\n").empty());
  ::setenv("TESSIE_ADMIN_PASSWORD", "from-the-environment", 1);
  EXPECT_TRUE(Problems("log_level: info\n").empty());
}

TEST_F(StartProblemsTest, DataDirMustBeCreatable) {
  std::ofstream(dir_ / "a-file") << "x";
  const auto problems = Problems("auth:\n  admin_password: pw\ndata_dir: a-file/data\n");
  ASSERT_EQ(problems.size(), 1u) << Joined(problems);
  EXPECT_NE(problems[0].find("config.yaml:3:11: data_dir: "), std::string::npos) << problems[0];
  EXPECT_NE(problems[0].find("a-file is not a directory"), std::string::npos) << problems[0];
  EXPECT_FALSE(std::filesystem::exists(dir_ / "data"));
  EXPECT_TRUE(Problems("auth:\n  admin_password: pw\ndata_dir: not/yet/there\n").empty());
  EXPECT_FALSE(std::filesystem::exists(dir_ / "not"));  // checking creates nothing
}

TEST_F(StartProblemsTest, KeyFilesAndKeysMustHaveTheirForm) {
  std::filesystem::create_directories(dir_ / "data");
  std::ofstream(dir_ / "data" / "encryption.key") << "not-a-key\n";
  auto problems = Problems("auth:\n  admin_password: pw\n");
  ASSERT_EQ(problems.size(), 1u) << Joined(problems);
  EXPECT_NE(problems[0].find("encryption.key does not hold a 64-digit hex key"), std::string::npos) << problems[0];
  ::setenv("TESSIE_ENCRYPTION_KEY", std::string(64, 'a').c_str(), 1);  // the variable wins over the file
  EXPECT_TRUE(Problems("auth:\n  admin_password: pw\n").empty());
  ::setenv("TESSIE_ENCRYPTION_KEY", "short-and-secret", 1);
  problems = Problems("auth:\n  admin_password: pw\n");
  ASSERT_EQ(problems.size(), 1u) << Joined(problems);
  EXPECT_NE(problems[0].find("TESSIE_ENCRYPTION_KEY: must be 64 hex digits"), std::string::npos) << problems[0];
  EXPECT_EQ(problems[0].find("short-and-secret"), std::string::npos) << problems[0];
}

TEST_F(StartProblemsTest, PostgresUrlMustHaveTheFormTheStorageReads) {
  const auto problems =
      Problems("auth:\n  admin_password: pw\nstorage:\n  url: postgresql://tessie:s3cret-pw@db.example:5432/\n");
  ASSERT_EQ(problems.size(), 1u) << Joined(problems);
  EXPECT_NE(problems[0].find("config.yaml:4:8: storage.url names no database"), std::string::npos) << problems[0];
  EXPECT_EQ(problems[0].find("s3cret-pw"), std::string::npos) << problems[0];
  EXPECT_TRUE(Problems("auth:\n  admin_password: pw\nstorage:\n  url: postgresql://u:p@db:5432/tessie\n").empty());
}

TEST_F(StartProblemsTest, SqliteUrlNeedsAPlaceToLive) {
  std::ofstream(dir_ / "a-file") << "x";
  const auto problems =
      Problems("auth:\n  admin_password: pw\nstorage:\n  url: sqlite://" + (dir_ / "a-file" / "t.db").string() + "\n");
  ASSERT_EQ(problems.size(), 1u) << Joined(problems);
  EXPECT_NE(problems[0].find("config.yaml:4:8: storage.url: "), std::string::npos) << problems[0];
}

// docs/tesla-account.md names the host's own keys, defaults and routes: every tesla.* key it mentions exists, the
// endpoints and scopes it gives as defaults are the defaults, and every /api/... route it names is in
// docs/openapi.yaml (which tests/integration/openapi_test.cpp keeps equal to the route table).
TEST(TeslaAccountGuide, NamesTheHostsKeysDefaultsAndRoutes) {
  std::ifstream in(TESSIE_DOCS_DIR "/tesla-account.md");
  ASSERT_TRUE(in) << "docs/tesla-account.md is missing";
  const std::string guide((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  std::set<std::string> keys;
  for (const auto& field : CoreSchema()) keys.insert(field.key);
  const std::regex key_ref(R"(`tesla\.([a-z_]+)`)");  // keys are written in backticks; tesla.com is no key
  std::size_t mentioned = 0;
  for (std::sregex_iterator it(guide.begin(), guide.end(), key_ref), end; it != end; ++it, ++mentioned)
    EXPECT_TRUE(keys.count("tesla." + (*it)[1].str())) << (*it)[0] << " is not a config key";
  EXPECT_GE(mentioned, 5u);
  for (const char* name : {"client_id", "redirect_uri", "base_url", "region", "scopes", "auth_url", "authorize_url"})
    EXPECT_NE(guide.find(std::string("`tesla.") + name + "`"), std::string::npos)
        << "tesla." << name << " is not explained";
  const auto defaults = ReadCoreConfig(ConfigDocument::Parse("log_level: info\n", "c.yaml")).tesla;
  for (const char* name : {"auth_url", "authorize_url", "base_url", "scopes"})
    EXPECT_NE(guide.find(defaults.GetString(name)), std::string::npos) << "the default of tesla." << name;
  EXPECT_NE(guide.find("TESSIE_TESLA_CLIENT_SECRET"), std::string::npos);

  const auto spec = YAML::LoadFile(TESSIE_DOCS_DIR "/openapi.yaml");
  std::set<std::string> paths;
  for (const auto& path : spec["paths"]) paths.insert(path.first.Scalar());
  const std::regex route(R"(\b(GET|POST|DELETE|PUT|PATCH) (/api/[A-Za-z0-9_/{}:-]*[A-Za-z0-9_}]))");
  std::size_t routes = 0;
  for (std::sregex_iterator it(guide.begin(), guide.end(), route), end; it != end; ++it, ++routes) {
    const std::string path = (*it)[2].str();
    if (path.rfind("/api/1/", 0) == 0) continue;  // Tesla's own Fleet API paths
    EXPECT_TRUE(paths.count(path)) << (*it)[0] << " is not a route of the host";
  }
  EXPECT_GE(routes, 4u);
  EXPECT_NE(guide.find("/api/auth/tesla/callback"), std::string::npos);
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
