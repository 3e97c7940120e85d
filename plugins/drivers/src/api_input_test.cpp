#include "api_input.hpp"

#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

namespace tessie::drivers {
namespace {

Poco::JSON::Object::Ptr Json(const std::string& text) {
  return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::string ErrorOf(const std::string& body) {
  try {
    ParseDriverBody(*Json(body));
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(DriverName, IsTrimmedAndComparedWithoutCase) {
  EXPECT_EQ(ParseDriverBody(*Json(R"({"name": "  Alex\u00a0 "})")).name, "Alex");
  EXPECT_EQ(TrimName("\xC2\xA0 Sam Lee \t"), "Sam Lee");
  EXPECT_EQ(NameKey(" ALEX "), NameKey("alex"));
  EXPECT_NE(NameKey("Alex"), NameKey("Alexa"));
  EXPECT_EQ(NameKey("Émile"), "Émile") << "only ASCII letters are folded";
}

TEST(DriverBody, ParsesNameProfileDefaultsAndBothKindsOfRules) {
  const auto d = ParseDriverBody(*Json(R"({"name": "Sam", "profile_id": "p2", "default_for_vehicles": [7, 7, 9],
      "rules": [{"weekdays": [5, 1, 1], "from": "22:00", "to": "02:00", "vehicle_id": 7},
                {"from": "00:00", "to": "24:00"},
                {"start_place": "Work"}]})"));
  EXPECT_EQ(d.name, "Sam");
  EXPECT_EQ(d.profile_id, "p2");
  EXPECT_EQ(d.default_for_vehicles, (std::vector<std::int64_t>{7, 9}));
  ASSERT_EQ(d.time_rules.size(), 2u);
  EXPECT_EQ(d.time_rules[0].weekdays, (std::vector<int>{1, 5}));
  EXPECT_EQ(d.time_rules[0].from_min, 22 * 60);
  EXPECT_EQ(d.time_rules[0].to_min, 2 * 60);
  EXPECT_EQ(d.time_rules[0].vehicle_id, 7);
  EXPECT_TRUE(d.time_rules[1].weekdays.empty());
  EXPECT_EQ(d.time_rules[1].to_min, 1440);
  ASSERT_EQ(d.place_rules.size(), 1u);
  EXPECT_EQ(d.place_rules[0].start_place, "Work");
  EXPECT_FALSE(d.place_rules[0].vehicle_id);
}

TEST(DriverBody, RejectsBadInputWithAMessageThatSaysWhatToFix) {
  EXPECT_NE(ErrorOf(R"({})").find("'name' is required"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": ""})").find("1 to 100"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": 5})").find("must be a string"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "nick": "x"})").find("unknown key 'nick'"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "default_for_vehicles": ["7"]})").find("default_for_vehicles[0]"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "default_for_vehicles": [true]})").find("whole number"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"from": "7:00", "to": "09:00"}]})").find("HH:MM"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"from": "24:00", "to": "09:00"}]})").find("00..23"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"from": "09:00", "to": "09:00"}]})").find("equal"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"from": "09:00"}]})").find("both 'from' and 'to'"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"weekdays": [0], "from": "07:00", "to": "09:00"}]})").find("1..7"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"start_place": "Work", "from": "07:00", "to": "09:00"}]})")
                .find("rules[0] mixes"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"vehicle_id": 3}]})").find("needs either"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"start_place": ""}]})").find("must not be empty"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": {"start_place": "Work"}})").find("must be an array"), std::string::npos);
}

std::string Repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

TEST(DriverBody, CountsNameLengthInCharactersNotBytes) {
  // 100 × "é" is 200 bytes and 100 characters: accepted; 101 are not. (Before, 50 passed and 51 failed.)
  EXPECT_EQ(ParseDriverBody(*Json(R"({"name": ")" + Repeat("é", 100) + R"("})")).name, Repeat("é", 100));
  EXPECT_EQ(ParseDriverBody(*Json(R"({"name": ")" + Repeat("🚗", 100) + R"("})")).name.size(), 400u);
  EXPECT_NE(ErrorOf(R"({"name": ")" + Repeat("é", 101) + R"("})").find("1 to 100 characters"), std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": ")" + Repeat("a", 101) + R"("})").find("1 to 100 characters"), std::string::npos);
}

