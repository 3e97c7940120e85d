// The JSON writer behind HttpResponse::Json against Poco's own Stringifier, which it replaced: every REST
// answer must read the same to a client (same keys in the same order, same values), and be valid JSON
// where Poco's text is not (NaN, infinities).
#include <tessie/sdk/detail/json_write.hpp>
#include <tessie/sdk/ha_discovery.hpp>

#include <Poco/JSON/Parser.h>
#include <Poco/JSON/Stringifier.h>
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

namespace {

using Poco::Dynamic::Var;
using Poco::JSON::Array;
using Poco::JSON::Object;
using tessie::sdk::ToJson;

std::string PocoText(const Var& v) {
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(v, out);
  return out.str();
}

TEST(JsonWrite, SameTextAsPocoForWhatRoutesBuild) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("vehicle_id", Poco::Int64(42));
  o->set("state", "online");
  o->set("last_seen", Var());
  o->set("odometer_km", 31249.99999932941);
  o->set("battery_level", 80.0);
  o->set("power_kw", -0.25);
  o->set("ratio", 0.1);
  o->set("big", 1e21);
  o->set("small", 2.5e-5);
  o->set("huge", -1.2345e25);
  o->set("whole", 123456789012.0);
  o->set("fraction", 0.000001);
  o->set("locked", true);
  o->set("sentry_mode", false);
  o->set("count", 7);
  o->set("u", Poco::UInt64(18446744073709551615ULL));
  o->set("neg", Poco::Int64(std::numeric_limits<Poco::Int64>::min()));
  o->set("f", 1.1f);
  o->set("name", std::string("Tessa \"the car\" \\ a/b é € 😀\n\t\r\b\f\x01\x1f"));
  Array::Ptr list = new Array;
  list->add(1);
  list->add("x");
  list->add(Var());
  Object sorted;  // without PRESERVE_KEY_ORDER: keys sorted, as Poco writes them
  sorted.set("z", 1);
  sorted.set("a", 2);
  list->add(sorted);
  Array empty;
  list->add(empty);
  o->set("items", list);
  o->set("nested", Object::Ptr(new Object));
  EXPECT_EQ(ToJson(o), PocoText(o));
}

TEST(JsonWrite, ControlCharactersAreEscapedAndTheTextParsesBack) {
  std::string all;
  for (int c = 1; c < 0x20; ++c) all.push_back(static_cast<char>(c));
  all += "\"\\";
  Array::Ptr wrapped = new Array;  // Poco's parser wants an object or an array at the top
  wrapped->add(all);
  const std::string text = ToJson(wrapped);
  for (char c : text) EXPECT_GE(static_cast<unsigned char>(c), 0x20) << "raw control character in " << text;
  Poco::JSON::Parser parser;
  EXPECT_EQ(parser.parse(text).extract<Array::Ptr>()->getElement<std::string>(0), all);
}

TEST(JsonWrite, NotANumberIsNullSoClientsCanParseIt) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("nan", std::nan(""));
  o->set("inf", std::numeric_limits<double>::infinity());
  o->set("zero", -0.0);
  EXPECT_EQ(ToJson(o), R"({"nan":null,"inf":null,"zero":0})");
}

// Numbers as JavaScript prints them (Poco differs only in where it switches to exponent notation).
TEST(JsonWrite, NumbersReadAsJavaScriptPrintsThem) {
  EXPECT_EQ(ToJson(Var(1.5e-7)), "1.5e-7");
  EXPECT_EQ(ToJson(Var(0.000001)), "0.000001");
  EXPECT_EQ(ToJson(Var(1e20)), "100000000000000000000");
  EXPECT_EQ(ToJson(Var(-1.2345e25)), "-1.2345e+25");
  EXPECT_EQ(ToJson(Var(31249.9)), "31249.9");
}

TEST(JsonWrite, DoublesReadBackExactly) {
  for (double d : {0.1, 1.0 / 3, 123456.789, 1e-7, 6.02214076e23, 31249.99999932941, -42.5, 1.5e-7, 1e20, 1.7976931348623157e308}) {
    EXPECT_EQ(std::stod(ToJson(Var(d))), d) << ToJson(Var(d));
  }
}

}  // namespace

namespace {

TEST(JsonWrite, ObjectWriterGivesTheSameTextAsAnObject) {
  Object::Ptr o = new Object(Poco::JSON_PRESERVE_KEY_ORDER);
  o->set("vehicle_id", Poco::Int64(3));
  o->set("state", "asleep \"zzz\"");
  o->set("last_seen", Var());
  o->set("odometer_km", 31249.9);
  o->set("locked", true);
  tessie::sdk::JsonObjectWriter w;
  w.Int("vehicle_id", 3).String("state", "asleep \"zzz\"").Null("last_seen").Double("odometer_km", 31249.9).Bool(
      "locked", true);
  EXPECT_EQ(w.Finish(), ToJson(o));
  EXPECT_EQ(tessie::sdk::JsonObjectWriter().Finish(), "{}");
}

}  // namespace

// ---- Home Assistant discovery: the device's manufacturer ----------------------------------------------------------

namespace tessie::sdk::ha {
namespace {

std::string DeviceJson(const Device& d) {
  Poco::JSON::Object::Ptr components = new Poco::JSON::Object;
  std::ostringstream out;
  Poco::JSON::Stringifier::condense(DeviceConfig(d, "1.0.0", "tessie/status", components)->getObject("device"), out);
  return out.str();
}

TEST(HaDiscovery, TheManufacturerIsTeslaUnlessTheDeviceNamesAnother) {
  Device car{"tessie_5yj", "Model Y", "Model Y", "5YJ123", "2026.2.1"};
  // Existing callers (no manufacturer given): the same device block as before the field existed.
  EXPECT_EQ(DeviceJson(car),
            R"({"identifiers":["tessie_5yj"],"name":"Model Y","manufacturer":"Tesla","model":"Model Y",)"
            R"("serial_number":"5YJ123","sw_version":"2026.2.1"})");
  Device meter{"tessie_meter", "Garage meter", "EM24", "", ""};
  meter.manufacturer = "Carlo Gavazzi";
  EXPECT_EQ(DeviceJson(meter),
            R"({"identifiers":["tessie_meter"],"name":"Garage meter","manufacturer":"Carlo Gavazzi","model":"EM24"})");
  meter.manufacturer.clear();
  EXPECT_EQ(DeviceJson(meter).find("manufacturer"), std::string::npos);
}

}  // namespace
}  // namespace tessie::sdk::ha