TEST(DriverBody, RejectsControlCharactersBlankNamesAndInvalidUtf8) {
  for (const char* bad : {R"(Al\u0000ex)", R"(Al\u001b[31mex)", R"(Al\nex)", R"(Alex\r)", R"(\tAlex)", R"(Al\u007fex)",
                          R"(Al\u0085ex)", R"(Al\u202eex)", R"(Al\u2028ex)"}) {
    EXPECT_NE(ErrorOf(std::string(R"({"name": ")") + bad + R"("})").find("control characters"), std::string::npos)
        << bad;
  }
  for (const char* blank : {" ", "   ", "\u00a0", " \u3000 "}) {
    EXPECT_NE(ErrorOf(std::string(R"({"name": ")") + blank + R"("})").find("not only spaces"), std::string::npos)
        << blank;
  }
  EXPECT_EQ(CountTextCharacters("Zoë 🚗"), 5u);
  EXPECT_FALSE(CountTextCharacters("\xC3"));              // cut in the middle
  EXPECT_FALSE(CountTextCharacters("\xC0\xAF"));          // overlong '/'
  EXPECT_FALSE(CountTextCharacters("\xED\xA0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(CountTextCharacters("\xF4\x90\x80\x80"));  // beyond U+10FFFF
  EXPECT_FALSE(CountTextCharacters(std::string("a\0b", 3)));
  EXPECT_FALSE(
      CountTextCharacters("Al\xFF"
                          "ex"));
  // A name that is not a string at all, built without the JSON parser (which refuses invalid UTF-8 itself).
  Poco::JSON::Object body;
  body.set("name", std::string("Al\xFF"
                               "ex"));
  EXPECT_THROW(ParseDriverBody(body), InputError);
}

TEST(DriverBody, BoundsEveryStringAndList) {
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"start_place": ")" + Repeat("x", 201) + R"("}]})")
                .find("rules[0].start_place"),
            std::string::npos);
  EXPECT_EQ(ParseDriverBody(*Json(R"({"name": "A", "rules": [{"start_place": ")" + Repeat("ü", 200) + R"("}]})"))
                .place_rules.size(),
            1u);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"start_place": "Wo\nrk"}]})").find("control characters"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "profile_id": ")" + Repeat("p", 51) + R"("})").find("'profile_id'"),
            std::string::npos);
  std::string rules;
  for (int i = 0; i < 101; ++i)
    rules += std::string(i ? "," : "") + R"({"start_place": "P)" + std::to_string(i) + R"("})";
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [)" + rules + "]}").find("'rules' has 101 entries; at most 100"),
            std::string::npos);
  std::string vehicles;
  for (int i = 1; i <= 101; ++i) vehicles += std::string(i > 1 ? "," : "") + std::to_string(i);
  EXPECT_NE(ErrorOf(R"({"name": "A", "default_for_vehicles": [)" + vehicles + "]}").find("at most 100"),
            std::string::npos);
  EXPECT_NE(ErrorOf(R"({"name": "A", "rules": [{"weekdays": [1,2,3,4,5,6,7,1], "from": "07:00", "to": "09:00"}]})")
                .find("weekdays has 8 entries"),
            std::string::npos);
}

TEST(DriveAssignmentBody, DriverIdNullOrAutomatic) {
  EXPECT_EQ(ParseDriveAssignment(*Json(R"({"driver_id": 4})")).driver_id, 4);
  const auto nobody = ParseDriveAssignment(*Json(R"({"driver_id": null})"));
  EXPECT_FALSE(nobody.automatic);
  EXPECT_FALSE(nobody.driver_id);
  EXPECT_TRUE(ParseDriveAssignment(*Json(R"({"automatic": true})")).automatic);
  EXPECT_THROW(ParseDriveAssignment(*Json(R"({})")), InputError);
  EXPECT_THROW(ParseDriveAssignment(*Json(R"({"driver_id": "4"})")), InputError);
  EXPECT_THROW(ParseDriveAssignment(*Json(R"({"driver_id": 1.5})")), InputError);
  EXPECT_THROW(ParseDriveAssignment(*Json(R"({"automatic": false})")), InputError);
  EXPECT_THROW(ParseDriveAssignment(*Json(R"({"automatic": true, "driver_id": 2})")), InputError);
}

sdk::HttpRequest Request(const std::string& name, const std::string& value) {
  sdk::HttpRequest r;
  r.method = "GET";
  r.path = "/api/drives";
  r.query = {{name, value}};
  return r;
}
std::optional<std::int64_t> From(const std::string& text, const local_time::Zone& zone) {
  return TimeQueryParam(Request("from", text), "from", zone);
}

TEST(QueryParameters, TimesInUtcWithOffsetsAndLocalDates) {
  const local_time::Zone berlin("Europe/Berlin");
  EXPECT_EQ(From("2024-03-01T07:00:00Z", berlin), 1'709'276'400'000);
  EXPECT_EQ(From("2024-03-01T08:00:00+01:00", berlin), 1'709'276'400'000);
  EXPECT_EQ(From("2024-03-01T02:00-05:00", berlin), 1'709'276'400'000);
  EXPECT_EQ(From("2024-03-01T07:00:00.25Z", berlin), 1'709'276'400'250);
  EXPECT_EQ(From("2024-03-01", berlin), 1'709'247'600'000) << "local midnight, 23:00Z the day before";
  EXPECT_EQ(TimeQueryParam(Request("to", "2024-03-01"), "to", berlin), 1'709'247'600'000)
      << "a date as `to` is still the midnight starting it";
  EXPECT_EQ(From("", berlin), std::nullopt) << "an empty value is no bound";
  EXPECT_EQ(TimeQueryParam(Request("to", "2024-03-01"), "from", berlin), std::nullopt);
  for (const char* bad : {"yesterday", "2024-02-30", "2024-03-01T25:00Z", "2026"}) {
    EXPECT_THROW(From(bad, berlin), sdk::HttpError) << bad;
  }
}

// The forms every route accepts since the SDK's one parser reads them (the drivers' own parser refused them).
TEST(QueryParameters, EpochMillisecondsWallTimesAndBasicOffsets) {
  const local_time::Zone berlin("Europe/Berlin");
  EXPECT_EQ(From("1709276400000", berlin), 1'709'276'400'000);
  EXPECT_EQ(From("2024-03-01T08:00:00", berlin), 1'709'276'400'000) << "a wall time in the drivers' time zone";
  EXPECT_EQ(From("2024-03-01T08:00", berlin), 1'709'276'400'000);
  EXPECT_EQ(From("2024-03-01T08:00:00+0100", berlin), 1'709'276'400'000);
}

TEST(QueryParameters, IdsAndBounds) {
  EXPECT_EQ(ParseId("3744431234567890", "vehicle"), 3744431234567890);
  for (const char* bad : {"", "0", "-1", "12a", "99999999999999999999"}) EXPECT_THROW(ParseId(bad, "id"), InputError);
  EXPECT_EQ(ParseBoundedInt("0", "offset", 0, 10), 0);
  EXPECT_THROW(ParseBoundedInt("501", "limit", 1, 500), InputError);
}

TEST(Formatting, IsoUtcAndClock) {
  EXPECT_EQ(FormatIsoUtc(1'709'276'400'250), "2024-03-01T07:00:00.250Z");
  EXPECT_EQ(FormatIsoUtc(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatClock(7 * 60 + 5), "07:05");
  EXPECT_EQ(FormatClock(1440), "24:00");
}

TEST(Formatting, DriverJsonRoundTripsThroughTheParser) {
  const auto input = ParseDriverBody(*Json(
      R"({"name": "Kim", "default_for_vehicles": [3], "rules": [{"weekdays": [6, 7], "from": "10:00", "to": "12:30"},
          {"start_place": "Gym", "vehicle_id": 3}]})"));
  auto json = DriverToJson(input);
  json->remove("id");
  const auto again = ParseDriverBody(*json);
  EXPECT_EQ(again.name, "Kim");
  EXPECT_EQ(again.default_for_vehicles, input.default_for_vehicles);
  ASSERT_EQ(again.time_rules.size(), 1u);
  EXPECT_EQ(again.time_rules[0].weekdays, (std::vector<int>{6, 7}));
  EXPECT_EQ(again.time_rules[0].to_min, 12 * 60 + 30);
  ASSERT_EQ(again.place_rules.size(), 1u);
  EXPECT_EQ(again.place_rules[0].vehicle_id, 3);
}

}  // namespace
}  // namespace tessie::drivers
